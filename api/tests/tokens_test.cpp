// Bearer tokens: configured as SHA-256, each bound to a role, a tenant and an agent's extension.
#include "api/tokens.hpp"

#include <gtest/gtest.h>

namespace orbit::api {
namespace {

TokenStore demo_store() {
  return TokenStore({
      {"boss", sha256_hex("s3cret-supervisor"), "supervisor", "a.example", std::nullopt},
      {"alice", sha256_hex("s3cret-agent"), "agent", "a.example", "101"},
      {"root", sha256_hex("s3cret-admin"), "admin", "b.example", "999"},
  });
}

TEST(Tokens, Sha256HexIsTheStandardDigest) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Tokens, ABearerTokenNamesItsRoleTenantAndExtension) {
  const TokenStore store = demo_store();
  const auto agent = store.authenticate("Bearer s3cret-agent");
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->name, "alice");
  EXPECT_EQ(agent->role, Role::agent);
  EXPECT_EQ(agent->tenant, "a.example");
  EXPECT_EQ(agent->extension, "101");

  const auto supervisor = store.authenticate("bearer   s3cret-supervisor ");
  ASSERT_TRUE(supervisor);
  EXPECT_EQ(supervisor->role, Role::supervisor);
  EXPECT_FALSE(supervisor->extension);

  const auto admin = store.authenticate_token("s3cret-admin");
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->role, Role::admin);
  EXPECT_EQ(admin->tenant, "b.example");
  // docs/api.md: a supervisor's or admin's extension is where "retrieve to my phone" rings.
  EXPECT_EQ(admin->extension, "999");
}

TEST(Tokens, AnythingElseIsRefused) {
  const TokenStore store = demo_store();
  EXPECT_FALSE(store.authenticate(""));
  EXPECT_FALSE(store.authenticate("Bearer"));
  EXPECT_FALSE(store.authenticate("Bearer "));
  EXPECT_FALSE(store.authenticate("Basic czNjcmV0LWFnZW50"));
  EXPECT_FALSE(store.authenticate("Bearers3cret-agent"));
  EXPECT_FALSE(store.authenticate("Bearer s3cret-agenT"));
  EXPECT_FALSE(store.authenticate("Bearer s3cret-agent2"));
  // The configured hash is not a token.
  EXPECT_FALSE(store.authenticate("Bearer " + sha256_hex("s3cret-agent")));
  EXPECT_FALSE(TokenStore{}.authenticate("Bearer s3cret-agent"));
}

TEST(Tokens, UppercaseHexInTheConfigurationIsAccepted) {
  std::string hash = sha256_hex("tok");
  for (char& c : hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const TokenStore store({{"x", hash, "supervisor", "a.example", std::nullopt}});
  EXPECT_TRUE(store.authenticate_token("tok"));
}

TEST(Tokens, BadConfigurationIsRefusedAtStartUpWithTheEntryName) {
  auto refuses = [](TokenConfig config, std::string_view words) {
    try {
      TokenStore store({config});
      ADD_FAILURE() << "accepted " << config.name;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(config.name), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  refuses({"short", "abcd", "agent", "a", "1"}, "64 hexadecimal");
  refuses({"nothex", std::string(64, 'g'), "agent", "a", "1"}, "64 hexadecimal");
  refuses({"king", sha256_hex("k"), "king", "a", std::nullopt}, "role 'king'");
  refuses({"nowhere", sha256_hex("n"), "admin", "", std::nullopt}, "tenant");
  refuses({"loose", sha256_hex("l"), "agent", "a", std::nullopt}, "extension");
  EXPECT_THROW(TokenStore({{"one", sha256_hex("same"), "admin", "a", std::nullopt},
                           {"two", sha256_hex("same"), "agent", "a", "1"}}),
               std::invalid_argument);
}

TEST(Tokens, EveryEntryIsComparedWhicheverMatches) {
  // The constant-time path: a match on the first entry and a miss take the same walk through the
  // whole table (no early return) and compare digests with CRYPTO_memcmp. Here we check the
  // observable half: a match on the first and the last entry both succeed among many entries.
  std::vector<TokenConfig> many;
  for (int i = 0; i < 100; ++i) {
    many.push_back({"t" + std::to_string(i), sha256_hex("token-" + std::to_string(i)), "supervisor",
                    "a.example", std::nullopt});
  }
  const TokenStore store(many);
  EXPECT_EQ(store.size(), 100U);
  EXPECT_EQ(store.authenticate_token("token-0")->name, "t0");
  EXPECT_EQ(store.authenticate_token("token-99")->name, "t99");
  EXPECT_FALSE(store.authenticate_token("token-100"));
}

}  // namespace
}  // namespace orbit::api
