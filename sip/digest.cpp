// HTTP Digest authentication: credentials parser, challenge builder, response hashing and checks.
#include "sip/digest.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace orbit::sip {
namespace {

using std::unexpected;

[[nodiscard]] DigestError make_error(DigestErrorCode code, std::string reason) {
  return DigestError{code, std::move(reason)};
}

[[nodiscard]] char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] bool iequals(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) { return to_lower(x) == to_lower(y); });
}

[[nodiscard]] std::string to_lower_copy(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), to_lower);
  return out;
}

[[nodiscard]] bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

[[nodiscard]] bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
[[nodiscard]] bool is_token_char(char c) {
  const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return alnum || std::string_view{"-.!%*_+`'~"}.find(c) != std::string_view::npos;
}

// A cursor over a header value that knows the RFC 3261 lexical rules.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return text_[pos_]; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  void advance() { ++pos_; }

  // SWS: spaces and tabs, and CRLF folds followed by whitespace. A bare CR or LF stays put.
  void skip_sws() {
    while (!at_end()) {
      if (is_wsp(peek())) {
        ++pos_;
      } else if (is_fold()) {
        pos_ += 2;
      } else {
        return;
      }
    }
  }

  [[nodiscard]] std::string_view token() {
    const std::size_t start = pos_;
    while (!at_end() && is_token_char(peek())) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // At an opening quote: reads to the closing one, undoing quoted-pairs; a fold becomes one SP.
  [[nodiscard]] std::expected<std::string, DigestError> quoted_string() {
    std::string out;
    for (++pos_; !at_end(); ++pos_) {
      const char c = peek();
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\') {
        ++pos_;
        if (at_end() || peek() == '\r' || peek() == '\n') break;
        out += peek();
      } else if (is_fold()) {
        out += ' ';  // CRLF and the whitespace after it count as one SP
        pos_ += 2;
        while (pos_ + 1 < text_.size() && is_wsp(text_[pos_ + 1])) ++pos_;
      } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        return unexpected(
            make_error(DigestErrorCode::Malformed,
                       "control character in quoted string at offset " + std::to_string(pos_)));
      } else {
        out += c;
      }
    }
    return unexpected(make_error(DigestErrorCode::Malformed, "unterminated quoted string"));
  }

 private:
  [[nodiscard]] bool is_fold() const {
    return pos_ + 2 < text_.size() && text_[pos_] == '\r' && text_[pos_ + 1] == '\n' &&
           is_wsp(text_[pos_ + 2]);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// The parameters this parser understands, in the order of their slots below.
enum Param : std::size_t {
  kUsername,
  kRealm,
  kNonce,
  kUri,
  kResponse,
  kAlgorithm,
  kQop,
  kCnonce,
  kNc,
  kOpaque
};
constexpr std::array<std::string_view, 10> kParamNames = {
    "username", "realm", "nonce", "uri", "response", "algorithm", "qop", "cnonce", "nc", "opaque"};
using RawParams = std::array<std::optional<std::string>, kParamNames.size()>;

[[nodiscard]] std::expected<std::string, DigestError> param_value(Scanner& scan,
                                                                  std::string_view name) {
  if (!scan.at_end() && scan.peek() == '"') return scan.quoted_string();
  std::string_view value = scan.token();
  if (value.empty()) {
    return unexpected(make_error(DigestErrorCode::Malformed,
                                 "parameter '" + std::string(name) + "' has no value"));
  }
  return std::string(value);
}

// digest-response = dig-resp *(COMMA dig-resp); empty list elements are tolerated.
[[nodiscard]] std::expected<RawParams, DigestError> parse_params(Scanner& scan) {
  RawParams params;
  while (true) {
    scan.skip_sws();
    if (scan.at_end()) return params;
    if (scan.peek() == ',') {
      scan.advance();
      continue;
    }
    const std::string_view name = scan.token();
    scan.skip_sws();
    if (name.empty() || scan.at_end() || scan.peek() != '=') {
      return unexpected(
          make_error(DigestErrorCode::Malformed,
                     "expected name=value at offset " + std::to_string(scan.position())));
    }
    scan.advance();
    scan.skip_sws();
    auto value = param_value(scan, name);
    if (!value) return unexpected(value.error());
    const auto known = std::ranges::find_if(kParamNames, [&](auto n) { return iequals(n, name); });
    if (known != kParamNames.end()) {
      auto& slot = params[static_cast<std::size_t>(known - kParamNames.begin())];
      if (slot) {
        return unexpected(make_error(DigestErrorCode::Malformed,
                                     "duplicate parameter '" + std::string(*known) + "'"));
      }
      slot = std::move(*value);
    }
    scan.skip_sws();
    if (!scan.at_end() && scan.peek() != ',') {
      return unexpected(make_error(DigestErrorCode::Malformed,
                                   "expected ',' at offset " + std::to_string(scan.position())));
    }
  }
}

[[nodiscard]] DigestError missing(Param param) {
  return make_error(DigestErrorCode::MissingParam,
                    "missing parameter '" + std::string(kParamNames[param]) + "'");
}

// Checks the qop / cnonce / nc trio: all three, or none that matters.
[[nodiscard]] std::expected<void, DigestError> check_qop(const DigestCredentials& c) {
  if (!c.qop) return {};
  if (!iequals(*c.qop, "auth")) {
    return unexpected(
        make_error(DigestErrorCode::UnsupportedQop, "qop '" + *c.qop + "' is not supported"));
  }
  if (!c.cnonce) return unexpected(missing(kCnonce));
  if (!c.nc) return unexpected(missing(kNc));
  if (c.nc->size() != 8 || !std::ranges::all_of(*c.nc, is_hex)) {
    return unexpected(make_error(DigestErrorCode::Malformed, "nc must be 8 hex digits"));
  }
  return {};
}

[[nodiscard]] std::expected<DigestCredentials, DigestError> to_credentials(RawParams params) {
  for (Param required : {kUsername, kRealm, kNonce, kUri, kResponse}) {
    if (!params[required]) return unexpected(missing(required));
  }
  DigestCredentials c{.username = std::move(*params[kUsername]),
                      .realm = std::move(*params[kRealm]),
                      .nonce = std::move(*params[kNonce]),
                      .uri = std::move(*params[kUri]),
                      .response = std::move(*params[kResponse]),
                      .qop = std::move(params[kQop]),
                      .cnonce = std::move(params[kCnonce]),
                      .nc = std::move(params[kNc]),
                      .opaque = std::move(params[kOpaque])};
  if (params[kAlgorithm]) {
    auto algorithm = parse_digest_algorithm(*params[kAlgorithm]);
    if (!algorithm) return unexpected(algorithm.error());
    c.algorithm = *algorithm;
  }
  if (auto qop = check_qop(c); !qop) return unexpected(qop.error());
  return c;
}

// A quoted-string; CR and LF cannot be escaped (RFC 3261 quoted-pair), so they are dropped.
[[nodiscard]] std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\r' || c == '\n') continue;
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

[[nodiscard]] std::string join_colon(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) out += ':';
    out += part;
    first = false;
  }
  return out;
}

