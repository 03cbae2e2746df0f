// ISO 8601 parsing by hand: fixed positions, each field range-checked, the date validated.
#include "api/iso8601.hpp"

namespace orbit::api {
namespace {

// The decimal number of `digits` digits at text[at], or -1.
int number(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is(std::string_view text, std::size_t at, char c) {
  return at < text.size() && text[at] == c;
}

}  // namespace

std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_iso8601(
    std::string_view text) {
  using namespace std::chrono;
  const int year = number(text, 0, 4);
  const int month = number(text, 5, 2);
  const int day = number(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || !is(text, 4, '-') || !is(text, 7, '-')) {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year(year),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  sys_time<milliseconds> at = sys_days(date);
  if (text.size() == 10) return at;

  const int hour = number(text, 11, 2);
  const int minute = number(text, 14, 2);
  const int second = number(text, 17, 2);
  if (!is(text, 10, 'T') || !is(text, 13, ':') || !is(text, 16, ':') || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  at += hours(hour) + minutes(minute) + seconds(second);
  std::size_t pos = 19;
  if (is(text, pos, '.')) {
    // Milliseconds from the first three digits; further digits are read and dropped.
    std::size_t end = pos + 1;
    int scale = 100;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
      at += milliseconds((text[end] - '0') * scale);
      scale /= 10;
      ++end;
    }
    if (end == pos + 1) return std::nullopt;
    pos = end;
  }
  const std::string_view zone = text.substr(pos);
  if (zone == "Z") return at;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-' && zone[0] != ' ') || zone[3] != ':') {
    return std::nullopt;
  }
  const int offset_hours = number(zone, 1, 2);
  const int offset_minutes = number(zone, 4, 2);
  if (offset_hours < 0 || offset_hours > 23 || offset_minutes < 0 || offset_minutes > 59) {
    return std::nullopt;
  }
  const minutes offset = hours(offset_hours) + minutes(offset_minutes);
  // 10:00+01:00 is 09:00Z.
  return zone[0] == '-' ? at + offset : at - offset;
}

}  // namespace orbit::api
