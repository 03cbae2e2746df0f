// Tests of the [history] table: off when absent, its path resolved against the file, its errors.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/config.hpp"

#ifndef ORBIT_SOURCE_DIR
#define ORBIT_SOURCE_DIR "."
#endif

namespace orbit::app {
namespace {

constexpr std::string_view kHead =
    "[server]\n"
    "[[server.listen]]\n"
    "transport = \"udp\"\n"
    "address = \"127.0.0.1\"\n";

std::vector<std::string> errors_of(std::string_view rest) {
  const auto config = load_config_string(std::string(kHead) + std::string(rest), "test.toml");
  std::vector<std::string> out;
  if (!config) {
    for (const auto& error : config.error()) out.push_back(error.to_string());
  }
  return out;
}

// A configuration file written in a directory of its own, removed afterwards.
class ConfigFile : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(std::string_view rest) {
    std::filesystem::create_directories(dir_);
    const auto file = dir_ / "orbit.toml";
    std::ofstream(file) << kHead << rest;
    return file;
  }
  std::filesystem::path dir_ = std::filesystem::temp_directory_path() /
                               ("orbit-config-history-" + std::to_string(::getpid()));
};

TEST(ConfigHistory, WithoutTheTableThereIsNoHistory) {
  const auto config = load_config_string(kHead, "test.toml");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->history.enabled);
}

TEST(ConfigHistory, AnAbsolutePathIsKeptAsWritten) {
  const auto config = load_config_string(
      std::string(kHead) + "[history]\npath = \"/var/lib/orbit/history.sqlite\"\n", "test.toml");
  ASSERT_TRUE(config) << config.error().front().to_string();
  EXPECT_TRUE(config->history.enabled);
  EXPECT_EQ(config->history.path, "/var/lib/orbit/history.sqlite");
}

TEST_F(ConfigFile, ARelativePathIsResolvedAgainstTheFilesDirectory) {
  const auto config = load_config(write("[history]\npath = \"../data/./history.sqlite\"\n"));
  ASSERT_TRUE(config) << config.error().front().to_string();
  EXPECT_EQ(config->history.path, dir_.parent_path() / "data/history.sqlite");
}

TEST(ConfigHistory, TheDemoKeepsItsHistoryInTheBuildDirectory) {
  const std::filesystem::path source{ORBIT_SOURCE_DIR};
  const auto config = load_config(source / "config/demo.toml");
  ASSERT_TRUE(config) << config.error().front().to_string();
  ASSERT_TRUE(config->history.enabled);
  EXPECT_EQ(config->history.path, (source / "build/orbit-history.sqlite").lexically_normal());
}

TEST(ConfigHistory, MistakesNameTheLineAndTheKey) {
  EXPECT_EQ(errors_of("[history]\n"),
            std::vector<std::string>{"test.toml:5: missing required key 'path' in [history]"});
  EXPECT_EQ(errors_of("[history]\npath = \"\"\n"),
            std::vector<std::string>{"test.toml:6: 'path' in [history] must not be empty"});
  EXPECT_EQ(errors_of("[history]\npath = 3\n"),
            std::vector<std::string>{
                "test.toml:6: 'path' in [history] must be a string, not an integer"});
  EXPECT_EQ(errors_of("[history]\npath = \"h.sqlite\"\npaht = \"x\"\n"),
            std::vector<std::string>{
                "test.toml:7: unknown key 'paht' in [history] (did you mean 'path'?)"});
  // A top-level key must come before the first table.
  const auto not_a_table =
      load_config_string("history = \"h.sqlite\"\n" + std::string(kHead), "test.toml");
  ASSERT_FALSE(not_a_table);
  EXPECT_EQ(not_a_table.error().front().to_string(),
            "test.toml:1: 'history' at the top level must be a table [history], not a string");
}

}  // namespace
}  // namespace orbit::app
