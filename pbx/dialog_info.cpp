// Rendering the RFC 4235 dialog-info document of a slot lamp; caller text to an identity.
#include "pbx/dialog_info.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sip/lex.hpp"

namespace orbit::pbx {
namespace {

constexpr std::string_view kAnonymous = "sip:anonymous@anonymous.invalid";

bool is_dial_char(char c) {
  return sip::lex::is_digit(c) || sip::lex::is_ws(c) || c == '+' || c == '-' || c == '.' ||
         c == '(' || c == ')' || c == '*' || c == '#';
}

// A number or a URI as an identity URI; whitespace (visual separators) removed.
std::string identity_uri(std::string_view address, std::string_view domain) {
  std::string compact;
  for (char c : address) {
    if (!sip::lex::is_ws(c)) compact += c;
  }
  if (compact.empty()) return std::string(kAnonymous);
  if (compact.find(':') != std::string::npos) return compact;
  return fmt::format("sip:{}@{}", compact, domain);
}

std::string display_text(std::string_view display) {
  display = sip::lex::trim_lws(display);
  if (display.size() >= 2 && display.front() == '"' && display.back() == '"') {
    return sip::lex::unquote(display);
  }
  return std::string(display);
}

void render_party(std::string& out, std::string_view element, const DialogParty& party) {
  out += fmt::format("<{}><identity", element);
  if (!party.display.empty()) out += fmt::format(" display=\"{}\"", xml_escape(party.display));
  out += fmt::format(">{}</identity><target uri=\"{}\"/></{}>\n", xml_escape(party.uri),
                     xml_escape(party.uri), element);
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

DialogParty caller_party(std::string_view caller, std::string_view domain) {
  caller = sip::lex::trim_lws(caller);
  auto open = caller.rfind('<');
  auto close = open == std::string_view::npos ? open : caller.find('>', open);
  if (close != std::string_view::npos) {
    return {display_text(caller.substr(0, open)),
            identity_uri(caller.substr(open + 1, close - open - 1), domain)};
  }
  bool number = !caller.empty() && std::all_of(caller.begin(), caller.end(), is_dial_char);
  bool single_word = std::none_of(caller.begin(), caller.end(), sip::lex::is_ws);
  if (number || single_word) return {{}, identity_uri(caller, domain)};
  return {display_text(caller), std::string(kAnonymous)};
}

std::string render_dialog_info(const DialogInfo& info) {
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"{}\" state=\"full\" "
      "entity=\"{}\">\n",
      info.version, xml_escape(info.entity));
  auto id = xml_escape(info.dialog_id);
  if (!info.confirmed) {
    out += fmt::format("<dialog id=\"{}\"><state>terminated</state></dialog>\n", id);
  } else {
    out +=
        fmt::format("<dialog id=\"{}\" direction=\"recipient\">\n<state>confirmed</state>\n", id);
    if (info.local) render_party(out, "local", *info.local);
    if (info.remote) render_party(out, "remote", *info.remote);
    out += "</dialog>\n";
  }
  out += "</dialog-info>\n";
  return out;
}

}  // namespace orbit::pbx
