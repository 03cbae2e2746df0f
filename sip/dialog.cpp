// Dialog state from INVITE and its answer; requests built within a dialog.
#include "sip/dialog.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sip/lex.hpp"
#include "sip/message_builder.hpp"

namespace orbit::sip {
namespace {

// A name-addr without its tag parameter, as From/To are rebuilt for in-dialog requests.
std::string without_tag(const NameAddr& na) {
  std::string out;
  if (!na.display_name.empty()) out = fmt::format("{} ", na.display_name);
  out += fmt::format("<{}>", na.uri.raw);
  std::string_view params = na.params;
  while (!params.empty()) {
    auto next = params.find(';', 1);
    auto item = params.substr(0, next);
    auto key = lex::trim_lws(item.substr(1, item.find('=') - 1));
    if (!lex::iequals(key, "tag")) out += item;
    params = next == std::string_view::npos ? std::string_view{} : params.substr(next);
  }
  return out;
}

std::string contact_uri(const Message& m) {
  auto contact = m.header(HeaderId::Contact);
  if (!contact) return {};
  auto na = parse_name_addr(lex::split_commas(*contact).front());
  return na ? std::string(na->uri.raw) : std::string();
}

}  // namespace

bool Dialog::matches(const Message& request) const {
  return request.call_id() == call_id && request.to().tag() == local_tag &&
         request.from().tag() == remote_tag;
}

Dialog dialog_as_uas(const Message& invite, std::string local_tag, const Endpoint& peer) {
  Dialog d;
  d.call_id = invite.call_id();
  d.local_tag = std::move(local_tag);
  d.remote_tag = invite.from().tag();
  d.local_uri = without_tag(invite.to());
  d.remote_uri = without_tag(invite.from());
  d.remote_target = contact_uri(invite);
  if (d.remote_target.empty()) d.remote_target = invite.from().uri.raw;
  for (auto rr : invite.header_values(HeaderId::RecordRoute)) d.route_set.emplace_back(rr);
  d.remote_cseq = invite.cseq().number;
  d.local_cseq = 0;
  d.peer = peer;
  return d;
}

Dialog dialog_as_uac(const Message& invite, const Message& response, const Endpoint& peer) {
  Dialog d;
  d.call_id = invite.call_id();
  d.local_tag = invite.from().tag();
  d.remote_tag = response.to().tag();
  d.local_uri = without_tag(invite.from());
  d.remote_uri = without_tag(invite.to());
  d.remote_target = contact_uri(response);
  if (d.remote_target.empty()) d.remote_target = invite.request_uri().raw;
  for (auto rr : response.header_values(HeaderId::RecordRoute)) d.route_set.emplace_back(rr);
  std::reverse(d.route_set.begin(), d.route_set.end());
  d.local_cseq = invite.cseq().number;
  d.peer = peer;
  return d;
}

std::string dialog_request(Dialog& dialog, std::string_view method, const LocalAddress& local,
                           std::string_view branch, std::string_view extra,
                           std::string_view content_type, std::string_view body,
                           std::uint32_t cseq) {
  if (cseq == 0) cseq = ++dialog.local_cseq;
  auto b = MessageBuilder::request(method, dialog.remote_target);
  b.header("Via", fmt::format("SIP/2.0/{} {}:{};branch={};rport", transport_name(local.transport),
                              local.host, local.port, branch));
  b.header("Max-Forwards", "70");
  b.header("From", fmt::format("{};tag={}", dialog.local_uri, dialog.local_tag));
  b.header("To", dialog.remote_tag.empty()
                     ? dialog.remote_uri
                     : fmt::format("{};tag={}", dialog.remote_uri, dialog.remote_tag));
  b.header("Call-ID", dialog.call_id);
  b.header("CSeq", fmt::format("{} {}", cseq, method));
  for (const auto& route : dialog.route_set) b.header("Route", route);
  if (method != "ACK" && method != "CANCEL") b.header("Contact", contact_header(local));
  auto text = b.body(content_type, body).build();
  if (!extra.empty()) text.insert(text.find("Content-Length:"), extra);
  return text;
}

std::string contact_header(const LocalAddress& local, std::string_view user) {
  auto transport = local.transport == Transport::Tcp ? ";transport=tcp" : "";
  return fmt::format("<sip:{}@{}:{}{}>", user, local.host, local.port, transport);
}

}  // namespace orbit::sip
