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

}  // namespace

HeaderId header_id(std::string_view name) {
  if (name.size() == 1) return compact_id(name[0]);
  for (const auto& e : kLongNames) {
    if (e.name.size() == name.size() && lex::to_lower(e.name[0]) == lex::to_lower(name[0]) &&
        lex::iequals(e.name, name)) {
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
