// The configuration of the orbit program: its model, the TOML loader and the value rules it
// applies.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::app {

// Every key, its type, default and meaning: docs/configuration.md.

// [[server.listen]]: one socket the server listens on.
struct ListenConfig {
  std::string transport;  // "udp" or "tcp"
  std::string address;    // IPv4 or IPv6 literal, in canonical form ("::1", not "0:0::1")
  std::uint16_t port = 5060;
};

// [server]
struct ServerConfig {
  std::string name = "orbit";
  std::string log_level = "info";  // trace, debug, info, warn or error
  std::vector<ListenConfig> listen;
};

// [limits]
struct LimitsConfig {
  std::size_t max_message_size = 65535;  // bytes
  std::chrono::seconds tcp_idle_timeout{300};
  std::size_t max_tcp_connections = 4096;
};

// [security]
struct SecurityConfig {
  std::uint32_t auth_failures_per_minute = 10;
  std::chrono::seconds auth_block_time{300};
  std::chrono::seconds nonce_lifetime{300};
};

// [registrar]; min_expires <= default_expires <= max_expires.
struct RegistrarConfig {
  std::chrono::seconds min_expires{60};
  std::chrono::seconds max_expires{3600};
  std::chrono::seconds default_expires{3600};
};

// [[tenants.users]]
struct UserConfig {
  std::string extension;
  std::string display_name;
  std::string password;
  bool can_park = true;
  bool can_retrieve = true;
  std::vector<std::string> auth_algorithms;  // the tenant's when the key is absent
};

// [[tenants.trunks]]: a SIP peer recognised by the source address of its requests.
struct TrunkConfig {
  std::string name;
  std::string address;      // IP literal, in canonical form
  std::uint16_t port = 0;   // 0: any source port
  std::string destination;  // extension its calls reach; empty: none
};

// [[tenants.lots]]: a parking lot, a numbered range of slots.
struct LotConfig {
  std::string name;
  std::string slots;  // as written, e.g. "701-720"
  std::uint32_t first_slot = 0;
  std::uint32_t last_slot = 0;
  std::string park_code;  // empty: no code that picks a free slot
  std::chrono::seconds timeout{60};
  std::chrono::seconds recall_ring_time{20};
  std::chrono::seconds warn_after{30};  // the board shows the wait in amber from then
  std::vector<std::string> fallback;  // extensions rung after the parker; empty: none
  std::string music_class = "default";

  [[nodiscard]] std::size_t slot_count() const;
};

// [[tenants]]: one organisation, known by its SIP domain and its aliases.
struct TenantConfig {
  std::string domain;
  std::vector<std::string> aliases;
  std::string realm;  // the domain when the key is absent
  std::vector<std::string> auth_algorithms{"MD5"};
  std::vector<UserConfig> users;
  std::vector<TrunkConfig> trunks;
  std::vector<LotConfig> lots;
  // Park code dialects besides the lots' codes (DESIGN.md §2); empty: off.
  std::string webex_park_code;      // "*68", "*68<ext>"
  std::string webex_retrieve_code;  // "*88<ext>"
  std::string orbit_park_code;      // "*0N": orbit N of the first lot
  std::string orbit_retrieve_code;  // "*1N"
};

// [calls]
struct CallsConfig {
  std::chrono::seconds ring_time{30};  // no answer by then: 408 to the caller
  std::size_t max_calls = 4000;        // beyond: new calls get 503 with Retry-After
};

// [media]: where RTP is anchored, what callers hear.
struct MediaSettings {
  std::string address = "127.0.0.1";  // IP literal RTP sockets bind to and SDP announces
  std::uint16_t port_min = 20000;
  std::uint16_t port_max = 29999;
  unsigned threads = 0;                    // media threads, 0..64; 0: one per core
  std::chrono::seconds media_timeout{30};  // no RTP this long from a party: the call ends
  std::string music_directory = "/usr/share/asterisk/moh";  // the "default" music class
  std::string prompt_directory = "/usr/share/asterisk/sounds/en_US_f_Allison";
};

// [[api.tokens]]: who may use the HTTP API; the token itself is never stored.
struct ApiTokenConfig {
  std::string name;
  std::string token_sha256;
  std::string role;  // admin, supervisor, agent
  std::string tenant;
  std::string extension;  // required for agents; for others, where "to my phone" rings
};

// [api]: the supervision HTTP API and event stream; off when the table is absent.
struct ApiConfig {
  bool enabled = false;
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;
  std::filesystem::path web_root;  // the web console's files, absolute; empty: no console
  std::vector<ApiTokenConfig> tokens;
};

// [history]: the history of parked calls in SQLite; off when the table is absent.
struct HistoryConfig {
  bool enabled = false;
  // As written; load_config resolves a relative path against the configuration file's directory.
  std::filesystem::path path;
};

struct Config {
  ServerConfig server;
  ApiConfig api;
  HistoryConfig history;
  LimitsConfig limits;
  SecurityConfig security;
  RegistrarConfig registrar;
  CallsConfig calls;
  MediaSettings media;
  std::vector<TenantConfig> tenants;

