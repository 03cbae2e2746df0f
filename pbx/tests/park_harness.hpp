// A caller from the carrier talking to reception (100), ready to be parked: the starting
// point of the park tests over SIP and of the web console's actions.
#pragma once

#include "pbx/tests/call_harness.hpp"

namespace orbit::pbx::testing {

using namespace std::chrono_literals;

inline const sip::Endpoint kTrunk = udp("127.0.0.2", 5060);

class ParkHarness : public CallHarness {
 protected:
  // The carrier's caller "Dupont" reaches reception (100), which answers.
  void caller_talks_to_reception() {
    register_phone("100", 5070);
    auto invite =
        sip::MessageBuilder::request("INVITE", "sip:100@127.0.0.1")
            .header("Via", "SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bKdupont;rport")
            .header("Max-Forwards", "70")
            .header("From", "\"Dupont\" <sip:+33123456789@127.0.0.2>;tag=dupont")
            .header("To", "<sip:100@127.0.0.1>")
            .header("Call-ID", "dupont-call")
            .header("CSeq", "1 INVITE")
            .header("Contact", "<sip:+33123456789@127.0.0.2:5060>")
            .body("application/sdp", sdp_body("127.0.0.2", 40000))
            .build();
    feed(invite, kTrunk);
    auto to_phone = take(5070, "INVITE");
    ASSERT_TRUE(to_phone);
    auto ok = answer(*to_phone, 200, "rec", "5070", sdp_body("127.0.0.1", 30000));
    feed(ok, udp("127.0.0.1", 5070));
    reception_dialog_ = std::move(*sip::Message::parse(ok));
    auto to_trunk = take(5060, "SIP/2.0 200");
    ASSERT_TRUE(to_trunk);
    feed(in_dialog("ACK", *to_trunk, true, 1, 5060), kTrunk);
    caller_dialog_ = std::move(*to_trunk);
    caller_media_ = *media_.open.begin();
    sent_.clear();
  }

  // Reception transfers the caller to `target` (700, 705, *68, *68101, *03).
  void reception_transfers_to(std::string_view target) {
    feed(in_dialog("REFER", *reception_dialog_, false, ++cseq_, 5070,
                   fmt::format("Refer-To: <sip:{}@127.0.0.1>\r\n", target)),
         udp("127.0.0.1", 5070));
  }

  std::optional<sip::Message> reception_dialog_;
  std::optional<sip::Message> caller_dialog_;  // Orbit's 200 to the caller
  media::LegId caller_media_ = 0;
  int cseq_ = 10;
};

}  // namespace orbit::pbx::testing
