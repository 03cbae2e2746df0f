// The RFC 4235 application/dialog-info+xml body a slot lamp shows: one dialog, confirmed or
// terminated, with the parked caller as the remote party.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace orbit::pbx {

inline constexpr std::string_view kDialogInfoContentType = "application/dialog-info+xml";

// A participant of the dialog (RFC 4235 §4.1.6): an identity URI with an optional display name.
struct DialogParty {
  std::string display;
  std::string uri;
};

// A full-state document of one resource (state="full"): its dialog is confirmed while a call is
// parked there, terminated when free.
struct DialogInfo {
  std::string entity;  // "sip:701@demo.orbit"
  std::uint32_t version = 0;
  std::string dialog_id;
  bool confirmed = false;
  std::optional<DialogParty> local;   // the resource itself
  std::optional<DialogParty> remote;  // the parked caller
};

// The XML document; every text and attribute is escaped.
[[nodiscard]] std::string render_dialog_info(const DialogInfo& info);

// Escapes & < > " ' for XML text and attributes; drops control characters XML 1.0 forbids
// (and CR/LF, which no display name needs).
[[nodiscard]] std::string xml_escape(std::string_view text);

// The identity of a caller as the park logic describes it ("Dupont <+33123456789>",
// "\"Dupont\" <sip:+33123456789@trunk>", "+33123456789", "Dupont"): a number becomes a SIP URI
// of `domain`; without any number the identity is anonymous (RFC 3323).
[[nodiscard]] DialogParty caller_party(std::string_view caller, std::string_view domain);

}  // namespace orbit::pbx
