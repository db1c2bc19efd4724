// IBANs, amounts of money and phone numbers.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>
#include <re2/re2.h>

#include "analyze/internal/entity_finders.h"

namespace trove::analyze::internal {
namespace {

struct IbanCountry {
  std::string_view code;
  int length;
};

// IBAN lengths by country, from the SWIFT IBAN registry. An IBAN of another country, or of
// another length, is not one.
constexpr std::array<IbanCountry, 80> kIbanCountries = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27},
    {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"IR", 26},
}};

int IbanLength(std::string_view country) {
  for (const IbanCountry& entry : kIbanCountries) {
    if (entry.code == country) return entry.length;
  }
  return 0;
}

// ISO 13616: the number formed by moving the first four characters to the end and reading
// letters as 10..35 is 1 modulo 97.
bool HasValidIbanChecksum(std::string_view iban) {
  int remainder = 0;
  for (std::size_t idx = 0; idx < iban.size(); ++idx) {
    const char ch = iban[(idx + 4) % iban.size()];
    if (IsAsciiDigit(ch)) {
      remainder = (remainder * 10 + (ch - '0')) % 97;
    } else {
      const int value = AsciiUpper(ch) - 'A' + 10;
      remainder = (remainder * 100 + value) % 97;
    }
  }
  return remainder == 1;
}

// A decimal number as text: digits before and after the point, without separators.
struct Decimal {
  std::string integer;
  std::string fraction;
};

// Reads an amount as written ("1,500,000", "1 000 000", "12.50", "1,5", "1.500"). Spaces
// (including no-break spaces) always group thousands. When both '.' and ',' appear, the last is the
// decimal point. A separator used more than once groups thousands. A single separator followed by
// exactly three digits groups thousands ("$3,000", "20.000 francs": prices do not have three
// decimals), unless a scale word follows ("$1.125 billion", "1,250 milliard"); any other single
// separator is the decimal point ("1,5", "12.50").
Decimal ParseAmount(std::string_view written, bool has_scale) {
  std::string digits_and_marks;
  for (std::size_t pos = 0; pos < written.size(); ++pos) {
    const char ch = written[pos];
    if (IsAsciiDigit(ch) || ch == '.' || ch == ',') digits_and_marks += ch;
    // Other bytes are spaces (ASCII or the UTF-8 of U+00A0, U+202F): grouping only.
  }
  const std::size_t last_dot = digits_and_marks.rfind('.');
  const std::size_t last_comma = digits_and_marks.rfind(',');
  std::size_t point = std::string::npos;
  if (last_dot != std::string::npos && last_comma != std::string::npos) {
    point = std::max(last_dot, last_comma);
  } else if (last_dot != std::string::npos || last_comma != std::string::npos) {
    const char mark = last_dot != std::string::npos ? '.' : ',';
    const std::size_t last = std::min(last_dot, last_comma);
    const bool is_repeated = digits_and_marks.find(mark) != last;
    const bool has_three_after = digits_and_marks.size() - last - 1 == 3;
    if (!is_repeated && (!has_three_after || has_scale)) point = last;
  }
  Decimal result;
  for (std::size_t pos = 0; pos < digits_and_marks.size(); ++pos) {
    const char ch = digits_and_marks[pos];
    if (!IsAsciiDigit(ch)) continue;
    (point != std::string::npos && pos > point ? result.fraction : result.integer) += ch;
  }
  return result;
}

// "1.5" with scale 6 -> "1500000"; trailing zeros of the fraction and leading zeros dropped.
std::string ScaledNumber(Decimal number, int scale_digits) {
  for (int digit_idx = 0; digit_idx < scale_digits; ++digit_idx) {
    if (number.fraction.empty()) {
      number.integer += '0';
    } else {
      number.integer += number.fraction.front();
      number.fraction.erase(0, 1);
    }
  }
  while (!number.fraction.empty() && number.fraction.back() == '0') number.fraction.pop_back();
  const std::size_t first_nonzero = number.integer.find_first_not_of('0');
  number.integer = first_nonzero == std::string::npos ? "0" : number.integer.substr(first_nonzero);
  return number.fraction.empty() ? number.integer : number.integer + "." + number.fraction;
}

