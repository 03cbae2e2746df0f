// HTTP Digest authentication for SIP (RFC 3261 §22, 2617, 7616, 8760): parse, challenge, verify.
#pragma once

#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::sip {

// The hash behind a digest. The "-sess" variants and SHA-512-256 are rejected as unsupported.
enum class DigestAlgorithm { Md5, Sha256 };

enum class DigestErrorCode {
  NotDigest,             // another scheme (Basic, Bearer...): a registrar may simply ignore it
  Malformed,             // the header value breaks the grammar, or a parameter value is invalid
  MissingParam,          // a required parameter is absent; the reason names it
  UnsupportedAlgorithm,  // algorithm= is neither MD5 nor SHA-256
  UnsupportedQop,        // qop= is something other than "auth" (e.g. auth-int)
  WrongResponse,         // the response does not match: wrong password, or tampered request
  CryptoFailure,         // OpenSSL refused the hash (e.g. MD5 under a FIPS provider)
};

struct DigestError {
  DigestErrorCode code;
  std::string reason;

  friend bool operator==(const DigestError&, const DigestError&) = default;
};

// Credentials from an Authorization / Proxy-Authorization header value, unescaped.
struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  DigestAlgorithm algorithm = DigestAlgorithm::Md5;  // the RFC default when absent
  std::optional<std::string> qop;                    // only "auth"; absent = RFC 2069 mode
  std::optional<std::string> cnonce;                 // present whenever qop is
  std::optional<std::string> nc;                     // 8 hex digits, present whenever qop is
  std::optional<std::string> opaque;
};

// What a server puts in a WWW-Authenticate / Proxy-Authenticate challenge; qop="auth" is always
// offered. CR and LF are dropped from the quoted values so they cannot split the header.
struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::optional<std::string> opaque;
  bool stale = false;  // the nonce was authentic but expired: the client retries without prompting
};

// "MD5" / "SHA-256".
[[nodiscard]] std::string_view to_string(DigestAlgorithm algorithm);

// Case-insensitive: "md5", "SHA-256"; anything else is UnsupportedAlgorithm.
[[nodiscard]] std::expected<DigestAlgorithm, DigestError> parse_digest_algorithm(
    std::string_view name);

// Parses `Digest username="..", realm="..", ...`. Parameter names and the scheme are
// case-insensitive, LWS (with CRLF folding) may surround '=' and ',', unknown parameters are
// ignored. Requires username, realm, nonce, uri and response, plus cnonce and nc when qop is given.
[[nodiscard]] std::expected<DigestCredentials, DigestError> parse_digest_credentials(
    std::string_view header_value);

// `Digest realm="..", nonce="..", opaque="..", algorithm=SHA-256, qop="auth"[, stale=true]`.
[[nodiscard]] std::string format_digest_challenge(const DigestChallenge& challenge,
                                                  DigestAlgorithm algorithm);

// One challenge per distinct offered algorithm, SHA-256 first (RFC 8760 §2.4): the caller adds
// one WWW-Authenticate header per entry, in order.
[[nodiscard]] std::vector<std::string> format_digest_challenges(
    const DigestChallenge& challenge, std::span<const DigestAlgorithm> offered);

// Lowercase hex of H(data).
[[nodiscard]] std::expected<std::string, DigestError> digest_hex(DigestAlgorithm algorithm,
                                                                 std::string_view data);

// HA1 = H(username:realm:password), what a user store may keep instead of the password.
[[nodiscard]] std::expected<std::string, DigestError> compute_digest_ha1(DigestAlgorithm algorithm,
                                                                         std::string_view username,
                                                                         std::string_view realm,
                                                                         std::string_view password);

// The expected response: H(HA1:nonce:nc:cnonce:qop:HA2) with qop=auth, H(HA1:nonce:HA2) without,
// where HA2 = H(method:uri). Also what a client puts in its own Authorization header.
[[nodiscard]] std::expected<std::string, DigestError> compute_digest_response(
    const DigestCredentials& credentials, std::string_view method, std::string_view ha1);

// Checks the response against the stored plaintext password, in constant time. This checks the
// hash only: the caller still checks the realm is its own, the nonce (NonceService), the opaque,
// that the uri matches the Request-URI, and that the algorithm is one it offered.
[[nodiscard]] std::expected<void, DigestError> verify_digest(const DigestCredentials& credentials,
                                                             std::string_view method,
                                                             std::string_view password);

// The same against a precomputed HA1 (hex, any case), which must use credentials.algorithm.
[[nodiscard]] std::expected<void, DigestError> verify_digest_ha1(
    const DigestCredentials& credentials, std::string_view method, std::string_view ha1);

}  // namespace orbit::sip
