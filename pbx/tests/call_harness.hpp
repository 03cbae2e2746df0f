// A simulated network around the SIP core: phones and a trunk exchange bytes with SipService on a
// manual clock, and tests read what Orbit sent to each of them.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "pbx/sip_service.hpp"
#include "pbx/tests/fake_media.hpp"
#include "sip/digest.hpp"
#include "sip/message_builder.hpp"

namespace orbit::pbx::testing {

inline Directory demo_directory() {
  Tenant t;
  t.domain = "demo.orbit";
  t.aliases = {"127.0.0.1"};
  t.realm = "demo.orbit";
  t.auth_algorithms = {sip::DigestAlgorithm::Md5};
  for (int ext = 100; ext <= 105; ++ext) {
    t.users.push_back({std::to_string(ext), fmt::format("User {}", ext),
                       fmt::format("secret{}", ext), ext != 105, true, {}});
  }
  t.trunks.push_back({"carrier", "127.0.0.2", 0, "100"});
  t.park_codes = {"*68", "*88", "*0", "*1"};
  t.first_lot = "main";
  return Directory({t});
}

// Lot "main" 701–720 (code 700; recall to the parker, then 102) and the lot of parks against
// users, as app/ builds them from the demo configuration.
inline std::vector<park::LotConfig> demo_lots() {
  park::LotConfig main;
  main.tenant = park::TenantId("demo.orbit");
  main.name = park::LotName("main");
  main.slots = park::SlotRange{park::SlotNumber{701}, park::SlotNumber{720}};
  main.park_code = "700";
  main.fallback = park::RecallDestination{"102", {park::Extension("102")}};
  park::LotConfig users;
  users.tenant = park::TenantId("demo.orbit");
  users.name = park::LotName("users");
  users.against_users = true;
  return {main, users};
}

inline sip::Endpoint udp(std::string address, std::uint16_t port) {
  return {sip::Transport::Udp, std::move(address), port, 0};
}

inline std::string sdp_body(std::string_view address, int port, std::string_view formats = "0 8 101",
                            std::string_view direction = "sendrecv") {
  return fmt::format(
      "v=0\r\no=- 1 1 IN IP4 {0}\r\ns=-\r\nc=IN IP4 {0}\r\nt=0 0\r\nm=audio {1} RTP/AVP {2}\r\n"
      "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
      "a={3}\r\n",
      address, port, formats, direction);
}

class CallHarness : public ::testing::Test {
 protected:
  CallHarness() { start(4000); }

  // (Re)starts the service with a limit of calls held at once.
  void start(std::size_t max_calls) {
    SipServiceConfig config;
    config.calls.max_calls = max_calls;
    config.udp = {sip::Transport::Udp, "127.0.0.1", 5060};
    config.tcp = {sip::Transport::Tcp, "127.0.0.1", 5060};
    config.calls.ring_time = std::chrono::seconds(30);
    config.lots = demo_lots();
    service_.emplace(demo_directory(), config,
                     *sip::NonceService::create(std::vector<std::uint8_t>(32, 1),
                                                std::chrono::seconds(300)),
                     media_, 99);
    service_->set_clock([this] { return now_; });
  }

  // A phone registered for `extension` at 127.0.0.1:port.
  void register_phone(std::string_view extension, std::uint16_t port) {
    auto uri = fmt::format("sip:{}@127.0.0.1:{}", extension, port);
    service_->locations().bind({"demo.orbit", std::string(extension)},
                               Binding{fmt::format("<{}>", uri), uri, now_ + std::chrono::hours(1),
                                       "reg", 1, udp("127.0.0.1", port)});
  }

  void feed(const std::string& text, const sip::Endpoint& from) {
    service_->on_receive(text, from, now_, wall_);
    collect();
  }

  void advance(std::chrono::milliseconds d) {
    auto end = now_ + d;
    while (true) {
      auto next = service_->next_deadline();
      if (!next || *next > end) break;
      now_ = std::max(now_, *next);
      service_->on_timer(now_, wall_);
      collect();
    }
    now_ = end;
  }

  // Takes the first message Orbit sent to `port` whose start line begins with `start`.
  std::optional<sip::Message> take(std::uint16_t port, std::string_view start) {
    for (auto it = sent_.begin(); it != sent_.end(); ++it) {
      if (it->to.port != port || !it->bytes.starts_with(start)) continue;
      auto m = sip::Message::parse(it->bytes);
      sent_.erase(it);
      if (!m) ADD_FAILURE() << "Orbit sent an unparsable message: " << m.error().reason;
      return m ? std::optional<sip::Message>(std::move(*m)) : std::nullopt;
    }
    return std::nullopt;
  }

  [[nodiscard]] std::size_t count(std::uint16_t port, std::string_view start) const {
    std::size_t n = 0;
    for (const auto& o : sent_) n += (o.to.port == port && o.bytes.starts_with(start)) ? 1 : 0;
    return n;
  }

  // What a phone answers to a request Orbit sent it.
  static std::string answer(const sip::Message& request, int status, std::string_view to_tag,
                            std::string_view contact_port = "5070", std::string_view sdp = {}) {
    auto b = sip::make_response(request, status, sip::reason_phrase(status), to_tag);
    b.header("Contact", fmt::format("<sip:phone@127.0.0.1:{}>", contact_port));
    if (!sdp.empty()) b.body("application/sdp", sdp);
    return b.build();
  }