  [[nodiscard]] std::size_t tenant_count() const;
  [[nodiscard]] std::size_t user_count() const;   // over all tenants
  [[nodiscard]] std::size_t trunk_count() const;  // over all tenants
  [[nodiscard]] std::size_t lot_count() const;    // over all tenants
  [[nodiscard]] std::size_t slot_count() const;   // over all lots of all tenants
};

// One problem found in a configuration file. line is 1-based; 0 when the problem concerns the
// whole file (it cannot be read).
struct ConfigError {
  std::string file;
  int line = 0;
  std::string message;

  // "file:line: message", or "file: message" when line is 0.
  [[nodiscard]] std::string to_string() const;
};

// Reads and checks a configuration file. On failure, returns every error found, in line order:
// a TOML syntax error (the parser stops at the first one), or every unknown key, wrong type,
// value out of range, missing required key and inconsistency between entries.
[[nodiscard]] std::expected<Config, std::vector<ConfigError>> load_config(
    const std::filesystem::path& file);

// Same as load_config, from text; name stands for the file name in errors.
[[nodiscard]] std::expected<Config, std::vector<ConfigError>> load_config_string(
    std::string_view text, std::string_view name);

// Value rules of the configuration (config_validate.cpp), also usable where the same values are
// accepted at run time.

// The canonical text of an IPv4 or IPv6 literal ("0:0::1" gives "::1"), or "" when s is not one.
// No brackets, no zone, no port.
[[nodiscard]] std::string canonical_ip(std::string_view s);
[[nodiscard]] bool is_ip_literal(std::string_view s);

// A DNS host name (letters, digits and hyphens in dot-separated labels) or an IP literal.
[[nodiscard]] bool is_host(std::string_view s);

// Letters and digits only, 1 to 32 characters.
[[nodiscard]] bool is_extension(std::string_view s);

// What a phone can dial as a code: digits, '*' and '#', 1 to 16 characters.
[[nodiscard]] bool is_dial_code(std::string_view s);

struct SlotRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
};

// "701-720": two decimal numbers without leading zeros (a lone "0" is fine), first <= last.
// The error is a phrase that completes "'slots' in [[tenants.lots]] ...": "must start at or
// below its end, got \"720-701\"".
[[nodiscard]] std::expected<SlotRange, std::string> parse_slot_range(std::string_view s);

// True when dialling s reaches a slot of range: s is a number written as slots are, within it.
[[nodiscard]] bool dials_slot(std::string_view s, SlotRange range);

// The rules across entries (config_validate.cpp): names that must be unique, references that must
// resolve, numbers a phone dials that must not reach two things. The loader feeds it every entry
// in file order with the line it sits on; each call answers what is wrong, as a message that
// cites the line of the entry it collides with. Entries that break a rule are not recorded.
class ConfigRules {
 public:
  // Over the whole file.
  [[nodiscard]] std::optional<std::string> listen(const ListenConfig& listen, int line);
  [[nodiscard]] std::optional<std::string> domain(std::string_view domain, int line);
  [[nodiscard]] std::optional<std::string> alias(std::string_view alias, int line);
  [[nodiscard]] std::optional<std::string> trunk_address(std::string_view address,
                                                         std::string_view trunk, int line);

  // Within the tenant begun last: its users first, then its trunks and lots.
  void begin_tenant(std::string_view domain);
  [[nodiscard]] std::optional<std::string> extension(std::string_view extension, int line);
  [[nodiscard]] std::optional<std::string> trunk_name(std::string_view name, int line);
  [[nodiscard]] std::optional<std::string> destination(std::string_view extension) const;
  [[nodiscard]] std::optional<std::string> lot_name(std::string_view name, int line);
  [[nodiscard]] std::vector<std::string> slots(std::string_view lot, std::string_view text,
                                               SlotRange range, int line);
  [[nodiscard]] std::optional<std::string> park_code(std::string_view lot, std::string_view code,
                                                     int line);

 private:
  struct Seen {
    std::string owner;
    int line;
  };
  using SeenMap = std::map<std::string, Seen, std::less<>>;
  struct Lot {
    std::string name;
    SlotRange range;
    int line;
  };

  std::optional<std::string> host(std::string_view what, std::string_view host, int line);
  std::optional<std::string> once_in_tenant(SeenMap& names, std::string_view what,
                                            std::string_view name, int line);

  SeenMap listen_sockets_;   // "udp 127.0.0.1 port 5060" -> entry
  SeenMap hosts_;            // lower-case domain or alias -> tenant
  SeenMap trunk_addresses_;  // canonical address -> trunk
  std::string domain_;       // of the current tenant
  SeenMap extensions_;
  SeenMap trunk_names_;
  SeenMap lot_names_;
  SeenMap park_codes_;  // code -> lot
  std::vector<Lot> lots_;
};

}  // namespace orbit::app
