// Header access on a parsed Message.
#include "sip/message.hpp"

#include "sip/lex.hpp"

namespace orbit::sip {

std::optional<std::string_view> Message::header(HeaderId id) const {
  auto at = first_[static_cast<std::size_t>(id)];
  if (id == HeaderId::Other || at == 0) return std::nullopt;
  return headers_[static_cast<std::size_t>(at - 1)].value;
}

std::optional<std::string_view> Message::header(std::string_view name) const {
  auto id = header_id(name);
  if (id != HeaderId::Other) return header(id);
  for (const auto& h : headers_) {
    if (lex::iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

std::vector<std::string_view> Message::header_values(HeaderId id) const {
  std::vector<std::string_view> out;
  auto at = first_[static_cast<std::size_t>(id)];
  if (id == HeaderId::Other || at == 0) return out;
  for (std::size_t i = static_cast<std::size_t>(at - 1); i < headers_.size(); ++i) {
    if (headers_[i].id != id) continue;
    for (auto v : lex::split_commas(headers_[i].value)) out.push_back(v);
  }
  return out;
}

}  // namespace orbit::sip
