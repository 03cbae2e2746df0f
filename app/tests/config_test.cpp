// Tests of the configuration loader: the demo file, defaults, every kind of error with its line.
#include "app/config.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#ifndef ORBIT_SOURCE_DIR
#define ORBIT_SOURCE_DIR "."  // standalone build, run from the repository root
#endif

namespace orbit::app {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kSourceDir{ORBIT_SOURCE_DIR};
const std::filesystem::path kConfigs = kSourceDir / "app/tests/configs";

// The errors of a configuration as "test.toml:line: message"; empty when it loads.
std::vector<std::string> errors_of(std::string_view text) {
  const auto config = load_config_string(text, "test.toml");
  std::vector<std::string> out;
  if (!config) {
    for (const auto& error : config.error()) out.push_back(error.to_string());
  }
  return out;
}

// Four lines that make a valid configuration: the snippets of the error cases follow it, so
// their first line is line 5. kServer is its first line, for cases that add keys to [server].
constexpr std::string_view kServer = "[server]\n";
constexpr std::string_view kHead =
    "[server]\n"
    "[[server.listen]]\n"
    "transport = \"udp\"\n"
    "address = \"127.0.0.1\"\n";

// A tenant that follows the head, from line 5, with users 100 (line 8) and 101 (line 11).
constexpr std::string_view kTenant =
    "[[tenants]]\n"                // 5
    "domain = \"demo.orbit\"\n"    // 6
    "[[tenants.users]]\n"          // 7
    "extension = \"100\"\n"        // 8
    "password = \"secret100\"\n"   // 9
    "[[tenants.users]]\n"          // 10
    "extension = \"101\"\n"        // 11
    "password = \"secret101\"\n";  // 12

TEST(Config, TheDemoConfigurationLoads) {
  const auto config = load_config(kSourceDir / "config/demo.toml");
  ASSERT_TRUE(config) << config.error().front().to_string();
  EXPECT_EQ(config->tenant_count(), 1U);
  EXPECT_EQ(config->user_count(), 6U);
  EXPECT_EQ(config->trunk_count(), 1U);
  EXPECT_EQ(config->lot_count(), 1U);
  EXPECT_EQ(config->slot_count(), 20U);

  ASSERT_EQ(config->server.listen.size(), 2U);
  EXPECT_EQ(config->server.listen[0].transport, "udp");
  EXPECT_EQ(config->server.listen[1].transport, "tcp");
  for (const auto& listen : config->server.listen) {
    EXPECT_EQ(listen.address, "127.0.0.1");
    EXPECT_EQ(listen.port, 5060);
  }

  const TenantConfig& tenant = config->tenants.front();
  EXPECT_EQ(tenant.domain, "demo.orbit");
  EXPECT_EQ(tenant.realm, "demo.orbit");
  EXPECT_EQ(tenant.aliases, (std::vector<std::string>{"127.0.0.1", "localhost"}));
  EXPECT_EQ(tenant.users.front().extension, "100");
  EXPECT_EQ(tenant.users.front().display_name, "Reception");
  EXPECT_EQ(tenant.users.front().password, "secret100");
  EXPECT_EQ(tenant.users.back().extension, "105");
  EXPECT_FALSE(tenant.users.back().can_park) << "105 is the user without permission to park";
  EXPECT_TRUE(tenant.users.back().can_retrieve);
  EXPECT_EQ(tenant.trunks.front().name, "carrier");
  EXPECT_EQ(tenant.trunks.front().address, "127.0.0.2");
  EXPECT_EQ(tenant.trunks.front().destination, "100");
  EXPECT_EQ(tenant.lots.front().name, "main");
  EXPECT_EQ(tenant.lots.front().first_slot, 701U);
  EXPECT_EQ(tenant.lots.front().last_slot, 720U);
  EXPECT_EQ(tenant.lots.front().park_code, "700");
}

TEST(Config, AbsentKeysTakeTheirDefaults) {
  const auto config = load_config(kConfigs / "minimal.toml");
  ASSERT_TRUE(config) << config.error().front().to_string();
  EXPECT_EQ(config->server.name, "orbit");
  EXPECT_EQ(config->server.log_level, "info");
  EXPECT_EQ(config->server.listen.front().address, "::1");
  EXPECT_EQ(config->server.listen.front().port, 5060);
  EXPECT_EQ(config->limits.max_message_size, 65535U);
  EXPECT_EQ(config->limits.tcp_idle_timeout, 300s);
  EXPECT_EQ(config->limits.max_tcp_connections, 4096U);
  EXPECT_EQ(config->security.auth_failures_per_minute, 10U);
  EXPECT_EQ(config->security.auth_block_time, 300s);
  EXPECT_EQ(config->security.nonce_lifetime, 300s);
  EXPECT_EQ(config->registrar.min_expires, 60s);
  EXPECT_EQ(config->registrar.max_expires, 3600s);
  EXPECT_EQ(config->registrar.default_expires, 3600s);

  const TenantConfig& tenant = config->tenants.front();
  EXPECT_TRUE(tenant.aliases.empty());
  EXPECT_EQ(tenant.realm, "example.com") << "the realm is the domain by default";
  EXPECT_EQ(tenant.auth_algorithms, std::vector<std::string>{"MD5"});
  const UserConfig& user = tenant.users.front();
  EXPECT_EQ(user.display_name, "");
  EXPECT_TRUE(user.can_park);
  EXPECT_TRUE(user.can_retrieve);
  EXPECT_EQ(user.auth_algorithms, std::vector<std::string>{"MD5"}) << "inherited from the tenant";
  const LotConfig& lot = tenant.lots.front();
  EXPECT_EQ(lot.park_code, "");
  EXPECT_EQ(lot.timeout, 60s);
  EXPECT_EQ(lot.recall_ring_time, 20s);
  EXPECT_EQ(lot.slot_count(), 3U);
}

TEST(Config, EveryKeyIsRead) {
  const auto config = load_config(kConfigs / "full.toml");
  ASSERT_TRUE(config) << config.error().front().to_string();
  EXPECT_EQ(config->server.name, "orbit-test");
  EXPECT_EQ(config->server.log_level, "debug");
  EXPECT_EQ(config->server.listen.front().transport, "tcp");
  EXPECT_EQ(config->server.listen.front().address, "::1") << "kept in canonical form";
  EXPECT_EQ(config->server.listen.front().port, 5080);
  EXPECT_EQ(config->limits.max_message_size, 4096U);
  EXPECT_EQ(config->limits.tcp_idle_timeout, 120s);
  EXPECT_EQ(config->limits.max_tcp_connections, 16U);
  EXPECT_EQ(config->security.auth_failures_per_minute, 3U);
  EXPECT_EQ(config->security.auth_block_time, 600s);
  EXPECT_EQ(config->security.nonce_lifetime, 30s);
  EXPECT_EQ(config->registrar.min_expires, 30s);
  EXPECT_EQ(config->registrar.max_expires, 7200s);
  EXPECT_EQ(config->registrar.default_expires, 600s);

  const TenantConfig& tenant = config->tenants.front();
  EXPECT_EQ(tenant.domain, "acme.example");
  EXPECT_EQ(tenant.aliases, (std::vector<std::string>{"pbx.acme.example", "192.0.2.10"}));
  EXPECT_EQ(tenant.realm, "Acme");
  EXPECT_EQ(tenant.auth_algorithms, (std::vector<std::string>{"SHA-256", "MD5"}));
  const UserConfig& user = tenant.users.front();
  EXPECT_EQ(user.extension, "alice");
  EXPECT_EQ(user.display_name, "Alice");
  EXPECT_EQ(user.password, "wonderland");
  EXPECT_FALSE(user.can_park);
  EXPECT_FALSE(user.can_retrieve);
  EXPECT_EQ(user.auth_algorithms, std::vector<std::string>{"SHA-256"});
  const TrunkConfig& trunk = tenant.trunks.front();
  EXPECT_EQ(trunk.name, "upstream");
  EXPECT_EQ(trunk.address, "2001:db8::5") << "kept in canonical form";
  EXPECT_EQ(trunk.port, 5070);
  EXPECT_EQ(trunk.destination, "alice");
  const LotConfig& lot = tenant.lots.front();
  EXPECT_EQ(lot.name, "sales");
  EXPECT_EQ(lot.slots, "0-9");
  EXPECT_EQ(lot.first_slot, 0U);
  EXPECT_EQ(lot.last_slot, 9U);
  EXPECT_EQ(lot.slot_count(), 10U);
  EXPECT_EQ(lot.park_code, "*68");
  EXPECT_EQ(lot.timeout, 45s);
  EXPECT_EQ(lot.recall_ring_time, 15s);
}

TEST(Config, ASyntaxErrorCarriesTheParsersLine) {
  const auto path = kConfigs / "syntax_error.toml";
  const auto config = load_config(path);
  ASSERT_FALSE(config);
  ASSERT_EQ(config.error().size(), 1U);
  EXPECT_EQ(config.error().front().file, path.string());
  EXPECT_EQ(config.error().front().line, 8);
  EXPECT_FALSE(config.error().front().message.empty());
  EXPECT_TRUE(config.error().front().to_string().starts_with(path.string() + ":8: "));
}

TEST(Config, EveryErrorIsReportedInLineOrder) {
  const auto path = kConfigs / "several_errors.toml";
  const auto config = load_config(path);
  ASSERT_FALSE(config);
  std::vector<std::string> errors;
  for (const auto& error : config.error()) {
    EXPECT_EQ(error.file, path.string());
    errors.push_back(std::to_string(error.line) + ": " + error.message);
  }
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "3: 'log_level' in [server] must be one of trace, debug, info, warn, "
                        "error, got \"verbose\"",
                        "8: 'port' in [[server.listen]] must be between 1 and 65535, got 70000",
                        "11: 'max_message_size' in [limits] must be an integer number of bytes, "
                        "not a string",
                        "16: missing required key 'password' in [[tenants.users]]",
                        "18: unknown key 'pasword' in [[tenants.users]] (did you mean "
                        "'password'?)",
                        "23: 'destination' in [[tenants.trunks]]: extension \"999\" is not "
                        "defined in tenant \"demo.orbit\"",
                    }));
}

