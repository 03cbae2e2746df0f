// Rules of the configuration: the values (IP literals, host names, extensions, dial codes, slot
// ranges) and what must hold across entries (unique names, resolved references, no collisions).
#include "app/config.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include <arpa/inet.h>

namespace orbit::app {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  return std::ranges::all_of(label, [](char c) { return is_letter(c) || is_digit(c) || c == '-'; });
}

// A decimal number as slots are written: digits, no leading zero except "0" itself, 9 digits
// at most so that it fits in 32 bits.
std::optional<std::uint32_t> parse_slot_number(std::string_view s) {
  if (s.empty() || s.size() > 9 || (s.size() > 1 && s.front() == '0') ||
      !std::ranges::all_of(s, is_digit)) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

std::string in_quotes(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string at_line(int line) {
  return " (line " + std::to_string(line) + ")";
}

}  // namespace

std::string canonical_ip(std::string_view s) {
  if (s.empty() || s.size() >= INET6_ADDRSTRLEN) return {};
  const std::string text(s);  // inet_pton needs a terminated string
  std::array<unsigned char, 16> bytes{};
  std::array<char, INET6_ADDRSTRLEN> out{};
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), bytes.data()) == 1 &&
        inet_ntop(family, bytes.data(), out.data(), static_cast<socklen_t>(out.size())) !=
            nullptr) {
      return std::string(out.data());
    }
  }
  return {};
}

bool is_ip_literal(std::string_view s) {
  return !canonical_ip(s).empty();
}