// Zeros that a scale word adds: "million" 6, "k" 3; 0 for none.
int ScaleDigits(std::string_view word) {
  if (word.empty()) return 0;
  const std::string lower = AsciiLowerCopy(word);
  if (lower == "k" || lower == "thousand" || lower == "mille") return 3;
  if (lower == "m" || lower == "mn" || lower.starts_with("million")) return 6;
  if (lower == "bn" || lower == "md" || lower == "mds" || lower == "mrd" ||
      lower.starts_with("billion") || lower.starts_with("milliard")) {
    return 9;
  }
  if (lower.starts_with("trillion")) return 12;
  return 0;
}

// The ISO 4217 code for a currency as written; "$" alone is taken for US dollars.
std::string_view CurrencyCode(std::string_view written) {
  const std::string lower = AsciiLowerCopy(written);
  if (lower == "€" || lower.starts_with("euro") || lower == "eur") return "EUR";
  if (lower == "£" || lower.starts_with("pound") || lower.starts_with("livre") || lower == "gbp") {
    return "GBP";
  }
  if (lower == "¥" || lower.starts_with("yen") || lower == "jpy") return "JPY";
  if (lower == "chf" || lower == "francs suisses" || lower == "franc suisse") return "CHF";
  if (lower.starts_with("franc")) return "FRF";
  if (lower == "cad" || lower == "c$" || lower == "ca$") return "CAD";
  if (lower == "aud" || lower == "a$" || lower == "au$") return "AUD";
  if (lower == "hk$") return "HKD";
  if (lower == "nz$") return "NZD";
  if (lower == "s$") return "SGD";
  return "USD";  // "$", "US$", "USD", "dollars", "US dollars"
}

// Region (ISO 3166) for numbers written without a country code, by document language.
std::string RegionFor(std::string_view language) {
  struct LanguageRegion {
    std::string_view language;
    std::string_view region;
  };
  static constexpr std::array<LanguageRegion, 22> kRegions = {{
      {"en", "US"}, {"fr", "FR"}, {"de", "DE"}, {"es", "ES"}, {"it", "IT"}, {"nl", "NL"},
      {"pt", "PT"}, {"ru", "RU"}, {"pl", "PL"}, {"sv", "SE"}, {"da", "DK"}, {"nb", "NO"},
      {"no", "NO"}, {"fi", "FI"}, {"el", "GR"}, {"cs", "CZ"}, {"hu", "HU"}, {"ro", "RO"},
      {"tr", "TR"}, {"ja", "JP"}, {"zh", "CN"}, {"ko", "KR"},
  }};
  for (const LanguageRegion& entry : kRegions) {
    if (entry.language == language) return std::string(entry.region);
  }
  return "ZZ";  // unknown: libphonenumber then accepts only numbers written with "+"
}

// Words that announce a phone number; an unbroken run of digits is taken for one only after them.
bool FollowsPhoneWord(std::string_view text, std::size_t begin) {
  const std::string before = AsciiLowerCopy(TextBefore(text, begin, 32));
  static constexpr std::array<std::string_view, 10> kPhoneWords = {
      "tel", "tél", "phone", "fax", "call", "mobile", "cell", "portable", "appel", "numéro"};
  for (const std::string_view word : kPhoneWords) {
    if (before.find(word) != std::string::npos) return true;
  }
  return false;
}

// An amount glued to a word, a number or more currency signs: "XEUR 5", "$5abc", the "$7$^" of
// undecoded ISO-2022-JP text.
bool IsGlued(std::string_view text, std::size_t begin, std::size_t end) {
  const auto is_glue = [](char ch) { return IsAsciiAlnum(ch) || ch == '$' || ch == '%'; };
  if (begin > 1 && (text[begin - 1] == '.' || text[begin - 1] == ',') &&
      IsAsciiAlnum(text[begin - 2])) {
    return true;  // the tail of a longer number: "2G0.000 francs"
  }
  return (begin > 0 && is_glue(text[begin - 1])) || (end < text.size() && is_glue(text[end]));
}

// "5.00.2615.200" (a version) is not a phone number: the inner groups of a number written with
// dots have one length ("877.230.3267", "01.42.68.53.00").
bool HasUnevenDottedGroups(std::string_view raw) {
  if (raw.find('.') == std::string_view::npos ||
      raw.find_first_not_of("0123456789.") != std::string_view::npos) {
    return false;
  }
  std::vector<std::size_t> group_lengths;
  std::size_t length = 0;
  for (const char ch : raw) {
    if (IsAsciiDigit(ch)) {
      ++length;
    } else if (length > 0) {
      group_lengths.push_back(length);
      length = 0;
    }
  }
  if (length > 0) group_lengths.push_back(length);
  for (std::size_t group_idx = 2; group_idx + 1 < group_lengths.size(); ++group_idx) {
    if (group_lengths[group_idx] != group_lengths[1]) return true;
  }
  return false;
}