TEST(Config, AFileThatCannotBeReadIsOneErrorWithoutLine) {
  const auto path = kConfigs / "no_such_file.toml";
  const auto config = load_config(path);
  ASSERT_FALSE(config);
  ASSERT_EQ(config.error().size(), 1U);
  EXPECT_EQ(config.error().front().line, 0);
  EXPECT_EQ(config.error().front().to_string(),
            path.string() + ": cannot open: No such file or directory");
}

// A configuration with one mistake, and the one error it must produce.
struct ErrorCase {
  std::string_view name;
  std::string text;
  std::string error;
};

void PrintTo(const ErrorCase& error_case, std::ostream* out) {
  *out << error_case.name;
}

std::string head(std::string_view rest) {
  return std::string(kHead) + std::string(rest);
}
std::string tenant(std::string_view rest) {
  return head(kTenant) + std::string(rest);
}

class ConfigErrors : public testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigErrors, NamesTheFileTheLineAndTheProblem) {
  EXPECT_EQ(errors_of(GetParam().text), std::vector<std::string>{GetParam().error});
}

std::string case_name(const testing::TestParamInfo<ErrorCase>& info) {
  return std::string(info.param.name);
}

INSTANTIATE_TEST_SUITE_P(
    Server, ConfigErrors,
    testing::Values(
        ErrorCase{"UnknownKey",
                  "[server]\nfo = 1\n[[server.listen]]\ntransport = \"udp\"\naddress = \"::1\"\n",
                  "test.toml:2: unknown key 'fo' in [server]"},
        ErrorCase{"UnknownTable", "[servr]\n" + head(""),
                  "test.toml:1: unknown key 'servr' at the top level (did you mean 'server'?)"},
        ErrorCase{"TypoGetsASuggestion",
                  "[server]\nnmae = \"x\"\n[[server.listen]]\ntransport = \"udp\"\n"
                  "address = \"::1\"\n",
                  "test.toml:2: unknown key 'nmae' in [server] (did you mean 'name'?)"},
        ErrorCase{"NoServerTable", "", "test.toml:1: missing required table [server]"},
        ErrorCase{"NoListenEntry", "\n[server]\nname = \"x\"\n",
                  "test.toml:2: at least one [[server.listen]] entry is required"},
        ErrorCase{"EmptyName", "[server]\nname = \"\"\n" + head("").substr(kServer.size()),
                  "test.toml:2: 'name' in [server] must not be empty"},
        ErrorCase{"LogLevel",
                  "[server]\nlog_level = \"warning\"\n" + head("").substr(kServer.size()),
                  "test.toml:2: 'log_level' in [server] must be one of trace, debug, info, warn, "
                  "error, got \"warning\""},
        ErrorCase{"ListenIsATable",
                  "[server.listen]\ntransport = \"udp\"\naddress = \"127.0.0.1\"\n",
                  "test.toml:1: 'listen' in [server] must be an array of tables "
                  "[[server.listen]], not a table"},
        ErrorCase{"MissingTransport", "[[server.listen]]\naddress = \"127.0.0.1\"\n",
                  "test.toml:1: missing required key 'transport' in [[server.listen]]"},
        ErrorCase{"Transport", "[[server.listen]]\ntransport = \"sctp\"\naddress = \"::1\"\n",
                  "test.toml:2: 'transport' in [[server.listen]] must be one of udp, tcp, "
                  "got \"sctp\""},
        ErrorCase{"AddressIsAName",
                  "[[server.listen]]\ntransport = \"udp\"\naddress = \"localhost\"\n",
                  "test.toml:3: 'address' in [[server.listen]] must be an IPv4 or IPv6 address, "
                  "got \"localhost\""},
        ErrorCase{"PortAsString", head("port = \"5060\"\n"),
                  "test.toml:5: 'port' in [[server.listen]] must be an integer, not a string"},
        ErrorCase{"PortOutOfRange", head("port = 0\n"),
                  "test.toml:5: 'port' in [[server.listen]] must be between 1 and 65535, got 0"},
        ErrorCase{"DuplicateListen",
                  head("[[server.listen]]\ntransport = \"udp\"\naddress = \"127.0.0.1\"\n"
                       "port = 5060\n"),
                  "test.toml:5: duplicate listen entry: udp 127.0.0.1 port 5060 is already "
                  "listed (line 2)"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    LimitsSecurityRegistrar, ConfigErrors,
    testing::Values(
        ErrorCase{"MessageSizeTooSmall", head("[limits]\nmax_message_size = 100\n"),
                  "test.toml:6: 'max_message_size' in [limits] must be between 1024 and 1048576 "
                  "bytes, got 100"},
        ErrorCase{"DurationAsString", head("[limits]\ntcp_idle_timeout = \"5m\"\n"),
                  "test.toml:6: 'tcp_idle_timeout' in [limits] must be an integer number of "
                  "seconds, not a string"},
        ErrorCase{"DurationAsFloat", head("[security]\nnonce_lifetime = 1.5\n"),
                  "test.toml:6: 'nonce_lifetime' in [security] must be an integer number of "
                  "seconds, not a float"},
        ErrorCase{"ZeroDuration", head("[security]\nauth_block_time = 0\n"),
                  "test.toml:6: 'auth_block_time' in [security] must be between 1 and 86400 "
                  "seconds, got 0"},
        ErrorCase{"ZeroFailures", head("[security]\nauth_failures_per_minute = 0\n"),
                  "test.toml:6: 'auth_failures_per_minute' in [security] must be between 1 and "
                  "10000, got 0"},
        ErrorCase{"UnknownSecurityKey", head("[security]\nnonce_lifetme = 60\n"),
                  "test.toml:6: unknown key 'nonce_lifetme' in [security] (did you mean "
                  "'nonce_lifetime'?)"},
        ErrorCase{"SecurityIsNotATable", "security = 1\n" + head(""),
                  "test.toml:1: 'security' at the top level must be a table [security], not an "
                  "integer"},
        ErrorCase{"MinAboveMax", head("[registrar]\nmin_expires = 4000\n"),
                  "test.toml:6: 'min_expires' (4000) must not exceed 'max_expires' (3600) in "
                  "[registrar]"},
        ErrorCase{"DefaultBelowMin", head("[registrar]\ndefault_expires = 30\n"),
                  "test.toml:6: 'default_expires' (30) must be between 'min_expires' (60) and "
                  "'max_expires' (3600) in [registrar]"},
        ErrorCase{"MaxBelowTheDefaultDefault", head("[registrar]\nmax_expires = 1800\n"),
                  "test.toml:6: 'default_expires' (3600) must be between 'min_expires' (60) and "
                  "'max_expires' (1800) in [registrar]"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Media, ConfigErrors,
    testing::Values(
        ErrorCase{"TooManyThreads", head("[media]\nthreads = 65\n"),
                  "test.toml:6: 'threads' in [media] must be between 0 and 64, got 65"},
        ErrorCase{"NegativeThreads", head("[media]\nthreads = -1\n"),
                  "test.toml:6: 'threads' in [media] must be between 0 and 64, got -1"},
        ErrorCase{"ThreadsAsString", head("[media]\nthreads = \"2\"\n"),
                  "test.toml:6: 'threads' in [media] must be an integer, not a string"}),
    case_name);

TEST(Config, MediaThreadsDefaultToOnePerCoreAndAreRead) {
  const auto absent = load_config_string(head(""), "test.toml");
  ASSERT_TRUE(absent) << absent.error().front().to_string();
  EXPECT_EQ(absent->media.threads, 0U) << "0: one per core";
  for (unsigned threads : {0U, 1U, 4U, 64U}) {
    const auto config = load_config_string(
        head("[media]\nthreads = " + std::to_string(threads) + "\n"), "test.toml");
    ASSERT_TRUE(config) << config.error().front().to_string();
    EXPECT_EQ(config->media.threads, threads);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Tenants, ConfigErrors,
    testing::Values(
        ErrorCase{"MissingDomain", head("[[tenants]]\nrealm = \"x\"\n"),
                  "test.toml:5: missing required key 'domain' in [[tenants]]"},
        ErrorCase{"DomainWithASpace", head("[[tenants]]\ndomain = \"demo orbit\"\n"),
                  "test.toml:6: 'domain' in [[tenants]] must be a host name or an IP address, "
                  "got \"demo orbit\""},
        ErrorCase{"DuplicateDomain", tenant("[[tenants]]\ndomain = \"Demo.Orbit\"\n"),
                  "test.toml:14: domain \"Demo.Orbit\" is already used by tenant \"demo.orbit\" "
                  "(line 6)"},
        ErrorCase{"AliasOfAnotherTenant",
                  tenant("[[tenants]]\ndomain = \"other.example\"\naliases = [\"demo.orbit\"]\n"),
                  "test.toml:15: alias \"demo.orbit\" is already used by tenant \"demo.orbit\" "
                  "(line 6)"},
        ErrorCase{"AliasTwice",
                  head("[[tenants]]\ndomain = \"a.example\"\naliases = [\"localhost\"]\n"
                       "[[tenants]]\ndomain = \"b.example\"\naliases = [\n  \"LOCALHOST\",\n]\n"),
                  "test.toml:11: alias \"LOCALHOST\" is already used by tenant \"a.example\" "
                  "(line 7)"},
        ErrorCase{"AliasNotAString", head("[[tenants]]\ndomain = \"a\"\naliases = [\"b\", 1]\n"),
                  "test.toml:7: 'aliases' in [[tenants]] must be an array of strings; element 2 "
                  "is an integer"},
        ErrorCase{"RealmWithAQuote", head("[[tenants]]\ndomain = \"a\"\nrealm = 'a\"b'\n"),
                  "test.toml:7: 'realm' in [[tenants]] must be a non-empty string without "
                  "quotes, backslashes or control characters, got \"a\"b\""},
        ErrorCase{"NoAlgorithm", head("[[tenants]]\ndomain = \"a\"\nauth_algorithms = []\n"),
                  "test.toml:7: 'auth_algorithms' in [[tenants]] must name at least one "
                  "algorithm (MD5, SHA-256)"},
        ErrorCase{"UnknownAlgorithm",
                  head("[[tenants]]\ndomain = \"a\"\nauth_algorithms = [\"MD5\", \"SHA1\"]\n"),
                  "test.toml:7: 'auth_algorithms' in [[tenants]] must hold only MD5, SHA-256, "
                  "got \"SHA1\""},
        ErrorCase{"AlgorithmTwice",
                  head("[[tenants]]\ndomain = \"a\"\nauth_algorithms = [\"MD5\", \"MD5\"]\n"),
                  "test.toml:7: 'auth_algorithms' in [[tenants]] names \"MD5\" twice"},
        ErrorCase{"TenantsIsATable", head("[tenants]\ndomain = \"a\"\n"),
                  "test.toml:5: 'tenants' at the top level must be an array of tables "
                  "[[tenants]], not a table"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Users, ConfigErrors,
    testing::Values(
        ErrorCase{"MissingExtension", tenant("[[tenants.users]]\npassword = \"x\"\n"),
                  "test.toml:13: missing required key 'extension' in [[tenants.users]]"},
        ErrorCase{"MissingPassword", tenant("[[tenants.users]]\nextension = \"102\"\n"),
                  "test.toml:13: missing required key 'password' in [[tenants.users]]"},
        ErrorCase{"EmptyPassword",
                  tenant("[[tenants.users]]\nextension = \"102\"\npassword = \"\"\n"),
                  "test.toml:15: 'password' in [[tenants.users]] must not be empty"},
        ErrorCase{"ExtensionWithASpace",
                  tenant("[[tenants.users]]\nextension = \"1 02\"\npassword = \"x\"\n"),
                  "test.toml:14: 'extension' in [[tenants.users]] must be 1 to 32 letters or "
                  "digits, got \"1 02\""},
        ErrorCase{"DuplicateExtension",
                  tenant("[[tenants.users]]\nextension = \"101\"\npassword = \"x\"\n"),
                  "test.toml:14: extension \"101\" is already defined in tenant \"demo.orbit\" "
                  "(line 11)"},
        ErrorCase{"CanParkAsString",
                  tenant("[[tenants.users]]\nextension = \"102\"\npassword = \"x\"\n"
                         "can_park = \"no\"\n"),
                  "test.toml:16: 'can_park' in [[tenants.users]] must be a boolean (true or "
                  "false), not a string"},
        ErrorCase{"DisplayNameWithANewline",
                  tenant("[[tenants.users]]\nextension = \"102\"\npassword = \"x\"\n"
                         "display_name = \"Bob\\r\\nVia: evil\"\n"),
                  "test.toml:16: 'display_name' in [[tenants.users]] must not contain control "
                  "characters"},
        ErrorCase{"UnknownUserKey",
                  tenant("[[tenants.users]]\nextension = \"102\"\npassword = \"x\"\n"
                         "can_retreive = false\n"),
                  "test.toml:16: unknown key 'can_retreive' in [[tenants.users]] (did you mean "
                  "'can_retrieve'?)"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Trunks, ConfigErrors,
    testing::Values(
        ErrorCase{"MissingName", tenant("[[tenants.trunks]]\naddress = \"192.0.2.1\"\n"),
                  "test.toml:13: missing required key 'name' in [[tenants.trunks]]"},
        ErrorCase{"MissingAddress", tenant("[[tenants.trunks]]\nname = \"carrier\"\n"),
                  "test.toml:13: missing required key 'address' in [[tenants.trunks]]"},
        ErrorCase{"AddressIsAName",
                  tenant("[[tenants.trunks]]\nname = \"carrier\"\naddress = \"sip.example\"\n"),
                  "test.toml:15: 'address' in [[tenants.trunks]] must be an IPv4 or IPv6 "
                  "address, got \"sip.example\""},
        ErrorCase{"AddressOfATrunkOfAnotherTenant",
                  tenant("[[tenants.trunks]]\nname = \"a\"\naddress = \"2001:db8::1\"\n"
                         "[[tenants]]\ndomain = \"other.example\"\n"
                         "[[tenants.trunks]]\nname = \"b\"\naddress = \"2001:DB8:0::1\"\n"),
                  "test.toml:20: trunk address 2001:db8::1 is already used by trunk \"a\" "
                  "(line 15): a trunk is recognised by its address"},
        ErrorCase{"DuplicateName",
                  tenant("[[tenants.trunks]]\nname = \"a\"\naddress = \"192.0.2.1\"\n"
                         "[[tenants.trunks]]\nname = \"a\"\naddress = \"192.0.2.2\"\n"),
                  "test.toml:17: trunk \"a\" is already defined in tenant \"demo.orbit\" (line "
                  "14)"},
        ErrorCase{"NegativePort",
                  tenant("[[tenants.trunks]]\nname = \"a\"\naddress = \"192.0.2.1\"\n"
                         "port = -1\n"),
                  "test.toml:16: 'port' in [[tenants.trunks]] must be between 0 and 65535, "
                  "got -1"},
        ErrorCase{"UnknownDestination",
                  tenant("[[tenants.trunks]]\nname = \"a\"\naddress = \"192.0.2.1\"\n"
                         "destination = \"999\"\n"),
                  "test.toml:16: 'destination' in [[tenants.trunks]]: extension \"999\" is not "
                  "defined in tenant \"demo.orbit\""}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Lots, ConfigErrors,
    testing::Values(
        ErrorCase{"MissingSlots", tenant("[[tenants.lots]]\nname = \"main\"\n"),
                  "test.toml:13: missing required key 'slots' in [[tenants.lots]]"},
        ErrorCase{"SlotsAsInteger", tenant("[[tenants.lots]]\nname = \"main\"\nslots = 701\n"),
                  "test.toml:15: 'slots' in [[tenants.lots]] must be a string, not an integer"},
        ErrorCase{"SlotsWithoutEnd",
                  tenant("[[tenants.lots]]\nname = \"main\"\nslots = \"701-\"\n"),
                  "test.toml:15: 'slots' in [[tenants.lots]] must be a range of slot numbers "
                  "like \"701-720\" (no leading zeros, 9 digits at most), got \"701-\""},
        ErrorCase{"SlotsBackwards",
                  tenant("[[tenants.lots]]\nname = \"main\"\nslots = \"720-701\"\n"),
                  "test.toml:15: 'slots' in [[tenants.lots]] must start at or below its end, "
                  "got \"720-701\""},
        ErrorCase{"SlotsOverlap",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-720\"\n"
                         "[[tenants.lots]]\nname = \"b\"\nslots = \"720-730\"\n"),
                  "test.toml:18: slots \"720-730\" of lot \"b\" overlap those of lot \"a\" (line "
                  "15)"},
        ErrorCase{"SlotsIncludeAnExtension",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"101-120\"\n"),
                  "test.toml:15: slots \"101-120\" of lot \"a\" include extension \"101\" (line "
                  "11)"},
        ErrorCase{"DuplicateName",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-702\"\n"
                         "[[tenants.lots]]\nname = \"a\"\nslots = \"801-802\"\n"),
                  "test.toml:17: lot \"a\" is already defined in tenant \"demo.orbit\" (line "
                  "14)"},
        ErrorCase{"ParkCodeIsAnExtension",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-702\"\n"
                         "park_code = \"100\"\n"),
                  "test.toml:16: park code \"100\" of lot \"a\" is also an extension (line 8)"},
        ErrorCase{"ParkCodeIsASlot",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-720\"\n"
                         "park_code = \"705\"\n"),
                  "test.toml:16: park code \"705\" of lot \"a\" is a slot of lot \"a\" (line 15)"},
        ErrorCase{"ParkCodeTwice",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-702\"\n"
                         "park_code = \"700\"\n[[tenants.lots]]\nname = \"b\"\n"
                         "slots = \"801-802\"\npark_code = \"700\"\n"),
                  "test.toml:20: park code \"700\" of lot \"b\" is already the park code of lot "
                  "\"a\" (line 16)"},
        ErrorCase{"SlotsIncludeAnotherLotsParkCode",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-702\"\n"
                         "park_code = \"800\"\n[[tenants.lots]]\nname = \"b\"\n"
                         "slots = \"800-802\"\n"),
                  "test.toml:19: slots \"800-802\" of lot \"b\" include the park code of lot "
                  "\"a\" (line 16)"},
        ErrorCase{"ParkCodeNotDiallable",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-702\"\n"
                         "park_code = \"park\"\n"),
                  "test.toml:16: 'park_code' in [[tenants.lots]] must be 1 to 16 digits, '*' or "
                  "'#', got \"park\""},
        ErrorCase{"ZeroTimeout",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-702\"\ntimeout = 0\n"),
                  "test.toml:16: 'timeout' in [[tenants.lots]] must be between 1 and 86400 "
                  "seconds, got 0"},
        ErrorCase{"UnknownLotKey",
                  tenant("[[tenants.lots]]\nname = \"a\"\nslots = \"701-702\"\ntimout = 30\n"),
                  "test.toml:16: unknown key 'timout' in [[tenants.lots]] (did you mean "
                  "'timeout'?)"}),
    case_name);

TEST(Config, TheDemoServesTheWebConsoleAndHasAgentTokens) {
  const auto config = load_config(kSourceDir / "config/demo.toml");
  ASSERT_TRUE(config) << config.error().front().to_string();
  EXPECT_EQ(config->api.web_root,
            std::filesystem::absolute(kSourceDir / "web").lexically_normal());
  ASSERT_EQ(config->api.tokens.size(), 3U);
  EXPECT_EQ(config->api.tokens[0].extension, "102") << "the supervisor takes calls on 102";
  EXPECT_EQ(config->api.tokens[1].role, "agent");
  EXPECT_EQ(config->api.tokens[1].extension, "100");
  EXPECT_EQ(config->api.tokens[2].extension, "101");
}

TEST(Config, WebRootIsRelativeToTheConfigurationFilesDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / "orbit-config-web-root";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "conf");
  std::filesystem::create_directories(dir / "site");
  std::ofstream(dir / "site" / "index.html") << "<h1>x</h1>";
  std::ofstream(dir / "conf" / "orbit.toml")
      << head("[api]\nweb_root = \"../site\"\n") << kTenant;
  const auto config = load_config(dir / "conf" / "orbit.toml");
  ASSERT_TRUE(config) << config.error().front().to_string();
  EXPECT_EQ(config->api.web_root, (dir / "site").lexically_normal());

  std::ofstream(dir / "conf" / "bad.toml")
      << head("[api]\nweb_root = \"../nowhere\"\n") << kTenant;
  const auto missing = load_config(dir / "conf" / "bad.toml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().front().to_string().find(
                "bad.toml:6: 'web_root' in [api] must be an existing directory"),
            std::string::npos)
      << missing.error().front().to_string();
  std::filesystem::remove_all(dir);
}