[[nodiscard]] std::size_t hex_length(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::Sha256 ? 64 : 32;
}

}  // namespace

std::string_view to_string(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::Sha256 ? "SHA-256" : "MD5";
}

std::expected<DigestAlgorithm, DigestError> parse_digest_algorithm(std::string_view name) {
  if (iequals(name, "MD5")) return DigestAlgorithm::Md5;
  if (iequals(name, "SHA-256")) return DigestAlgorithm::Sha256;
  return unexpected(make_error(DigestErrorCode::UnsupportedAlgorithm,
                               "algorithm '" + std::string(name) + "' is not supported"));
}

std::expected<DigestCredentials, DigestError> parse_digest_credentials(
    std::string_view header_value) {
  Scanner scan(header_value);
  scan.skip_sws();
  const std::string_view scheme = scan.token();
  if (scheme.empty()) {
    return unexpected(make_error(DigestErrorCode::Malformed, "missing authentication scheme"));
  }
  if (!iequals(scheme, "Digest")) {
    return unexpected(make_error(DigestErrorCode::NotDigest,
                                 "scheme '" + std::string(scheme) + "' is not Digest"));
  }
  const std::size_t after_scheme = scan.position();
  scan.skip_sws();
  if (!scan.at_end() && scan.position() == after_scheme) {
    return unexpected(make_error(DigestErrorCode::Malformed, "no space after 'Digest'"));
  }
  auto params = parse_params(scan);
  if (!params) return unexpected(params.error());
  return to_credentials(std::move(*params));
}

