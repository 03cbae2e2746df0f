// CSeq = 1*DIGIT LWS Method
#include "sip/cseq.hpp"

#include "sip/lex.hpp"

namespace orbit::sip {

std::expected<CSeq, std::string> parse_cseq(std::string_view text) {
  text = lex::trim_lws(text);
  std::size_t d = 0;
  while (d < text.size() && lex::is_digit(text[d])) ++d;
  auto number = lex::parse_uint(text.substr(0, d), 0x7fffffffULL);
  if (!number) return std::unexpected("CSeq number missing or above 2^31");
  auto rest = text.substr(d);
  auto method = lex::skip_lws(rest);
  if (method.size() == rest.size()) return std::unexpected("CSeq needs a space before its method");
  if (!lex::is_token(method)) return std::unexpected("bad CSeq method");
  return CSeq{static_cast<std::uint32_t>(*number), method};
}

}  // namespace orbit::sip