TEST(Config, WebRootWithoutAnIndexOrEmptyIsRefused) {
  const auto dir = std::filesystem::temp_directory_path() / "orbit-config-web-empty";
  std::filesystem::create_directories(dir);
  const auto no_index = errors_of(head("[api]\nweb_root = \"" + dir.string() + "\"\n") +
                                  std::string(kTenant));
  ASSERT_EQ(no_index.size(), 1U);
  EXPECT_NE(no_index[0].find("has no index.html"), std::string::npos) << no_index[0];
  EXPECT_EQ(errors_of(head("[api]\nweb_root = \"\"\n") + std::string(kTenant)),
            std::vector<std::string>{"test.toml:6: 'web_root' in [api] must be a directory, not "
                                     "empty and without control characters"});
  std::filesystem::remove_all(dir);
}

TEST(Config, TheSameExtensionMayExistInTwoTenants) {
  EXPECT_EQ(errors_of(tenant("[[tenants]]\ndomain = \"other.example\"\n[[tenants.users]]\n"
                             "extension = \"100\"\npassword = \"x\"\n")),
            std::vector<std::string>{});
}

TEST(Config, ErrorsPrintAsFileLineMessage) {
  EXPECT_EQ((ConfigError{"orbit.toml", 12, "boom"}).to_string(), "orbit.toml:12: boom");
  EXPECT_EQ((ConfigError{"orbit.toml", 0, "boom"}).to_string(), "orbit.toml: boom");
}