std::string format_digest_challenge(const DigestChallenge& challenge, DigestAlgorithm algorithm) {
  std::string out = "Digest realm=" + quoted(challenge.realm);
  out += ", nonce=" + quoted(challenge.nonce);
  if (challenge.opaque) out += ", opaque=" + quoted(*challenge.opaque);
  out += ", algorithm=";
  out += to_string(algorithm);
  out += ", qop=\"auth\"";
  if (challenge.stale) out += ", stale=true";
  return out;
}

std::vector<std::string> format_digest_challenges(const DigestChallenge& challenge,
                                                  std::span<const DigestAlgorithm> offered) {
  std::vector<std::string> out;
  for (DigestAlgorithm algorithm : {DigestAlgorithm::Sha256, DigestAlgorithm::Md5}) {
    if (std::ranges::find(offered, algorithm) != offered.end()) {
      out.push_back(format_digest_challenge(challenge, algorithm));
    }
  }
  return out;
}

std::expected<std::string, DigestError> digest_hex(DigestAlgorithm algorithm,
                                                   std::string_view data) {
  const EVP_MD* md = algorithm == DigestAlgorithm::Sha256 ? EVP_sha256() : EVP_md5();
  std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
  unsigned int length = 0;
  if (md == nullptr ||
      EVP_Digest(data.data(), data.size(), hash.data(), &length, md, nullptr) != 1) {
    return unexpected(make_error(DigestErrorCode::CryptoFailure,
                                 std::string(to_string(algorithm)) + " is unavailable"));
  }
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{length} * 2);
  for (unsigned char byte : std::span(hash.data(), length)) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
  return out;
}

std::expected<std::string, DigestError> compute_digest_ha1(DigestAlgorithm algorithm,
                                                           std::string_view username,
                                                           std::string_view realm,
                                                           std::string_view password) {
  return digest_hex(algorithm, join_colon({username, realm, password}));
}

std::expected<std::string, DigestError> compute_digest_response(
    const DigestCredentials& credentials, std::string_view method, std::string_view ha1) {
  if (auto qop = check_qop(credentials); !qop) return unexpected(qop.error());
  const auto ha2 = digest_hex(credentials.algorithm, join_colon({method, credentials.uri}));
  if (!ha2) return ha2;
  const std::string ha1_hex = to_lower_copy(ha1);
  if (!credentials.qop) {
    return digest_hex(credentials.algorithm, join_colon({ha1_hex, credentials.nonce, *ha2}));
  }
  return digest_hex(credentials.algorithm,
                    join_colon({ha1_hex, credentials.nonce, *credentials.nc, *credentials.cnonce,
                                *credentials.qop, *ha2}));
}

std::expected<void, DigestError> verify_digest(const DigestCredentials& credentials,
                                               std::string_view method, std::string_view password) {
  const auto ha1 =
      compute_digest_ha1(credentials.algorithm, credentials.username, credentials.realm, password);
  if (!ha1) return unexpected(ha1.error());
  return verify_digest_ha1(credentials, method, *ha1);
}

std::expected<void, DigestError> verify_digest_ha1(const DigestCredentials& credentials,
                                                   std::string_view method, std::string_view ha1) {
  if (ha1.size() != hex_length(credentials.algorithm)) {
    return unexpected(make_error(
        DigestErrorCode::WrongResponse,
        "stored HA1 is not a " + std::string(to_string(credentials.algorithm)) + " hash"));
  }
  const auto want = compute_digest_response(credentials, method, ha1);
  if (!want) return unexpected(want.error());
  const std::string given = to_lower_copy(credentials.response);
  if (given.size() != want->size() ||
      CRYPTO_memcmp(given.data(), want->data(), want->size()) != 0) {
    return unexpected(make_error(DigestErrorCode::WrongResponse, "digest response does not match"));
  }
  return {};
}

}  // namespace orbit::sip
