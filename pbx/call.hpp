// A call as the B2BUA holds it: two legs with their dialogs and anchored media, the parallel
// dial that is ringing, and a blind transfer in progress.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "media/media_control.hpp"
#include "pbx/directory.hpp"
#include "park/parked_call.hpp"
#include "park/slot_key.hpp"
#include "pbx/sdp_offer.hpp"
#include "sip/dialog.hpp"
#include "sip/message.hpp"
#include "sip/timers.hpp"
#include "sip/transaction_key.hpp"

namespace orbit::pbx {

// An INVITE a party sent that Orbit has not finished answering (a caller's, a retriever's):
// responses are built from it, and over UDP its 2xx is resent until the ACK (RFC 3261
// §13.3.1.4).
struct PendingAnswer {
  std::optional<sip::Message> invite;
  sip::ServerTransactionId tx;
  std::string top_via;
  std::optional<std::string> ok;
  sip::TimePoint ok_next{};
  sip::Duration ok_interval{};
  sip::TimePoint ok_give_up{};
};

// One party: a dialog with a phone or a trunk, and the media leg Orbit anchors for it.
struct Leg {
  media::LegId media = 0;
  media::LocalMedia local;
  sip::Dialog dialog;
  AudioOffer remote;
  SdpVersion sdp;     // of the last SDP Orbit sent to this party
  std::string name;   // "100", or the trunk caller: for logs
  const User* user = nullptr;  // the user behind this leg; null for a trunk
  bool holds = false;  // this party holds the call: the other one hears music
  std::string keys;    // in-call key presses so far ("*68"), RFC 4733 events
  PendingAnswer answer;
};

// One contact rung by a dial.
struct Fork {
  sip::ClientTransactionId tx;
  std::string extension;  // whose contact this is
  std::string invite;  // as sent: CANCEL and the dialog are built from it
  sip::Endpoint target;
  bool provisional = false;
  bool done = false;  // answered, failed or cancelled
};

// Ringing every contact of one or more extensions at once; the first answer wins.
struct Dial {
  std::string extension;  // as people read it: "101", or "reception group"
  std::optional<park::RecallTarget> recall;  // this dial rings a parked call back
  bool pick_up = false;  // this dial rings someone who takes the parked call (from the web)
  std::vector<Fork> forks;
  media::LegId media = 0;
  media::LocalMedia local;
  SdpVersion sdp;
  sip::TimePoint deadline;
  int failure_status = 480;
  std::string failure_reason = "Temporarily Unavailable";
  bool ringing_sent = false;
};

enum class Side : std::uint8_t { A, B };

// A blind transfer (RFC 3515): the transferor asked that the other party be sent elsewhere.
struct Transfer {
  Side transferor;
  std::uint32_t refer_cseq = 0;  // the REFER's CSeq: the "id" of the implicit subscription
};

// A call waiting in a slot: its remaining party is `a`, hearing the lot's hold audio.
struct Parked {
  park::SlotKey slot;
  std::string hint;  // what to dial to take it: "701", "*88101"
};

// Ringing → Talking ↔ Parked → Ended; Announcing: a prompt, then Orbit hangs up.
enum class CallStage : std::uint8_t { Ringing, Talking, Parked, Announcing, Ended };

struct Call {
  std::uint64_t id = 0;
  const Tenant* tenant = nullptr;
  CallStage stage = CallStage::Ringing;
  sip::TimePoint started{};
  Leg a;  // the caller
  std::optional<Leg> b;
  std::optional<Dial> dial;
  std::optional<Transfer> transfer;
  std::optional<Parked> parked;
  std::string hangup_reason;  // Announcing: the Reason header of the BYE after the prompt

  [[nodiscard]] Leg& leg(Side s) { return s == Side::A ? a : *b; }
};

// Who a party is, as people read it: a user as the directory knows it, anyone else as its
// dialog says (number and display name).
[[nodiscard]] park::CallerId identity_of(const Leg& leg);

}  // namespace orbit::pbx
