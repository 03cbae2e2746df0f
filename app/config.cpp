// Loading the configuration: TOML parsing, decoding into the model, checks across entries.
#include "app/config.hpp"

#include <cctype>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <system_error>
#include <utility>

#include <toml++/toml.h>

namespace orbit::app {

namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 9> kRootKeys{
    "server", "limits", "security", "registrar", "calls", "media", "api", "history", "tenants"};
constexpr std::array<std::string_view, 1> kHistoryKeys{"path"};
constexpr std::array<std::string_view, 4> kApiKeys{"address", "port", "tokens", "web_root"};
constexpr std::array<std::string_view, 5> kApiTokenKeys{"name", "token_sha256", "role", "tenant",
                                                        "extension"};
constexpr std::array<std::string_view, 3> kApiRoles{"admin", "supervisor", "agent"};
constexpr std::array<std::string_view, 2> kCallsKeys{"ring_time", "max_calls"};
constexpr std::array<std::string_view, 7> kMediaKeys{
    "address",       "port_min",        "port_max",        "threads",
    "media_timeout", "music_directory", "prompt_directory"};
constexpr std::array<std::string_view, 3> kServerKeys{"name", "log_level", "listen"};
constexpr std::array<std::string_view, 3> kListenKeys{"transport", "address", "port"};
constexpr std::array<std::string_view, 3> kLimitsKeys{"max_message_size", "tcp_idle_timeout",
                                                      "max_tcp_connections"};
constexpr std::array<std::string_view, 3> kSecurityKeys{"auth_failures_per_minute",
                                                        "auth_block_time", "nonce_lifetime"};
constexpr std::array<std::string_view, 3> kRegistrarKeys{"min_expires", "max_expires",
                                                         "default_expires"};
constexpr std::array<std::string_view, 11> kTenantKeys{
    "domain", "aliases", "realm", "auth_algorithms", "users", "trunks", "lots",
    "webex_park_code", "webex_retrieve_code", "orbit_park_code", "orbit_retrieve_code"};
constexpr std::array<std::string_view, 6> kUserKeys{"extension", "display_name", "password",
                                                    "can_park",  "can_retrieve", "auth_algorithms"};
constexpr std::array<std::string_view, 4> kTrunkKeys{"name", "address", "port", "destination"};
constexpr std::array<std::string_view, 8> kLotKeys{
    "name", "slots", "park_code", "timeout", "recall_ring_time", "fallback", "music_class",
    "warn_after"};

constexpr std::array<std::string_view, 5> kLogLevels{"trace", "debug", "info", "warn", "error"};
constexpr std::array<std::string_view, 2> kTransports{"udp", "tcp"};
constexpr std::array<std::string_view, 2> kAuthAlgorithms{"MD5", "SHA-256"};

constexpr std::int64_t kMaxDuration = 86400;  // one day, for every duration

int line_of(const toml::source_region& region) {
  return static_cast<int>(region.begin.line);
}

std::string type_name(toml::node_type type) {
  // In the order of toml::node_type.
  constexpr std::array<std::string_view, 10> kNames{
      "nothing", "a table",   "an array", "a string", "an integer",
      "a float", "a boolean", "a date",   "a time",   "a date-time"};
  static_assert(static_cast<std::size_t>(toml::node_type::date_time) == 9);
  const auto index = static_cast<std::size_t>(type);
  return std::string(index < kNames.size() ? kNames[index] : "something else");
}

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string joined(Keys words) {
  std::string out;
  for (const auto word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

bool has_control_char(std::string_view s) {
  return std::ranges::any_of(
      s, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// Edit distance where swapping two neighbours counts as one edit (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The known key a typo most likely meant, or "" when none is close.
std::string_view closest_key(std::string_view typo, Keys known) {
  const std::size_t allowed = typo.size() >= 6 ? 2 : 1;
  std::string_view best;
  std::size_t best_distance = allowed + 1;
  for (const auto key : known) {
    const std::size_t distance = edit_distance(lower(typo), key);
    if (distance < best_distance) {
      best = key;
      best_distance = distance;
    }
  }
  return best;
}

// A table being decoded, and the words that place it in a message ("in [server]").
struct Section {
  const toml::table& table;
  std::string where;
};

// How a message names a key: "'port' in [[server.listen]]".
std::string subject(const Section& s, std::string_view key) {
  return "'" + std::string(key) + "' " + s.where;
}

// A value read from the file, with the line it sits on.
template <typename T>
struct Read {
  T value;
  int line;
};

class Decoder {
 public:
  explicit Decoder(std::string_view file) : file_(file) {}

  [[nodiscard]] Config decode(const toml::table& root);
  [[nodiscard]] std::vector<ConfigError> take_errors() { return std::move(errors_); }

 private:
  void error(int line, std::string message) {
    errors_.push_back({file_, std::max(line, 1), std::move(message)});
  }
  // Reports the problem a rule found, if any; true when there was one.
  bool report(int line, std::optional<std::string> problem) {
    if (problem) error(line, std::move(*problem));
    return problem.has_value();
  }

  // Readers: each reports what is wrong with the key and returns nothing then; an absent
  // optional key also gives nothing, so that the caller keeps the default.
  void check_keys(const Section& s, Keys known);
  const toml::node* find(const Section& s, std::string_view key, bool required);
  std::optional<Read<std::string>> string(const Section& s, std::string_view key,
                                          bool required = false);
  std::optional<std::string> one_of(const Section& s, std::string_view key, Keys allowed,
                                    bool required = false);
  std::optional<Read<std::int64_t>> integer(const Section& s, std::string_view key,
                                            std::int64_t min, std::int64_t max,
                                            std::string_view unit = {});
  std::optional<Read<std::chrono::seconds>> seconds(const Section& s, std::string_view key,
                                                    std::int64_t min = 1);
  std::optional<bool> boolean(const Section& s, std::string_view key);
  std::optional<std::vector<Read<std::string>>> strings(const Section& s, std::string_view key);
  std::optional<Section> table(const Section& s, std::string_view key, std::string_view name,
                               bool required = false);
  std::vector<Section> tables(const Section& s, std::string_view key, std::string_view name,
                              bool required = false);
  std::optional<std::string> text(const Section& s, std::string_view key, bool required = false,
                                  bool non_empty = false);
  std::optional<std::string> ip_address(const Section& s, std::string_view key,
                                        bool required = false);
  bool host(const Section& s, std::string_view key, const Read<std::string>& host);
  std::optional<std::vector<std::string>> auth_algorithms(const Section& s);

  ServerConfig server(const Section& s);
  std::optional<ListenConfig> listen(const Section& s);
  LimitsConfig limits(const Section& s);
  SecurityConfig security(const Section& s);
  RegistrarConfig registrar(const Section& s);
  CallsConfig calls(const Section& s);
  MediaSettings media(const Section& s);
  ApiConfig api(const Section& s);
  std::optional<std::filesystem::path> web_root(const Section& s);
  HistoryConfig history(const Section& s);
  TenantConfig tenant(const Section& s);
  UserConfig user(const Section& s, const TenantConfig& tenant);
  TrunkConfig trunk(const Section& s);
  LotConfig lot(const Section& s);

  std::string file_;
  std::vector<ConfigError> errors_;
  ConfigRules rules_;
};

void Decoder::check_keys(const Section& s, Keys known) {
  for (const auto& [key, node] : s.table) {
    if (std::ranges::find(known, key.str()) != known.end()) continue;
    std::string message = "unknown key '" + std::string(key.str()) + "' " + s.where;
    if (const auto guess = closest_key(key.str(), known); !guess.empty()) {
      message += " (did you mean '" + std::string(guess) + "'?)";
    }
    error(line_of(key.source()) > 0 ? line_of(key.source()) : line_of(node.source()),
          std::move(message));
  }
}

const toml::node* Decoder::find(const Section& s, std::string_view key, bool required) {
  const toml::node* node = s.table.get(key);
  if (node == nullptr && required) {
    error(line_of(s.table.source()), "missing required key '" + std::string(key) + "' " + s.where);
  }
  return node;
}

std::optional<Read<std::string>> Decoder::string(const Section& s, std::string_view key,
                                                 bool required) {
  const toml::node* node = find(s, key, required);
  if (node == nullptr) return std::nullopt;
  if (const auto* value = node->as_string())
    return Read<std::string>{value->get(), line_of(node->source())};
  error(line_of(node->source()),
        subject(s, key) + " must be a string, not " + type_name(node->type()));
  return std::nullopt;
}

std::optional<std::string> Decoder::one_of(const Section& s, std::string_view key, Keys allowed,
                                           bool required) {
  auto read = string(s, key, required);
  if (!read) return std::nullopt;
  if (std::ranges::find(allowed, read->value) != allowed.end()) return std::move(read->value);
  error(read->line,
        subject(s, key) + " must be one of " + joined(allowed) + ", got " + in_quotes(read->value));
  return std::nullopt;
}

std::optional<Read<std::int64_t>> Decoder::integer(const Section& s, std::string_view key,
                                                   std::int64_t min, std::int64_t max,
                                                   std::string_view unit) {
  const toml::node* node = find(s, key, false);
  if (node == nullptr) return std::nullopt;
  const int line = line_of(node->source());
  const std::string what = subject(s, key) + " must be ";
  const auto* value = node->as_integer();
  if (value == nullptr) {
    error(line, what + (unit.empty() ? "an integer" : "an integer number of " + std::string(unit)) +
                    ", not " + type_name(node->type()));
    return std::nullopt;
  }
  if (value->get() < min || value->get() > max) {
    error(line, what + "between " + std::to_string(min) + " and " + std::to_string(max) +
                    (unit.empty() ? "" : " " + std::string(unit)) + ", got " +
                    std::to_string(value->get()));
    return std::nullopt;
  }
  return Read<std::int64_t>{value->get(), line};
}

std::optional<Read<std::chrono::seconds>> Decoder::seconds(const Section& s, std::string_view key,
                                                           std::int64_t min) {
  const auto read = integer(s, key, min, kMaxDuration, "seconds");
  if (!read) return std::nullopt;
  return Read<std::chrono::seconds>{std::chrono::seconds{read->value}, read->line};
}

std::optional<bool> Decoder::boolean(const Section& s, std::string_view key) {
  const toml::node* node = find(s, key, false);
  if (node == nullptr) return std::nullopt;
  if (const auto* value = node->as_boolean()) return value->get();
  error(line_of(node->source()),
        subject(s, key) + " must be a boolean (true or false), not " + type_name(node->type()));
  return std::nullopt;
}

std::optional<std::vector<Read<std::string>>> Decoder::strings(const Section& s,
                                                               std::string_view key) {
  const toml::node* node = find(s, key, false);
  if (node == nullptr) return std::nullopt;
  const std::string what = subject(s, key) + " must be an array of strings";
  const auto* array = node->as_array();
  if (array == nullptr) {
    error(line_of(node->source()), what + ", not " + type_name(node->type()));
    return std::nullopt;
  }
  std::vector<Read<std::string>> out;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    if (const auto* value = element.as_string()) {
      out.push_back({value->get(), line_of(element.source())});
    } else {
      error(line_of(element.source()),
            what + "; element " + std::to_string(i + 1) + " is " + type_name(element.type()));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Section> Decoder::table(const Section& s, std::string_view key, std::string_view name,
                                      bool required) {
  const toml::node* node = s.table.get(key);
  if (node == nullptr) {
    if (required) error(line_of(s.table.source()), "missing required table " + std::string(name));
    return std::nullopt;
  }
  if (const auto* t = node->as_table()) return Section{*t, "in " + std::string(name)};
  error(line_of(node->source()), subject(s, key) + " must be a table " + std::string(name) +
                                     ", not " + type_name(node->type()));
  return std::nullopt;
}

std::vector<Section> Decoder::tables(const Section& s, std::string_view key, std::string_view name,
                                     bool required) {
  const std::string at_least_one = "at least one " + std::string(name) + " entry is required";
  const toml::node* node = s.table.get(key);
  if (node == nullptr) {
    if (required) error(line_of(s.table.source()), at_least_one);
    return {};
  }
  const std::string what = subject(s, key) + " must be an array of tables " + std::string(name);
  const auto* array = node->as_array();
  if (array == nullptr) {
    error(line_of(node->source()), what + ", not " + type_name(node->type()));
    return {};
  }
  if (array->empty() && required) error(line_of(node->source()), at_least_one);
  std::vector<Section> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    if (const auto* t = element.as_table()) {
      out.push_back({*t, "in " + std::string(name)});
    } else {
      error(line_of(element.source()),
            what + "; element " + std::to_string(i + 1) + " is " + type_name(element.type()));
    }
  }
  return out;
}

// A string shown to people or put in a SIP header: no control characters.
std::optional<std::string> Decoder::text(const Section& s, std::string_view key, bool required,
                                         bool non_empty) {
  auto read = string(s, key, required);
  if (!read) return std::nullopt;
  const std::string what = subject(s, key);
  if (non_empty && read->value.empty()) {
    error(read->line, what + " must not be empty");
    return std::nullopt;
  }
  if (has_control_char(read->value)) {
    error(read->line, what + " must not contain control characters");
    return std::nullopt;
  }
  return std::move(read->value);
}

// The canonical text of an IP literal.
std::optional<std::string> Decoder::ip_address(const Section& s, std::string_view key,
                                               bool required) {
  const auto read = string(s, key, required);
  if (!read) return std::nullopt;
  auto address = canonical_ip(read->value);
  if (!address.empty()) return address;
  error(read->line,
        subject(s, key) + " must be an IPv4 or IPv6 address, got " + in_quotes(read->value));
  return std::nullopt;
}

bool Decoder::host(const Section& s, std::string_view key, const Read<std::string>& host) {
  if (is_host(host.value)) return true;
  error(host.line,
        subject(s, key) + " must be a host name or an IP address, got " + in_quotes(host.value));
  return false;
}

std::optional<std::vector<std::string>> Decoder::auth_algorithms(const Section& s) {
  const auto read = strings(s, "auth_algorithms");
  if (!read) return std::nullopt;
  const std::string what = "'auth_algorithms' " + s.where;
  if (read->empty()) {
    error(line_of(s.table.get("auth_algorithms")->source()),
          what + " must name at least one algorithm (" + joined(kAuthAlgorithms) + ")");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& [name, line] : *read) {
    if (std::ranges::find(kAuthAlgorithms, name) == kAuthAlgorithms.end()) {
      error(line, what + " must hold only " + joined(kAuthAlgorithms) + ", got " + in_quotes(name));
    } else if (std::ranges::find(out, name) != out.end()) {
      error(line, what + " names " + in_quotes(name) + " twice");
    } else {
      out.push_back(name);
    }
  }
  if (out.size() != read->size()) return std::nullopt;
  return out;
}

Config Decoder::decode(const toml::table& root) {
  const Section top{root, "at the top level"};
  check_keys(top, kRootKeys);
  Config config;
  if (const auto s = table(top, "server", "[server]", true)) config.server = server(*s);
  if (const auto s = table(top, "limits", "[limits]")) config.limits = limits(*s);
  if (const auto s = table(top, "security", "[security]")) config.security = security(*s);
  if (const auto s = table(top, "registrar", "[registrar]")) config.registrar = registrar(*s);
  if (const auto s = table(top, "calls", "[calls]")) config.calls = calls(*s);
  if (const auto s = table(top, "media", "[media]")) config.media = media(*s);
  if (const auto s = table(top, "api", "[api]")) config.api = api(*s);
  if (const auto s = table(top, "history", "[history]")) config.history = history(*s);
  for (const auto& s : tables(top, "tenants", "[[tenants]]")) {
    config.tenants.push_back(tenant(s));
  }
  std::ranges::stable_sort(errors_, {}, &ConfigError::line);
  return config;
}

ServerConfig Decoder::server(const Section& s) {
  check_keys(s, kServerKeys);
  ServerConfig server;
  if (auto name = text(s, "name", false, true)) server.name = std::move(*name);
  if (auto level = one_of(s, "log_level", kLogLevels)) server.log_level = std::move(*level);
  for (const auto& entry : tables(s, "listen", "[[server.listen]]", true)) {
    if (auto listen_config = listen(entry)) server.listen.push_back(std::move(*listen_config));
  }
  return server;
}

// Nothing when the entry is incomplete or wrong: the errors say why.
std::optional<ListenConfig> Decoder::listen(const Section& s) {
  check_keys(s, kListenKeys);
  ListenConfig listen;
  const std::size_t errors_before = errors_.size();
  if (auto transport = one_of(s, "transport", kTransports, true)) {
    listen.transport = std::move(*transport);
  }
  if (auto address = ip_address(s, "address", true)) listen.address = std::move(*address);
  if (const auto port = integer(s, "port", 1, 65535)) {
    listen.port = static_cast<std::uint16_t>(port->value);
  }
  if (errors_.size() != errors_before) return std::nullopt;
  const int line = line_of(s.table.source());
  if (report(line, rules_.listen(listen, line))) return std::nullopt;
  return listen;
}

LimitsConfig Decoder::limits(const Section& s) {
  check_keys(s, kLimitsKeys);
  LimitsConfig limits;
  if (const auto v = integer(s, "max_message_size", 1024, 1048576, "bytes")) {
    limits.max_message_size = static_cast<std::size_t>(v->value);
  }
  if (const auto v = seconds(s, "tcp_idle_timeout")) limits.tcp_idle_timeout = v->value;
  if (const auto v = integer(s, "max_tcp_connections", 1, 1000000)) {
    limits.max_tcp_connections = static_cast<std::size_t>(v->value);
  }
  return limits;
}

SecurityConfig Decoder::security(const Section& s) {
  check_keys(s, kSecurityKeys);
  SecurityConfig security;
  if (const auto v = integer(s, "auth_failures_per_minute", 1, 10000)) {
    security.auth_failures_per_minute = static_cast<std::uint32_t>(v->value);
  }
  if (const auto v = seconds(s, "auth_block_time")) security.auth_block_time = v->value;
  if (const auto v = seconds(s, "nonce_lifetime")) security.nonce_lifetime = v->value;
  return security;
}

RegistrarConfig Decoder::registrar(const Section& s) {
  check_keys(s, kRegistrarKeys);
  RegistrarConfig r;
  const auto min = seconds(s, "min_expires");
  const auto max = seconds(s, "max_expires");
  const auto fallback = seconds(s, "default_expires");
  if (min) r.min_expires = min->value;
  if (max) r.max_expires = max->value;
  if (fallback) r.default_expires = fallback->value;
  // The error sits on the key written in the file; a key absent takes its default.
  const auto line = [&](const auto& read) { return read ? read->line : line_of(s.table.source()); };
  const auto text = [](std::string_view key, std::chrono::seconds v) {
    return "'" + std::string(key) + "' (" + std::to_string(v.count()) + ")";
  };
  if (r.min_expires > r.max_expires) {
    error(min ? min->line : line(max), text("min_expires", r.min_expires) + " must not exceed " +
                                           text("max_expires", r.max_expires) + " " + s.where);
  } else if (r.default_expires < r.min_expires || r.default_expires > r.max_expires) {
    const bool below = r.default_expires < r.min_expires;
    error(fallback ? fallback->line : line(below ? min : max),
          text("default_expires", r.default_expires) + " must be between " +
              text("min_expires", r.min_expires) + " and " + text("max_expires", r.max_expires) +
              " " + s.where);
  }
  return r;
}

CallsConfig Decoder::calls(const Section& s) {
  check_keys(s, kCallsKeys);
  CallsConfig c;
  if (const auto v = seconds(s, "ring_time")) c.ring_time = v->value;
  if (const auto v = integer(s, "max_calls", 1, 1000000)) {
    c.max_calls = static_cast<std::size_t>(v->value);
  }
  return c;
}

MediaSettings Decoder::media(const Section& s) {
  check_keys(s, kMediaKeys);
  MediaSettings m;
  if (auto address = ip_address(s, "address")) m.address = std::move(*address);
  const auto min = integer(s, "port_min", 1024, 65535);
  const auto max = integer(s, "port_max", 1024, 65535);
  if (min) m.port_min = static_cast<std::uint16_t>(min->value);
  if (max) m.port_max = static_cast<std::uint16_t>(max->value);
  if (m.port_min >= m.port_max) {
    error(min ? min->line : (max ? max->line : line_of(s.table.source())),
          "'port_min' (" + std::to_string(m.port_min) + ") must be below 'port_max' (" +
              std::to_string(m.port_max) + ") " + s.where);
  }
  if (const auto v = integer(s, "threads", 0, 64)) m.threads = static_cast<unsigned>(v->value);
  if (const auto v = seconds(s, "media_timeout")) m.media_timeout = v->value;
  if (auto dir = text(s, "music_directory", false, true)) m.music_directory = std::move(*dir);
  if (auto dir = text(s, "prompt_directory", false, true)) m.prompt_directory = std::move(*dir);
  return m;
}

ApiConfig Decoder::api(const Section& s) {
  check_keys(s, kApiKeys);
  ApiConfig a;
  a.enabled = true;
  if (auto address = ip_address(s, "address")) a.address = std::move(*address);
  if (const auto port = integer(s, "port", 1, 65535)) a.port = static_cast<std::uint16_t>(port->value);
  if (auto root = web_root(s)) a.web_root = std::move(*root);
  for (const auto& entry : tables(s, "tokens", "[[api.tokens]]")) {
    check_keys(entry, kApiTokenKeys);
    ApiTokenConfig t;
    if (auto name = text(entry, "name", true, true)) t.name = std::move(*name);
    if (const auto hash = string(entry, "token_sha256", true)) {
      bool hex = hash->value.size() == 64 &&
                 std::ranges::all_of(hash->value, [](char c) { return std::isxdigit(
                                                                    static_cast<unsigned char>(c)); });
      if (!hex) error(hash->line, subject(entry, "token_sha256") + " must be 64 hex digits");
      t.token_sha256 = hash->value;
    }
    if (auto role = one_of(entry, "role", kApiRoles, true)) t.role = std::move(*role);
    if (auto tenant = text(entry, "tenant", true, true)) t.tenant = std::move(*tenant);
    if (auto ext = text(entry, "extension")) t.extension = std::move(*ext);
    if (t.role == "agent" && t.extension.empty()) {
      error(line_of(entry.table.source()), "an agent token needs an 'extension' " + entry.where);
    }
    a.tokens.push_back(std::move(t));
  }
  return a;
}

// A directory holding index.html, relative to the configuration file's directory (for a
// configuration given as text, to the working directory); absolute and normal once read.
std::optional<std::filesystem::path> Decoder::web_root(const Section& s) {
  const auto read = string(s, "web_root");
  if (!read) return std::nullopt;
  const std::string what = subject(s, "web_root");
  if (read->value.empty() || has_control_char(read->value)) {
    error(read->line, what + " must be a directory, not empty and without control characters");
    return std::nullopt;
  }
  std::error_code ec;
  const std::filesystem::path written(read->value);
  const auto base = std::filesystem::path(file_).parent_path();
  const auto root =
      std::filesystem::absolute(written.is_absolute() ? written : base / written, ec)
          .lexically_normal();
  if (ec || !std::filesystem::is_directory(root, ec)) {
    error(read->line, what + " must be an existing directory, and " + in_quotes(root.string()) +
                          " is not (a relative path starts at the configuration file's directory)");
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(root / "index.html", ec)) {
    error(read->line, what + ": " + in_quotes(root.string()) + " has no index.html");
    return std::nullopt;
  }
  return root;
}

HistoryConfig Decoder::history(const Section& s) {
  check_keys(s, kHistoryKeys);
  HistoryConfig h;
  h.enabled = true;
  if (auto path = text(s, "path", true, true)) h.path = std::move(*path);
  return h;
}

TenantConfig Decoder::tenant(const Section& s) {
  check_keys(s, kTenantKeys);
  TenantConfig tenant;
  const auto domain = string(s, "domain", true);
  rules_.begin_tenant(domain ? domain->value : "");
  if (domain && host(s, "domain", *domain)) {
    tenant.domain = domain->value;
    report(domain->line, rules_.domain(domain->value, domain->line));
  }
  for (const auto& alias : strings(s, "aliases").value_or(std::vector<Read<std::string>>{})) {
    if (!host(s, "aliases", alias)) continue;
    tenant.aliases.push_back(alias.value);
    report(alias.line, rules_.alias(alias.value, alias.line));
  }
  tenant.realm = tenant.domain;
  if (const auto realm = string(s, "realm")) {
    if (realm->value.empty() || has_control_char(realm->value) ||
        realm->value.find_first_of("\"\\") != std::string::npos) {
      error(realm->line, subject(s, "realm") +
                             " must be a non-empty string without quotes, backslashes or "
                             "control characters, got " +
                             in_quotes(realm->value));
    } else {
      tenant.realm = realm->value;
    }
  }
  if (auto algorithms = auth_algorithms(s)) tenant.auth_algorithms = std::move(*algorithms);
  // Users first: trunks and lots are checked against their extensions.
  for (const auto& entry : tables(s, "users", "[[tenants.users]]")) {
    tenant.users.push_back(user(entry, tenant));
  }
  for (const auto& entry : tables(s, "trunks", "[[tenants.trunks]]")) {
    tenant.trunks.push_back(trunk(entry));
  }
  for (const auto& entry : tables(s, "lots", "[[tenants.lots]]")) {
    tenant.lots.push_back(lot(entry));
    for (const auto& ext : tenant.lots.back().fallback) {
      if (std::ranges::none_of(tenant.users, [&](const auto& u) { return u.extension == ext; })) {
        error(line_of(entry.table.source()),
              "'fallback' of lot " + in_quotes(tenant.lots.back().name) + " names " +
                  in_quotes(ext) + ", which is no extension of this tenant");
      }
    }
  }
  for (auto [key, field] : {std::pair{"webex_park_code", &tenant.webex_park_code},
                            std::pair{"webex_retrieve_code", &tenant.webex_retrieve_code},
                            std::pair{"orbit_park_code", &tenant.orbit_park_code},
                            std::pair{"orbit_retrieve_code", &tenant.orbit_retrieve_code}}) {
    if (const auto code = string(s, key); code && !code->value.empty()) {
      if (!is_dial_code(code->value)) {
        error(code->line, subject(s, key) + " must be 1 to 16 digits, '*' or '#', got " +
                              in_quotes(code->value));
      } else {
        *field = code->value;
      }
    }
  }
  return tenant;
}

UserConfig Decoder::user(const Section& s, const TenantConfig& tenant) {
  check_keys(s, kUserKeys);
  UserConfig user;
  if (const auto extension = string(s, "extension", true)) {
    user.extension = extension->value;
    if (!is_extension(extension->value)) {
      error(extension->line, subject(s, "extension") + " must be 1 to 32 letters or digits, got " +
                                 in_quotes(extension->value));
    } else {
      report(extension->line, rules_.extension(extension->value, extension->line));
    }
  }
  if (auto name = text(s, "display_name")) user.display_name = std::move(*name);
  if (auto password = text(s, "password", true, true)) user.password = std::move(*password);
  if (const auto v = boolean(s, "can_park")) user.can_park = *v;
  if (const auto v = boolean(s, "can_retrieve")) user.can_retrieve = *v;
  auto algorithms = auth_algorithms(s);
  user.auth_algorithms = algorithms ? std::move(*algorithms) : tenant.auth_algorithms;
  return user;
}

TrunkConfig Decoder::trunk(const Section& s) {
  check_keys(s, kTrunkKeys);
  TrunkConfig trunk;
  if (auto name = text(s, "name", true, true)) {
    trunk.name = std::move(*name);
    const int line = line_of(s.table.get("name")->source());
    report(line, rules_.trunk_name(trunk.name, line));
  }
  if (auto address = ip_address(s, "address", true)) {
    trunk.address = std::move(*address);
    const int line = line_of(s.table.get("address")->source());
    report(line, rules_.trunk_address(trunk.address, trunk.name, line));
  }
  if (const auto port = integer(s, "port", 0, 65535)) {
    trunk.port = static_cast<std::uint16_t>(port->value);
  }
  if (const auto destination = string(s, "destination")) {
    trunk.destination = destination->value;
    if (const auto problem = rules_.destination(destination->value)) {
      error(destination->line, subject(s, "destination") + ": " + *problem);
    }
  }
  return trunk;
}

LotConfig Decoder::lot(const Section& s) {
  check_keys(s, kLotKeys);
  LotConfig lot;
  if (auto name = text(s, "name", true, true)) {
    lot.name = std::move(*name);
    const int line = line_of(s.table.get("name")->source());
    report(line, rules_.lot_name(lot.name, line));
  }
  if (const auto slots = string(s, "slots", true)) {
    lot.slots = slots->value;
    if (const auto range = parse_slot_range(slots->value); !range) {
      error(slots->line, subject(s, "slots") + " " + range.error());
    } else {
      lot.first_slot = range->first;
      lot.last_slot = range->last;
      for (auto& problem : rules_.slots(lot.name, slots->value, *range, slots->line)) {
        error(slots->line, std::move(problem));
      }
    }
  }
  if (const auto code = string(s, "park_code"); code && !code->value.empty()) {
    lot.park_code = code->value;
    if (!is_dial_code(code->value)) {
      error(code->line, subject(s, "park_code") + " must be 1 to 16 digits, '*' or '#', got " +
                            in_quotes(code->value));
    } else {
      report(code->line, rules_.park_code(lot.name, code->value, code->line));
    }
  }
  if (const auto v = seconds(s, "timeout")) lot.timeout = v->value;
  if (const auto v = seconds(s, "recall_ring_time")) lot.recall_ring_time = v->value;
  if (const auto v = seconds(s, "warn_after")) lot.warn_after = v->value;
  if (const auto list = strings(s, "fallback")) {
    for (const auto& ext : *list) lot.fallback.push_back(ext.value);
  }
  if (auto music = text(s, "music_class", false, true)) lot.music_class = std::move(*music);
  return lot;
}

}  // namespace

std::size_t LotConfig::slot_count() const {
  return last_slot >= first_slot && !slots.empty() ? std::size_t{last_slot - first_slot} + 1 : 0;
}

std::size_t Config::tenant_count() const {
  return tenants.size();
}

std::size_t Config::user_count() const {
  std::size_t n = 0;
  for (const auto& tenant : tenants) n += tenant.users.size();
  return n;
}

std::size_t Config::trunk_count() const {
  std::size_t n = 0;
  for (const auto& tenant : tenants) n += tenant.trunks.size();
  return n;
}

std::size_t Config::lot_count() const {
  std::size_t n = 0;
  for (const auto& tenant : tenants) n += tenant.lots.size();
  return n;
}

std::size_t Config::slot_count() const {
  std::size_t n = 0;
  for (const auto& tenant : tenants) {
    for (const auto& lot : tenant.lots) n += lot.slot_count();
  }
  return n;
}

std::string ConfigError::to_string() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

std::expected<Config, std::vector<ConfigError>> load_config_string(std::string_view text,
                                                                   std::string_view name) {
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return std::unexpected(std::vector<ConfigError>{
        {std::string(name), std::max(line_of(e.source()), 1), std::string(e.description())}});
  }
  Decoder decoder(name);
  Config config = decoder.decode(root);
  auto errors = decoder.take_errors();
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return config;
}

std::expected<Config, std::vector<ConfigError>> load_config(const std::filesystem::path& file) {
  const auto fail = [&](std::string message) {
    return std::unexpected(std::vector<ConfigError>{{file.string(), 0, std::move(message)}});
  };
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return fail("is a directory, not a file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot open: " + std::generic_category().message(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return fail("cannot read: " + std::generic_category().message(errno));
  auto config = load_config_string(text.str(), file.string());
  // A relative path in the file means relative to the file, wherever Orbit is started from.
  if (config && config->history.enabled && config->history.path.is_relative()) {
    config->history.path = (file.parent_path() / config->history.path).lexically_normal();
  }
  return config;
}

}  // namespace orbit::app
