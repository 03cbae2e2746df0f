// Prompts from Debian's asterisk-core-sounds-en-wav: found by name, digits included, loaded once
// for every media thread.
#include "media/prompt_library.hpp"

#include <gtest/gtest.h>

#include <array>
#include <thread>
#include <vector>

namespace orbit::media {
namespace {

TEST(PromptLibrary, LoadsTheParkPromptsAndDigits) {
  PromptLibrary prompts{std::filesystem::path(kDefaultPromptDirectory)};
  for (const char* name :
       {"pbx-invalidpark", "pbx-parkingfailed", "digits/7", "digits/0", "beep"}) {
    auto prompt = prompts.get(name);
    ASSERT_TRUE(prompt) << prompt.error().reason;
    EXPECT_GT((*prompt)->frames(), 5u) << name;
  }
}

TEST(PromptLibrary, APromptIsReadOnceThenServedFromTheCache) {
  PromptLibrary prompts{std::filesystem::path(kDefaultPromptDirectory)};
  const auto first = prompts.get("digits/7");
  const auto again = prompts.get("digits/7");
  ASSERT_TRUE(first && again);
  EXPECT_EQ(*first, *again);
  EXPECT_EQ(prompts.cached(), 1u);
}

TEST(PromptLibrary, MediaThreadsAskingAtOnceShareOnePrompt) {
  PromptLibrary prompts{std::filesystem::path(kDefaultPromptDirectory)};
  std::array<const EncodedAudio*, 4> got{};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back(
        [&prompts, &got, i] { got[i] = prompts.get("digits/3").value_or(nullptr); });
  }
  for (auto& t : threads) t.join();
  ASSERT_NE(got[0], nullptr);
  for (const auto* prompt : got) EXPECT_EQ(prompt, got[0]);
  EXPECT_EQ(prompts.cached(), 1u);
}

TEST(PromptLibrary, AMissingPromptIsAnErrorNamingIt) {
  PromptLibrary prompts{std::filesystem::path(kDefaultPromptDirectory)};
  const auto missing = prompts.get("no-such-prompt");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().reason.find("no-such-prompt"), std::string::npos);
  EXPECT_EQ(prompts.cached(), 0u);
}

TEST(PromptLibrary, NamesCannotLeaveTheDirectory) {
  PromptLibrary prompts{std::filesystem::path(kDefaultPromptDirectory) / "digits"};
  EXPECT_FALSE(prompts.get("../beep"));
  EXPECT_FALSE(prompts.get("/etc/passwd"));
  EXPECT_FALSE(prompts.get(""));
  EXPECT_TRUE(prompts.get("7.wav"));  // a name with its extension
}

}  // namespace
}  // namespace orbit::media