// Runs of digits and dots that are IPv4 addresses ("192.168.10.21"), versions or other dotted
// identifiers ("3115243.1036431255782", "1031225695.83349.5").
bool IsDottedNonPhone(std::string_view run) {
  if (run.find('.') == std::string_view::npos ||
      run.find_first_not_of("0123456789.") != std::string_view::npos) {
    return false;
  }
  if (HasUnevenDottedGroups(run)) return true;
  const auto dot_count = std::count(run.begin(), run.end(), '.');
  if (dot_count < 2) return true;
  std::size_t group_length = 0;
  std::size_t longest_group = 0;
  for (const char ch : run) {
    group_length = ch == '.' ? 0 : group_length + 1;
    longest_group = std::max(longest_group, group_length);
  }
  // Dotted phone numbers group by 2 to 4 ("1031225695.83349.5" is a message id); four groups of
  // at most three digits are an IPv4 address.
  return longest_group > 4 || (dot_count == 3 && longest_group <= 3);
}

// A number that is part of a longer token: a host name ("64-172-88-155.example.net"), a path,
// a longer dotted or dashed run. Checked on each side.
bool IsJoiner(char ch) { return ch == '.' || ch == '-' || ch == '/' || ch == '_'; }

bool IsGluedBefore(std::string_view text, std::size_t begin) {
  if (begin > 0 && IsAsciiAlnum(text[begin - 1])) return true;
  return begin > 1 && IsJoiner(text[begin - 1]) && IsAsciiAlnum(text[begin - 2]);
}

bool IsGluedAfter(std::string_view text, std::size_t end) {
  if (end < text.size() && (IsAsciiAlnum(text[end]) || text[end] == '@')) return true;
  return end + 1 < text.size() && IsJoiner(text[end]) && IsAsciiAlnum(text[end + 1]);
}

// libphonenumber tries at most this many candidates per window (each costs tens of
// microseconds; a window rarely holds more than a few numbers).
constexpr int kMaxPhoneTries = 16;
// Digits in a phone number: national numbers have at least 7 in most plans, E.164 at most 15
// (a few more for written trunk prefixes and extensions).
constexpr long kMinPhoneDigits = 7;
constexpr long kMaxPhoneDigits = 17;
// Bytes of context around a run of digits given to the matcher, and the largest window.
constexpr std::size_t kPhoneContext = 24;
constexpr std::size_t kMaxPhoneWindow = 512;

// Whether a run of digits and separators can hold a phone number (or two: "01 42 68 53 00 /
// 01 42 68 53 01"): 7 digits or more, no group longer than a whole number, at most two groups
// of a single digit ("+33 1 42 68 53 00"). Runs such as "1-1-1-1-1-1" or a page of digits are
// not worth the matcher's time, which is the costly part.
bool IsPlausiblePhoneRun(std::string_view run) {
  long digit_count = 0;
  long longest_group = 0;
  int single_digit_groups = 0;
  long group_length = 0;
  for (std::size_t pos = 0; pos <= run.size(); ++pos) {
    if (pos < run.size() && IsAsciiDigit(run[pos])) {
      ++digit_count;
      ++group_length;
      continue;
    }
    longest_group = std::max(longest_group, group_length);
    if (group_length == 1) ++single_digit_groups;
    group_length = 0;
  }
  return digit_count >= kMinPhoneDigits && longest_group <= kMaxPhoneDigits &&
         single_digit_groups <= 2;
}