  // A request within the dialog Orbit formed with a phone, sent by the phone.
  static std::string in_dialog(std::string_view method, const sip::Message& dialog_msg,
                               bool phone_is_uac, int cseq, std::uint16_t phone_port,
                               std::string_view extra = {}, std::string_view sdp = {}) {
    // The phone's From is the dialog's remote side as Orbit sees it.
    auto from = phone_is_uac ? *dialog_msg.header(sip::HeaderId::From)
                             : *dialog_msg.header(sip::HeaderId::To);
    auto to = phone_is_uac ? *dialog_msg.header(sip::HeaderId::To)
                           : *dialog_msg.header(sip::HeaderId::From);
    auto b = sip::MessageBuilder::request(method, "sip:orbit@127.0.0.1:5060");
    b.header("Via", fmt::format("SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bK{}{};rport", phone_port,
                                method, cseq));
    b.header("From", from).header("To", to).header("Call-ID", dialog_msg.call_id());
    b.header("CSeq", fmt::format("{} {}", cseq, method));
    b.header("Max-Forwards", "70");
    b.header("Contact", fmt::format("<sip:phone@127.0.0.1:{}>", phone_port));
    if (!sdp.empty()) b.body("application/sdp", sdp);
    auto text = b.build();
    if (!extra.empty()) text.insert(text.find("Content-Length:"), extra);
    return text;
  }

  // The INVITE a user's phone at 127.0.0.1:port sends to `dialled`; `extra` holds whole
  // header lines (credentials).
  static std::string user_invite(std::string_view user, std::uint16_t port,
                                 std::string_view dialled, std::string_view call_id, int n,
                                 std::string_view extra = {}, int media_port = 30000) {
    auto text =
        sip::MessageBuilder::request("INVITE", fmt::format("sip:{}@127.0.0.1", dialled))
            .header("Via", fmt::format("SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bK{}{};rport", port,
                                       call_id, n))
            .header("Max-Forwards", "70")
            .header("From", fmt::format("<sip:{}@127.0.0.1>;tag=t{}", user, call_id))
            .header("To", fmt::format("<sip:{}@127.0.0.1>", dialled))
            .header("Call-ID", call_id)
            .header("CSeq", fmt::format("{} INVITE", n))
            .header("Contact", fmt::format("<sip:{}@127.0.0.1:{}>", user, port))
            .body("application/sdp", sdp_body("127.0.0.1", media_port))
            .build();
    if (!extra.empty()) text.insert(text.find("Content-Type:"), extra);
    return text;
  }

  // The Proxy-Authorization a phone answers `challenge` with (the password is secret<user>
  // unless given).
  static std::string proxy_authorization(const sip::Message& challenge, std::string_view user,
                                         std::string_view dialled,
                                         std::string_view password = {}) {
    auto pa = std::string(*challenge.header("Proxy-Authenticate"));
    auto at = pa.find("nonce=\"") + 7;
    sip::DigestCredentials c;
    c.username = user;
    c.realm = "demo.orbit";
    c.nonce = pa.substr(at, pa.find('"', at) - at);
    c.uri = fmt::format("sip:{}@127.0.0.1", dialled);
    c.qop = "auth";
    c.cnonce = "abc";
    c.nc = "00000001";
    auto secret = password.empty() ? fmt::format("secret{}", user) : std::string(password);
    c.response = *sip::compute_digest_response(
        c, "INVITE",
        *sip::compute_digest_ha1(sip::DigestAlgorithm::Md5, user, "demo.orbit", secret));
    return fmt::format(
        "Proxy-Authorization: Digest username=\"{}\", realm=\"demo.orbit\", nonce=\"{}\", "
        "uri=\"{}\", response=\"{}\", qop=auth, cnonce=\"abc\", nc=00000001\r\n",
        user, c.nonce, c.uri, c.response);
  }

  // A user's phone at 127.0.0.1:port calls `dialled`, answering the 407 challenge.
  void user_calls(std::string_view user, std::uint16_t port, std::string_view dialled,
                  std::string_view call_id, int media_port = 30000,
                  std::string_view password = {}) {
    feed(user_invite(user, port, dialled, call_id, 1, {}, media_port), udp("127.0.0.1", port));
    auto challenge = take(port, "SIP/2.0 407");
    ASSERT_TRUE(challenge) << "no 407 for " << user;
    feed(user_invite(user, port, dialled, call_id, 2,
                     proxy_authorization(*challenge, user, dialled, password), media_port),
         udp("127.0.0.1", port));
  }

  void collect() {
    for (auto& o : service_->take_outgoing()) sent_.push_back(std::move(o));
  }

  FakeMedia media_;
  std::optional<SipService> service_;
  sip::TimePoint now_{std::chrono::seconds(1000)};
  std::chrono::sys_seconds wall_{std::chrono::seconds(1'800'000'000)};
  std::vector<Outgoing> sent_;
};

}  // namespace orbit::pbx::testing
