// Classification markings: banners ("SECRET//NOFORN", "TOP SECRET//SI//REL TO USA, FVEY",
// "CONFIDENTIAL" alone on its line), portion markings at the start of a paragraph ("(S//NF)",
// "(C)"), spaced cable banners ("C O N F I D E N T I A L") and French markings ("SECRET DÉFENSE",
// "DIFFUSION RESTREINTE").
#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "analyze/internal/entity_finders.h"

namespace trove::analyze::internal {
namespace {

// One control marking after "//": a releasability list, a multi-word caveat, or a code word
// ("NOFORN", "SI", "TK", "ORCON", "NF").
constexpr std::string_view kControl =
    R"((?:REL TO [A-Z]{3,4}(?:, ?[A-Z]{3,4})*|FOR OFFICIAL USE ONLY|LAW ENFORCEMENT SENSITIVE|)"
    R"(LIMITED DISTRIBUTION|[A-Z0-9][A-Z0-9\-]*))";

bool IsDecoration(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '-' || ch == '*' || ch == '=' ||
         ch == '#' || ch == '_' || ch == '\f';
}

// True when the match [begin, end) is alone on its line, but for spaces and rules ("---").
bool IsAloneOnLine(std::string_view text, std::size_t begin, std::size_t end) {
  const std::string_view line = LineAround(text, begin);
  const std::size_t line_begin = static_cast<std::size_t>(line.data() - text.data());
  const std::size_t line_end = line_begin + line.size();
  if (end > line_end) return false;
  for (std::size_t pos = line_begin; pos < begin; ++pos) {
    if (!IsDecoration(text[pos])) return false;
  }
  for (std::size_t pos = end; pos < line_end; ++pos) {
    if (!IsDecoration(text[pos])) return false;
  }
  return true;
}

// True when only spaces and a list number ("1.", "a)") come between the start of the line and
// `begin`.
bool StartsParagraph(std::string_view text, std::size_t begin) {
  const std::string_view line = LineAround(text, begin);
  const std::size_t line_begin = static_cast<std::size_t>(line.data() - text.data());
  std::string_view prefix = text.substr(line_begin, begin - line_begin);
  const auto trim_spaces = [&prefix] {
    while (!prefix.empty() && (prefix.front() == ' ' || prefix.front() == '\t')) {
      prefix.remove_prefix(1);
    }
    while (!prefix.empty() && (prefix.back() == ' ' || prefix.back() == '\t')) {
      prefix.remove_suffix(1);
    }
  };
  trim_spaces();
  if (prefix.empty()) return true;
  if (prefix.back() != '.' && prefix.back() != ')') return false;
  prefix.remove_suffix(1);
  if (prefix.size() == 1 && IsAsciiAlpha(prefix.front())) return true;
  if (prefix.empty() || prefix.size() > 3) return false;
  for (const char ch : prefix) {
    if (!IsAsciiDigit(ch)) return false;
  }
  return true;
}

// "(C) 2011 Acme", "(C) Copyright": a copyright sign, not a portion marking.
bool IsCopyright(std::string_view after) {
  while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
  if (after.size() >= 4 && IsAsciiDigit(after[0]) && IsAsciiDigit(after[1]) &&
      IsAsciiDigit(after[2]) && IsAsciiDigit(after[3])) {
    return true;
  }
  return AsciiLowerCopy(after.substr(0, 9)) == "copyright";
}

// The single letters that open a line as "(X)" anywhere in the text: when "(B)" does, a "(C)"
// is the third item of a list.
std::set<char> LineStartLetters(std::string_view text) {
  static const re2::RE2 kLineStartLetter(R"((?m)^[ \t]*\(([A-Z])\))");
  std::set<char> letters;
  ForEachMatch(kLineStartLetter, text, 1, [&](const std::vector<re2::StringPiece>& groups) {
    letters.insert(groups[1][0]);
    return letters.size() < 26;
  });
  return letters;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += ch;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "REL TO USA,FVEY" -> "REL TO USA, FVEY".
std::string NormaliseControls(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size(); ++pos) {
    out += s[pos];
    if (s[pos] == ',' && (pos + 1 >= s.size() || s[pos + 1] != ' ')) out += ' ';
  }
  return CollapseSpaces(out);
}

}  // namespace

void FindMarkings(const FinderInput& input, std::vector<Mention>* out) {
  const std::string control(kControl);
  static const re2::RE2 kBanner(R"(\b(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|RESTRICTED))"
                                R"(((?://)" +
                                control + "(?:/{1,2}" + control + R"()*)?)\b)");
  static const re2::RE2 kPortion(R"(\(((?:TS|S|C|U|R|CUI)(?://)" + control + "(?:/{1,2}" + control +
                                 R"()*)?)\))");
  static const re2::RE2 kSpaced(
      R"(\b(T O P S E C R E T|S E C R E T|C O N F I D E N T I A L|U N C L A S S I F I E D|)"
      R"(U N C L A S)\b)");
  static const re2::RE2 kFrench(
      R"((TR[ÈE]S[ \x{00A0}]SECRET[ \-\x{00A0}]D[ÉE]FENSE|SECRET[ \-\x{00A0}]D[ÉE]FENSE|)"
      R"(CONFIDENTIEL[ \-\x{00A0}]D[ÉE]FENSE|DIFFUSION[ \x{00A0}]RESTREINTE|TR[ÈE]S SECRET)\b)");

  const std::string_view text = input.text;
  CandidateList list(out);
  // Most texts hold none of the words; looking for them is much cheaper than the patterns.
  const auto contains = [text](std::string_view word) {
    return text.find(word) != std::string_view::npos;
  };
  const bool has_secret = contains("SECRET");
  const bool has_confidential = contains("CONFIDENTI");

  if (has_secret || has_confidential || contains("UNCLASS") || contains("RESTRICT")) {
    ForEachMatch(kBanner, text, 2, [&](const std::vector<re2::StringPiece>& groups) {
      const std::size_t begin = OffsetIn(text, groups[0]);
      const std::size_t end = begin + groups[0].size();
      // Without controls, an upper-case word is a banner only alone on its line: "THE SECRET OF
      // WEALTH" and "STRICTLY CONFIDENTIAL PROPOSAL" are not markings.
      if (groups[2].empty() && !IsAloneOnLine(text, begin, end)) return true;
      return list.Add(EntityType::kMarking, begin, end,
                      NormaliseControls(std::string_view(groups[0].data(), groups[0].size())));
    });
  }

  // Only texts with a single-letter portion marking need the list check's pass over the text.
  std::optional<std::set<char>> line_start_letters;
  if (contains("(")) {
    ForEachMatch(kPortion, text, 1, [&](const std::vector<re2::StringPiece>& groups) {
      const std::size_t begin = OffsetIn(text, groups[0]);
      const std::size_t end = begin + groups[0].size();
      if (!StartsParagraph(text, begin)) return true;
      const std::string_view code(groups[1].data(), groups[1].size());
      if (IsCopyright(text.substr(end, 16))) return true;
      if (code.size() == 1) {
        if (!line_start_letters) line_start_letters = LineStartLetters(text);
        if (line_start_letters->contains(static_cast<char>(code[0] - 1))) {
          return true;  // "(A) ... (B) ... (C)": a list
        }
      }
      std::string value = "(";
      value += NormaliseControls(code);
      value += ')';
      return list.Add(EntityType::kMarking, begin, end, std::move(value));
    });
  }

  if (contains("E C R E T") || contains("N F I D E") || contains("N C L A S")) {
    ForEachMatch(kSpaced, text, 1, [&](const std::vector<re2::StringPiece>& groups) {
      std::string value;
      for (const char ch : std::string_view(groups[1].data(), groups[1].size())) {
        if (ch != ' ') value += ch;
      }
      if (value == "TOPSECRET") value = "TOP SECRET";
      if (value == "UNCLAS") value = "UNCLASSIFIED";
      const std::size_t begin = OffsetIn(text, groups[0]);
      return list.Add(EntityType::kMarking, begin, begin + groups[0].size(), std::move(value));
    });
  }

  if (has_secret || has_confidential || contains("RESTREINTE")) {
    ForEachMatch(kFrench, text, 1, [&](const std::vector<re2::StringPiece>& groups) {
      const std::size_t begin = OffsetIn(text, groups[0]);
      const std::size_t end = begin + groups[0].size();
      const std::string_view written(groups[1].data(), groups[1].size());
      std::string value;
      if (written.starts_with("TR")) {
        value = "TRÈS SECRET";
        // "TRÈS SECRET" without "DÉFENSE" (the 2021 levels) only alone on its line.
        if (written.find("FENSE") != std::string_view::npos) {
          value += " DÉFENSE";
        } else if (!IsAloneOnLine(text, begin, end)) {
          return true;
        }
      } else if (written.starts_with("SECRET")) {
        value = "SECRET DÉFENSE";
      } else if (written.starts_with("CONFIDENTIEL")) {
        value = "CONFIDENTIEL DÉFENSE";
      } else {
        value = "DIFFUSION RESTREINTE";
      }
      return list.Add(EntityType::kMarking, begin, end, std::move(value));
    });
  }
}

}  // namespace trove::analyze::internal