// Whether the run of digits at [begin, end) may hold a phone number that the checks in FindPhones
// would keep. The matcher costs 100 to 400 microseconds a window (more when it finds nothing), so
// runs that are IP addresses, numeric dates, versions, identifiers glued into longer tokens or
// unannounced digit strings are not given to it; the checks after it stay the reference.
bool IsWorthMatching(std::string_view text, std::size_t begin, std::size_t end) {
  std::string_view run = text.substr(begin, end - begin);
  if (!IsPlausiblePhoneRun(run)) return false;
  // The digits proper, without brackets and a leading plus.
  std::size_t core_begin = begin;
  while (core_begin < end && (text[core_begin] == '(' || text[core_begin] == '+')) ++core_begin;
  std::size_t core_end = end;
  while (core_end > core_begin && text[core_end - 1] == ')') --core_end;
  const std::string_view core = text.substr(core_begin, core_end - core_begin);
  if (IsDottedNonPhone(core)) return false;
  static const re2::RE2 kNumericDate(R"(\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4})");
  if (re2::RE2::FullMatch(re2::StringPiece(core.data(), core.size()), kNumericDate)) return false;
  // Glued after a word or into a path ("sentto-2242572-51739", "/2002/10/01"); what follows may
  // be an extension ("800-396-3622x5").
  if (core_begin == begin && IsGluedBefore(text, begin)) return false;
  // "(80-24-132-206.example.net": a host name has no spaces ("+1 412-268-7090 (24-hour" has).
  if (run.find(' ') == std::string_view::npos && end + 1 < text.size() && IsJoiner(text[end]) &&
      IsAsciiAlnum(text[end + 1])) {
    return false;
  }
  const bool is_unbroken = run.find_first_not_of("0123456789") == std::string_view::npos;
  return !is_unbroken || FollowsPhoneWord(text, begin);
}

}  // namespace

void FindIbans(const FinderInput& input, std::vector<Mention>* out) {
  static const re2::RE2 kIbanStart(R"(\b[A-Z]{2}[0-9]{2} ?[A-Za-z0-9])");
  const std::string_view text = input.text;
  CandidateList list(out);
  ForEachMatch(kIbanStart, text, 0, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t begin = OffsetIn(text, groups[0]);
    const int length = IbanLength(text.substr(begin, 2));
    if (length == 0) return true;
    std::string iban;
    std::size_t pos = begin;
    // Characters of the IBAN, optionally grouped by single spaces.
    while (pos < text.size() && static_cast<int>(iban.size()) < length) {
      const char ch = text[pos];
      if (IsAsciiAlnum(ch)) {
        iban += AsciiUpper(ch);
      } else if (ch != ' ' || pos == begin || !IsAsciiAlnum(text[pos - 1]) ||
                 pos + 1 >= text.size() || !IsAsciiAlnum(text[pos + 1])) {
        break;
      }
      ++pos;
    }
    if (static_cast<int>(iban.size()) != length) return true;
    if (pos < text.size() && IsAsciiAlnum(text[pos])) return true;  // longer than its country's
    if (!HasValidIbanChecksum(iban)) return true;
    return list.Add(EntityType::kIban, begin, pos, std::move(iban));
  });
}

void FindMoney(const FinderInput& input, std::vector<Mention>* out) {
  // A group of three digits must end there: "€200 2011" is 200 euros, not 200 201.
  static constexpr std::string_view kAmount =
      R"((\d{1,3}(?:(?:,|\.| |\x{00A0}|\x{202F})\d{3}\b)+(?:[.,]\d+)?|\d+(?:[.,]\d+)?))";
  static constexpr std::string_view kSpace = R"((?:\s|\x{00A0}|\x{202F})?)";
  static constexpr std::string_view kScale =
      R"((?:(?:\s|\x{00A0}|\x{202F})?)"
      R"((millions?|billions?|milliards?|thousand|trillions?|mille|mn|bn|Mds?|Mrd|[mMkK])\b)?)";
  // "$1.5 million", "US$ 3,000", "€200", "£12.50", "EUR 5m".
  static const re2::RE2 kCurrencyFirst(
      std::string(R"((US\$|CA\$|AU\$|HK\$|NZ\$|[CAS]\$|\$|€|£|¥|USD|EUR|GBP|CHF|JPY|CAD|AUD))") +
      std::string(kSpace) + std::string(kAmount) + std::string(kScale));
  // "200 euros", "1 000 000 €", "5 millions d'euros", "3 million US dollars". The pattern looks
  // one character past a currency sign to see that no word goes on.
  static const re2::RE2 kAmountFirst(
      std::string(R"(\b)") + std::string(kAmount) + std::string(kScale) + std::string(kSpace) +
      R"((?:d'|de |of )?((?:US |U\.S\. )?dollars?|euros?|pounds?|yens?|francs suisses|francs?|)"
      R"(livres? sterling|€|\$|£|¥|USD|EUR|GBP|CHF|JPY|CAD|AUD)(?:\b|$|[^A-Za-z]))");
  const std::string_view text = input.text;
  CandidateList list(out);
  const auto add = [&](std::size_t begin, std::size_t end, re2::StringPiece amount,
                       re2::StringPiece scale, re2::StringPiece currency) {
    const int scale_digits = ScaleDigits(std::string_view(scale.data(), scale.size()));
    const Decimal number =
        ParseAmount(std::string_view(amount.data(), amount.size()), scale_digits > 0);
    std::string value(CurrencyCode(std::string_view(currency.data(), currency.size())));
    value += ' ';
    value += ScaledNumber(number, scale_digits);
    return list.Add(EntityType::kMoney, begin, end, std::move(value));
  };
  ForEachMatch(kCurrencyFirst, text, 3, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t begin = OffsetIn(text, groups[0]);
    std::size_t end = begin + groups[0].size();
    if (IsGlued(text, begin, end)) return true;
    return add(begin, end, groups[2], groups[3], groups[1]);
  });
  ForEachMatch(kAmountFirst, text, 3, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t begin = OffsetIn(text, groups[0]);
    const std::size_t end = OffsetIn(text, groups[3]) + groups[3].size();
    if (IsGlued(text, begin, end)) return true;
    return add(begin, end, groups[1], groups[2], groups[3]);
  });
}

