// The orbit program: `orbit --config FILE` serves, `orbit --check-config FILE` only checks.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "app/config.hpp"
#include "app/server.hpp"

int main(int argc, char** argv) {
  CLI::App cli{"Orbit, a SIP call-park server"};
  std::string config_file;
  std::string check_file;
  auto* run = cli.add_option("--config", config_file, "run the server with this TOML file");
  auto* check = cli.add_option("--check-config", check_file,
                               "report every error of this TOML file as file:line: message");
  run->excludes(check);
  check->excludes(run);
  CLI11_PARSE(cli, argc, argv);
  if (config_file.empty() && check_file.empty()) {
    fmt::print(stderr, "{}", cli.help());
    return 2;
  }
  auto config = orbit::app::load_config(check_file.empty() ? config_file : check_file);
  if (!config) {
    for (const auto& e : config.error()) fmt::print(stderr, "{}\n", e.to_string());
    fmt::print(stderr, "{} error(s)\n", config.error().size());
    return 1;
  }
  if (!check_file.empty()) {
    fmt::print("{}: OK ({} tenant(s), {} user(s), {} trunk(s), {} lot(s))\n", check_file,
               config->tenant_count(), config->user_count(), config->trunk_count(),
               config->lot_count());
    return 0;
  }
  try {
    return orbit::app::run_server(*config);
  } catch (const std::exception& e) {
    fmt::print(stderr, "orbit: {}\n", e.what());
    return 1;
  }
}