bool is_host(std::string_view s) {
  if (is_ip_literal(s)) return true;
  if (s.empty() || s.size() > 253) return false;
  while (true) {
    const auto dot = s.find('.');
    if (!is_label(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

bool is_extension(std::string_view s) {
  return !s.empty() && s.size() <= 32 &&
         std::ranges::all_of(s, [](char c) { return is_letter(c) || is_digit(c); });
}

bool is_dial_code(std::string_view s) {
  return !s.empty() && s.size() <= 16 &&
         std::ranges::all_of(s, [](char c) { return is_digit(c) || c == '*' || c == '#'; });
}

std::expected<SlotRange, std::string> parse_slot_range(std::string_view s) {
  const auto dash = s.find('-');
  const auto first = parse_slot_number(s.substr(0, dash));
  const auto last =
      dash == std::string_view::npos ? std::nullopt : parse_slot_number(s.substr(dash + 1));
  if (!first || !last) {
    return std::unexpected(
        "must be a range of slot numbers like \"701-720\" (no leading zeros, 9 digits at most), "
        "got \"" +
        std::string(s) + "\"");
  }
  if (*first > *last) {
    return std::unexpected("must start at or below its end, got \"" + std::string(s) + "\"");
  }
  return SlotRange{*first, *last};
}

bool dials_slot(std::string_view s, SlotRange range) {
  const auto number = parse_slot_number(s);
  return number && *number >= range.first && *number <= range.last;
}

std::optional<std::string> ConfigRules::listen(const ListenConfig& listen, int line) {
  const std::string socket =
      listen.transport + " " + listen.address + " port " + std::to_string(listen.port);
  const auto [it, inserted] = listen_sockets_.try_emplace(socket, Seen{"", line});
  if (inserted) return std::nullopt;
  return "duplicate listen entry: " + socket + " is already listed" + at_line(it->second.line);
}

std::optional<std::string> ConfigRules::host(std::string_view what, std::string_view host,
                                             int line) {
  const auto [it, inserted] = hosts_.try_emplace(lower(host), Seen{domain_, line});
  if (inserted) return std::nullopt;
  return std::string(what) + " " + in_quotes(host) + " is already used by tenant " +
         in_quotes(it->second.owner) + at_line(it->second.line);
}

std::optional<std::string> ConfigRules::domain(std::string_view domain, int line) {
  return host("domain", domain, line);
}

std::optional<std::string> ConfigRules::alias(std::string_view alias, int line) {
  return host("alias", alias, line);
}

std::optional<std::string> ConfigRules::trunk_address(std::string_view address,
                                                      std::string_view trunk, int line) {
  const auto [it, inserted] =
      trunk_addresses_.try_emplace(std::string(address), Seen{std::string(trunk), line});
  if (inserted) return std::nullopt;
  return "trunk address " + std::string(address) + " is already used by trunk " +
         in_quotes(it->second.owner) + at_line(it->second.line) +
         ": a trunk is recognised by its address";
}

void ConfigRules::begin_tenant(std::string_view domain) {
  domain_ = domain;
  extensions_.clear();
  trunk_names_.clear();
  lot_names_.clear();
  park_codes_.clear();
  lots_.clear();
}

std::optional<std::string> ConfigRules::once_in_tenant(SeenMap& names, std::string_view what,
                                                       std::string_view name, int line) {
  const auto [it, inserted] = names.try_emplace(std::string(name), Seen{"", line});
  if (inserted) return std::nullopt;
  return std::string(what) + " " + in_quotes(name) + " is already defined in tenant " +
         in_quotes(domain_) + at_line(it->second.line);
}

std::optional<std::string> ConfigRules::extension(std::string_view extension, int line) {
  return once_in_tenant(extensions_, "extension", extension, line);
}

std::optional<std::string> ConfigRules::trunk_name(std::string_view name, int line) {
  return once_in_tenant(trunk_names_, "trunk", name, line);
}

std::optional<std::string> ConfigRules::destination(std::string_view extension) const {
  if (extension.empty() || extensions_.contains(extension)) return std::nullopt;
  return "extension " + in_quotes(extension) + " is not defined in tenant " + in_quotes(domain_);
}

std::optional<std::string> ConfigRules::lot_name(std::string_view name, int line) {
  return once_in_tenant(lot_names_, "lot", name, line);
}

std::vector<std::string> ConfigRules::slots(std::string_view lot, std::string_view text,
                                            SlotRange range, int line) {
  const std::string these = "slots " + in_quotes(text) + " of lot " + in_quotes(lot);
  std::vector<std::string> errors;
  for (const auto& other : lots_) {
    if (range.first <= other.range.last && other.range.first <= range.last) {
      errors.push_back(these + " overlap those of lot " + in_quotes(other.name) +
                       at_line(other.line));
    }
  }
  for (const auto& [extension, seen] : extensions_) {
    if (dials_slot(extension, range)) {
      errors.push_back(these + " include extension " + in_quotes(extension) + at_line(seen.line));
    }
  }
  for (const auto& [code, seen] : park_codes_) {
    if (dials_slot(code, range)) {
      errors.push_back(these + " include the park code of lot " + in_quotes(seen.owner) +
                       at_line(seen.line));
    }
  }
  if (errors.empty()) lots_.push_back({std::string(lot), range, line});
  return errors;
}

std::optional<std::string> ConfigRules::park_code(std::string_view lot, std::string_view code,
                                                  int line) {
  const std::string this_code = "park code " + in_quotes(code) + " of lot " + in_quotes(lot);
  if (const auto extension = extensions_.find(code); extension != extensions_.end()) {
    return this_code + " is also an extension" + at_line(extension->second.line);
  }
  const auto slot =
      std::ranges::find_if(lots_, [&](const Lot& other) { return dials_slot(code, other.range); });
  if (slot != lots_.end()) {
    return this_code + " is a slot of lot " + in_quotes(slot->name) + at_line(slot->line);
  }
  const auto [it, inserted] =
      park_codes_.try_emplace(std::string(code), Seen{std::string(lot), line});
  if (inserted) return std::nullopt;
  return this_code + " is already the park code of lot " + in_quotes(it->second.owner) +
         at_line(it->second.line);
}

}  // namespace orbit::app