void FindPhones(const FinderInput& input, std::vector<Mention>* out) {
  using i18n::phonenumbers::PhoneNumberMatch;
  using i18n::phonenumbers::PhoneNumberMatcher;
  using i18n::phonenumbers::PhoneNumberUtil;
  // Runs of digits with the separators of written phone numbers. libphonenumber's matcher, run on
  // a whole text, converts what remains of the text to UTF-16 for each candidate it tries and
  // ran at about 0.5 MB/s on mail; it runs here on small windows around these runs instead.
  static const re2::RE2 kDigitRun(R"([+(]?\d(?:[\d \t().\-/]|\x{00A0}){5,30}\d)");
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  const std::string_view text = input.text;
  const std::string region = RegionFor(input.language);
  CandidateList list(out);

  const auto find_in_window = [&](std::size_t window_begin, std::size_t window_end) {
    const std::string window(text.substr(window_begin, window_end - window_begin));
    // VALID: the number is possible and valid for its region. The stricter grouping levels
    // refuse real numbers written with unusual spacing, which leaked documents are full of.
    PhoneNumberMatcher matcher(util, window, region, PhoneNumberMatcher::VALID, kMaxPhoneTries);
    PhoneNumberMatch match;
    while (matcher.HasNext() && matcher.Next(&match)) {
      std::size_t begin = window_begin + static_cast<std::size_t>(match.start());
      std::string_view raw = match.raw_string();
      const std::size_t end = begin + raw.size();
      if (end > window_end) continue;
      // "(1-877-451-8336": the matcher keeps an opening bracket that is never closed.
      if (raw.front() == '(' && raw.find(')') == std::string_view::npos) {
        raw.remove_prefix(1);
        ++begin;
      }
      if (IsGluedBefore(text, begin) || IsGluedAfter(text, end) || HasUnevenDottedGroups(raw)) {
        continue;
      }
      // An unbroken run of digits is an order, account or reference number unless announced.
      const bool is_unbroken = raw.find_first_not_of("0123456789") == std::string_view::npos;
      if (is_unbroken && !FollowsPhoneWord(text, begin)) continue;
      std::string_view before = TextBefore(text, begin, 8);
      while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
      if (!before.empty() && before.back() == '#') continue;  // "order #555 123 4567"
      std::string e164;
      util.Format(match.number(), PhoneNumberUtil::E164, &e164);
      if (!list.Add(EntityType::kPhone, begin, end, std::move(e164))) return false;
    }
    return true;
  };

  // Windows: each run with a little context on either side (the matcher looks at the characters
  // around a number), merged when they touch.
  std::size_t window_begin = 0;
  std::size_t window_end = 0;
  bool has_window = false;
  ForEachMatch(kDigitRun, text, 0, [&](const std::vector<re2::StringPiece>& groups) {
    const std::size_t run_begin = OffsetIn(text, groups[0]);
    const std::size_t run_end = run_begin + groups[0].size();
    if (!IsWorthMatching(text, run_begin, run_end)) return true;
    std::size_t begin = run_begin > kPhoneContext ? run_begin - kPhoneContext : 0;
    std::size_t end = std::min(text.size(), run_end + kPhoneContext);
    // Cut the context at character boundaries.
    while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    if (has_window && begin <= window_end && end - window_begin <= kMaxPhoneWindow) {
      window_end = end;
      return true;
    }
    if (has_window && !find_in_window(window_begin, window_end)) return false;
    window_begin = begin;
    window_end = end;
    has_window = true;
    return true;
  });
  if (has_window) find_in_window(window_begin, window_end);
}

}  // namespace trove::analyze::internal