TEST(ConfigValues, IpLiteralsAreCanonical) {
  EXPECT_EQ(canonical_ip("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(canonical_ip("0:0::1"), "::1");
  EXPECT_EQ(canonical_ip("2001:DB8::A"), "2001:db8::a");
  EXPECT_EQ(canonical_ip("[::1]"), "");
  EXPECT_EQ(canonical_ip("127.0.0.1:5060"), "");
  EXPECT_EQ(canonical_ip("256.0.0.1"), "");
  EXPECT_EQ(canonical_ip("localhost"), "");
  EXPECT_EQ(canonical_ip(""), "");
}

TEST(ConfigValues, HostsAreNamesOrAddresses) {
  for (const auto* host : {"demo.orbit", "localhost", "a-b.example.com", "127.0.0.1", "::1"}) {
    EXPECT_TRUE(is_host(host)) << host;
  }
  for (const auto* host : {"", "demo orbit", "-a.example", "a..b", "a.", "under_score", "é.fr"}) {
    EXPECT_FALSE(is_host(host)) << host;
  }
}

TEST(ConfigValues, ExtensionsAndDialCodes) {
  EXPECT_TRUE(is_extension("100"));
  EXPECT_TRUE(is_extension("alice"));
  EXPECT_FALSE(is_extension(""));
  EXPECT_FALSE(is_extension("*68"));
  EXPECT_FALSE(is_extension(std::string(33, '1')));
  EXPECT_TRUE(is_dial_code("700"));
  EXPECT_TRUE(is_dial_code("*68#"));
  EXPECT_FALSE(is_dial_code(""));
  EXPECT_FALSE(is_dial_code("7a"));
}

TEST(ConfigValues, SlotRanges) {
  const auto range = parse_slot_range("701-720");
  ASSERT_TRUE(range);
  EXPECT_EQ(range->first, 701U);
  EXPECT_EQ(range->last, 720U);
  EXPECT_TRUE(parse_slot_range("0-9"));
  EXPECT_TRUE(parse_slot_range("5-5"));
  for (const auto* bad : {"", "701", "701-", "-720", "07-09", "a-b", "701-720-730", " 701-720",
                          "1-9999999999", "720-701"}) {
    EXPECT_FALSE(parse_slot_range(bad)) << bad;
  }
  EXPECT_TRUE(dials_slot("705", *range));
  EXPECT_FALSE(dials_slot("0705", *range));
  EXPECT_FALSE(dials_slot("721", *range));
}

}  // namespace
}  // namespace orbit::app
