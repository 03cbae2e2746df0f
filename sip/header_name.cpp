// Header name lookup: long and compact forms, case-insensitive.
#include "sip/header_name.hpp"

#include <array>
#include <utility>

#include "sip/lex.hpp"

namespace orbit::sip {
namespace {

struct Entry {
  std::string_view name;
  HeaderId id;
};

constexpr std::array kLongNames{
    Entry{"Accept", HeaderId::Accept},
    Entry{"Allow", HeaderId::Allow},
    Entry{"Allow-Events", HeaderId::AllowEvents},
    Entry{"Authorization", HeaderId::Authorization},
    Entry{"Call-ID", HeaderId::CallId},
    Entry{"Contact", HeaderId::Contact},
    Entry{"Content-Encoding", HeaderId::ContentEncoding},
    Entry{"Content-Length", HeaderId::ContentLength},
    Entry{"Content-Type", HeaderId::ContentType},
    Entry{"CSeq", HeaderId::CSeq},
    Entry{"Event", HeaderId::Event},
    Entry{"Expires", HeaderId::Expires},
    Entry{"From", HeaderId::From},
    Entry{"Max-Forwards", HeaderId::MaxForwards},
    Entry{"Min-Expires", HeaderId::MinExpires},
    Entry{"Proxy-Authenticate", HeaderId::ProxyAuthenticate},
    Entry{"Proxy-Authorization", HeaderId::ProxyAuthorization},
    Entry{"Proxy-Require", HeaderId::ProxyRequire},
    Entry{"Record-Route", HeaderId::RecordRoute},
    Entry{"Refer-To", HeaderId::ReferTo},
    Entry{"Referred-By", HeaderId::ReferredBy},
    Entry{"Require", HeaderId::Require},
    Entry{"Route", HeaderId::Route},
    Entry{"Subject", HeaderId::Subject},
    Entry{"Supported", HeaderId::Supported},
    Entry{"To", HeaderId::To},
    Entry{"Unsupported", HeaderId::Unsupported},
    Entry{"User-Agent", HeaderId::UserAgent},
    Entry{"Via", HeaderId::Via},
    Entry{"WWW-Authenticate", HeaderId::WwwAuthenticate},
};

HeaderId compact_id(char c) {
  switch (lex::to_lower(c)) {
    case 'b':
      return HeaderId::ReferredBy;
    case 'c':
      return HeaderId::ContentType;
    case 'e':
      return HeaderId::ContentEncoding;
    case 'f':
      return HeaderId::From;
    case 'i':
      return HeaderId::CallId;
    case 'k':
      return HeaderId::Supported;
    case 'l':
      return HeaderId::ContentLength;
    case 'm':
      return HeaderId::Contact;
    case 'o':
      return HeaderId::Event;
    case 'r':
      return HeaderId::ReferTo;
    case 's':
      return HeaderId::Subject;
    case 't':
      return HeaderId::To;
    case 'u':
      return HeaderId::AllowEvents;
    case 'v':
      return HeaderId::Via;
    default:
      return HeaderId::Other;
  }
}

// The long names grouped by their lower-case first letter, so that a lookup compares a name with
// the few of its letter and length only (the hot path of every header line).
struct Bucket {
  std::array<std::uint8_t, 8> entries{};  // indices into kLongNames
  std::uint8_t size = 0;
};

constexpr std::array<Bucket, 26> make_buckets() {
  std::array<Bucket, 26> buckets{};
  for (std::size_t i = 0; i < kLongNames.size(); ++i) {
    auto& b = buckets[static_cast<std::size_t>(lex::to_lower(kLongNames[i].name[0]) - 'a')];
    b.entries[b.size++] = static_cast<std::uint8_t>(i);
  }
  return buckets;
}
constexpr auto kBuckets = make_buckets();

}  // namespace

HeaderId header_id(std::string_view name) {
  if (name.size() == 1) return compact_id(name[0]);
  if (name.empty()) return HeaderId::Other;
  auto first = lex::to_lower(name[0]);
  if (first < 'a' || first > 'z') return HeaderId::Other;
  const auto& bucket = kBuckets[static_cast<std::size_t>(first - 'a')];
  for (std::uint8_t k = 0; k < bucket.size; ++k) {
    const auto& e = kLongNames[bucket.entries[k]];
    // Most senders write the canonical spelling: one memcmp, then the case-insensitive rule.
    if (e.name.size() == name.size() && (e.name == name || lex::iequals(e.name, name))) {
      return e.id;
    }
  }
  return HeaderId::Other;
}

std::string_view header_name(HeaderId id) {
  for (const auto& e : kLongNames) {
    if (e.id == id) return e.name;
  }
  return {};
}

bool is_single_valued(HeaderId id) {
  switch (id) {
    case HeaderId::CallId:
    case HeaderId::ContentLength:
    case HeaderId::ContentType:
    case HeaderId::CSeq:
    case HeaderId::Expires:
    case HeaderId::From:
    case HeaderId::MaxForwards:
    case HeaderId::To:
      return true;
    default:
      return false;
  }
}

}  // namespace orbit::sip
