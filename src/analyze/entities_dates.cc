// Dates written in English and French: "November 21, 2011", "21 novembre 2011", "le 1er mars
// 2012", "21/11/2011", "2011-11-21", "November 2011".
#include <array>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "analyze/internal/entity_finders.h"

namespace trove::analyze::internal {
namespace {

// Years accepted in a full date, and (narrower: "May 1000 people") with a month alone.
constexpr int kMinYear = 1000;
constexpr int kMaxYear = 2999;
constexpr int kMinMonthYear = 1800;
constexpr int kMaxMonthYear = 2199;

// English month names and abbreviations are capitalised or upper case ("may" is a verb); French
// ones are matched in any case ("21 Mai 2011", "21 MAI 2011").
constexpr std::string_view kMonthPattern =
    R"(((?:(?:January|February|March|April|May|June|July|August|September|October|November|)"
    R"(December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|JANUARY|FEBRUARY|MARCH|APRIL|)"
    R"(MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEP|)"
    R"(OCT|NOV|DEC)|)"
    R"((?i:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|)"
    R"(d[ée]cembre|janv|f[ée]vr|sept|oct|nov|d[ée]c))\.?))";
constexpr std::string_view kSpace = R"((?:\s|\x{00A0}){1,3})";

int MonthNumber(std::string_view name) {
  std::string lower = AsciiLowerCopy(name);
  if (!lower.empty() && lower.back() == '.') lower.pop_back();
  // UTF-8 accented letters of the French names ("é" and "û"), lower-cased byte-wise: É is C3 89,
  // é is C3 A9; Û is C3 9B, û is C3 BB.
  for (std::size_t pos = 0; pos + 1 < lower.size(); ++pos) {
    if (static_cast<unsigned char>(lower[pos]) == 0xC3) {
      const auto next = static_cast<unsigned char>(lower[pos + 1]);
      if (next == 0x89 || next == 0xA9) lower.replace(pos, 2, "e");
      if (next == 0x9B || next == 0xBB) lower.replace(pos, 2, "u");
    }
  }
  struct MonthPrefix {
    std::string_view prefix;
    int month;
  };
  // Checked in order on the first letters: "jun" before "ju" (juillet), "mar" is March and mars.
  static constexpr std::array<MonthPrefix, 15> kPrefixes = {{
      {"jan", 1},
      {"feb", 2},
      {"fev", 2},
      {"mar", 3},
      {"apr", 4},
      {"avr", 4},
      {"may", 5},
      {"mai", 5},
      {"jun", 6},
      {"juin", 6},
      {"jul", 7},
      {"juil", 7},
      {"aug", 8},
      {"aou", 8},
      {"sep", 9},
  }};
  for (const MonthPrefix& entry : kPrefixes) {
    if (lower.starts_with(entry.prefix)) return entry.month;
  }
  if (lower.starts_with("oct")) return 10;
  if (lower.starts_with("nov")) return 11;
  if (lower.starts_with("dec")) return 12;
  return 0;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

int ToInt(re2::StringPiece digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

// "YYYY-MM-DD", or "" when the date does not exist.
std::string IsoDate(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return {};
  }
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02d", year, month, day);
  return buffer.data();
}

// True when a day number ("31 ", "3rd of ", "1er ") comes right before `pos`.
bool FollowsDayNumber(std::string_view text, std::size_t pos) {
  std::string_view before = TextBefore(text, pos, 16);
  const auto trim_spaces = [&before] {
    while (!before.empty() && (before.back() == ' ' || before.back() == '\n' ||
                               before.back() == '\t' || before.back() == ',')) {
      before.remove_suffix(1);
    }
  };
  trim_spaces();
  if (before.ends_with(" of")) {
    before.remove_suffix(3);
    trim_spaces();
  }
  while (!before.empty() && IsAsciiAlpha(before.back())) before.remove_suffix(1);  // "st", "er"
  return !before.empty() && IsAsciiDigit(before.back());
}

}  // namespace

void FindDates(const FinderInput& input, std::vector<Mention>* out) {
  const std::string month(kMonthPattern);
  const std::string space(kSpace);
  // One pattern, one pass over the text: at a given start, "November 21, 2011" is preferred to
  // "November 2011"; a day number before a month starts earlier, so "31 February 2011" is read
  // (and refused) whole. Groups: month 1, day 2, year 3 | day 4, month 5, year 6 | month 7,
  // year 8.
  static const re2::RE2 kNamedMonth(
      // "November 21, 2011", "Nov. 21st 2011".
      R"(\b(?:)" + month + space + R"((\d{1,2})(?:st|nd|rd|th)?,?)" + space + R"((\d{4}))" +
      // "21 November 2011", "1er mars 2012", "21st of November, 2011".
      R"(|(\d{1,2})(?:st|nd|rd|th|er|e)?(?: of)?)" + space + month + ",?" + space + R"((\d{4}))" +
      // "November 2011", "mars 2012".
      "|" + month + ",?" + space + R"((\d{4}))\b)");
  // "21/11/2011", "21.11.2011", "11-21-2011"; "2011-11-21", "2011/11/21", "2011-11-21T10:00".
  static const re2::RE2 kNumeric(R"(\b(?:(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{4})|)"
                                 R"((\d{4})([/.\-])(\d{1,2})([/.\-])(\d{1,2})))");

  const std::string_view text = input.text;
  CandidateList list(out);
  const auto add = [&](re2::StringPiece whole, std::string value) {
    if (value.empty()) return true;
    const std::size_t begin = OffsetIn(text, whole);
    return list.Add(EntityType::kDate, begin, begin + whole.size(), std::move(value));
  };
  const auto name = [](re2::StringPiece piece) {
    return std::string_view(piece.data(), piece.size());
  };
  ForEachMatch(kNamedMonth, text, 8, [&](const std::vector<re2::StringPiece>& groups) {
    if (!groups[1].empty()) {
      return add(groups[0],
                 IsoDate(ToInt(groups[3]), MonthNumber(name(groups[1])), ToInt(groups[2])));
    }
    if (!groups[4].empty()) {
      return add(groups[0],
                 IsoDate(ToInt(groups[6]), MonthNumber(name(groups[5])), ToInt(groups[4])));
    }
    const int year = ToInt(groups[8]);
    if (year < kMinMonthYear || year > kMaxMonthYear) return true;
    // "31 February 2011" is no date, not the month of February 2011.
    if (FollowsDayNumber(text, OffsetIn(text, groups[0]))) return true;
    std::string value = IsoDate(year, MonthNumber(name(groups[7])), 1);
    if (value.size() > 7) value.resize(7);  // "YYYY-MM"
    return add(groups[0], std::move(value));
  });
  const bool is_month_first = input.language == "en";
  ForEachMatch(kNumeric, text, 10, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t begin = OffsetIn(text, groups[0]);
    const std::size_t end = begin + groups[0].size();
    // Part of a longer run of numbers ("1.2.2011.5", "10/12/2011/3"): not a date.
    const auto is_separator = [](char ch) { return ch == '/' || ch == '.' || ch == '-'; };
    if (begin >= 2 && is_separator(text[begin - 1]) && IsAsciiDigit(text[begin - 2])) return true;
    if (end + 1 < text.size() && is_separator(text[end]) && IsAsciiDigit(text[end + 1])) {
      return true;
    }
    // The pattern has no "\b" at its end so that an ISO timestamp ("2011-11-21T10:00Z") is read.
    const bool is_timestamp = !groups[6].empty() && end + 1 < text.size() && text[end] == 'T' &&
                              IsAsciiDigit(text[end + 1]);
    if (end < text.size() && IsAsciiAlnum(text[end]) && !is_timestamp) return true;
    if (!groups[1].empty()) {
      if (groups[2] != groups[4]) return true;  // "21/11-2011"
      const int first = ToInt(groups[1]);
      const int second = ToInt(groups[3]);
      const int year = ToInt(groups[5]);
      // Both readings possible ("03/04/2011"): the document's language decides.
      const bool is_first_month = first > 12 ? false : second > 12 ? true : is_month_first;
      return is_first_month ? add(groups[0], IsoDate(year, first, second))
                            : add(groups[0], IsoDate(year, second, first));
    }
    if (groups[7] != groups[9]) return true;
    return add(groups[0], IsoDate(ToInt(groups[6]), ToInt(groups[8]), ToInt(groups[10])));
  });
}

}  // namespace trove::analyze::internal
