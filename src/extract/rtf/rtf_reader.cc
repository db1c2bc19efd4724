#include "extract/rtf/rtf_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include <unicode/ucnv.h>

#include "core/text.h"

namespace trove::extract::internal {
namespace {

// Groups nested deeper than this are dropped with their content; real documents stay far below.
constexpr int kMaxDepth = 1024;
// \info fields (title, author...) are cut at this size.
constexpr std::size_t kMaxFieldBytes = 4096;
// Control words are at most 32 letters and parameters at most 10 digits (RTF 1.9.1); longer runs
// are consumed but not kept.
constexpr std::size_t kMaxWordLength = 32;
constexpr int kMaxParamDigits = 10;
// A font table with more entries than this is hostile; further fonts use the default code page.
constexpr std::size_t kMaxFonts = 4096;
// Distinct code pages (hence ICU converters) one document may use; more fall back to the default.
constexpr std::size_t kMaxCodepages = 32;
// Pending code-page bytes are converted in chunks of this size.
constexpr std::size_t kFlushBytes = 8192;
constexpr int kDefaultCodepage = 1252;
constexpr char32_t kReplacement = 0xFFFD;

// Where the text of the current group goes.
enum class Dest : std::uint8_t {
  kBody,
  kSkip,  // a destination we do not read: its content, nested groups included, is dropped
  kInfo,
  kTitle,
  kAuthor,
  kSubject,
  kKeywords,
  kCompany,
  kComments,
  kFontTable,
  kCreationTime,
};

struct GroupState {
  Dest dest = Dest::kBody;
  int unicode_skip = 1;  // \ucN: fallback characters after each \uN
  int font = -1;         // \fN in effect, -1 for the default font
  bool is_upr = false;   // an \upr group: {\upr{ANSI version}{\*\ud{Unicode version}}}
};

// Destinations whose content is not document text.
constexpr std::string_view kSkippedDestinations[] = {"colortbl",
                                                     "stylesheet",
                                                     "listtable",
                                                     "listoverridetable",
                                                     "revtbl",
                                                     "rsidtbl",
                                                     "generator",
                                                     "pict",
                                                     "objdata",
                                                     "objclass",
                                                     "fldinst",
                                                     "themedata",
                                                     "colorschememapping",
                                                     "datastore",
                                                     "latentstyles",
                                                     "xmlnstbl",
                                                     "mmathPr",
                                                     "pgdsctbl",
                                                     "filetbl",
                                                     "pntxta",
                                                     "pntxtb",
                                                     "bkmkstart",
                                                     "bkmkend",
                                                     "xe",
                                                     "tc",
                                                     "sp",
                                                     "sn",
                                                     "sv",
                                                     "nonshppict",
                                                     "fontemb",
                                                     "fontfile",
                                                     "falt",
                                                     "panose",
                                                     "userprops",
                                                     "docvar",
                                                     "atnid",
                                                     "atnauthor",
                                                     "atntime",
                                                     "atnref",
                                                     "atndate",
                                                     "listpicture",
                                                     "protusertbl",
                                                     "wgrffmtfilter",
                                                     "formfield",
                                                     "datafield",
                                                     "template",
                                                     "private",
                                                     "blipuid",
                                                     "passwordhash",
                                                     "operator",
                                                     "defchp"};

// Destinations read as text even when marked ignorable with \*.
constexpr std::string_view kKeptIgnorableDestinations[] = {"annotation", "shpinst", "shptxt", "ud"};

bool Contains(const auto& list, std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

// \fcharsetN -> Windows code page; 0 (no entry) for "use the document's".
int CodepageForCharset(int charset) {
  switch (charset) {
    case 0:
      return 1252;
    case 2:
      return 1252;  // Symbol: close enough for bullets and dashes
    case 77:
      return 10000;
    case 128:
      return 932;
    case 129:
      return 949;
    case 134:
      return 936;
    case 136:
      return 950;
    case 161:
      return 1253;
    case 162:
      return 1254;
    case 163:
      return 1258;
    case 177:
      return 1255;
    case 178:
      return 1256;
    case 186:
      return 1257;
    case 204:
      return 1251;
    case 222:
      return 874;
    case 238:
      return 1250;
    case 254:
      return 437;
    case 255:
      return 850;
    default:
      return 0;
  }
}

void AppendCodePoint(char32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// ICU converters by Windows code page, opened on first use.
class Codepages {
 public:
  // The converter for `codepage`, or windows-1252 when ICU does not know it. Failures are
  // remembered too, and a document may use only a bounded number of code pages, so a hostile
  // font table cannot make every run of text open converters.
  UConverter* Get(int codepage) {
    auto found = converters_.find(codepage);
    if (found == converters_.end()) {
      if (codepage != kDefaultCodepage && converters_.size() >= kMaxCodepages) {
        return Get(kDefaultCodepage);
      }
      found = converters_.emplace(codepage, Open(codepage)).first;
    }
    if (found->second == nullptr && codepage != kDefaultCodepage) return Get(kDefaultCodepage);
    return found->second.get();
  }

 private:
  static ConverterPtr Open(int codepage) {
    if (codepage == 65001) return OpenNamed("UTF-8");
    if (codepage == 10000) return OpenNamed("macintosh");
    if (codepage <= 0 || codepage > 65535) return nullptr;
    for (const char* pattern : {"windows-%d", "cp%d", "ibm-%d"}) {
      std::array<char, 32> name{};
      std::snprintf(name.data(), name.size(), pattern, codepage);
      if (ConverterPtr converter = OpenNamed(name.data())) return converter;
    }
    return nullptr;
  }

  static ConverterPtr OpenNamed(const char* name) {
    UErrorCode err = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(name, &err));
    if (U_FAILURE(err)) return nullptr;
    return converter;
  }

  std::map<int, ConverterPtr> converters_;
};

class RtfReader {
 public:
  RtfReader(std::string_view rtf, std::size_t max_text_bytes)
      : in_(rtf), max_text_bytes_(max_text_bytes) {}

  RtfContent Read();

 private:
  void Step();
  void SkipStep();
  void OpenGroup();
  void CloseGroup();
  void ReadControl();
  // Reads a control word's letters and parameter; pos_ is past the backslash.
  void ReadWord(std::string* word, bool* has_param, int* param);
  void OnControlWord(std::string_view word, bool has_param, int param);
  bool OnDestination(std::string_view word);
  void OnControlSymbol(char symbol);

  // Text in the current code page (plain characters and \'hh), converted lazily in runs so that
  // double-byte code pages see both bytes of a character.
  void TextByte(char byte);
  void FlushBytes(bool is_final);
  void UnicodeUnit(int unit);
  void Emit(char32_t cp);
  std::string* Target();
  int CurrentCodepage() const;

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t max_text_bytes_;
  bool is_done_ = false;

  GroupState state_;
  std::vector<GroupState> stack_;
  int overflow_depth_ = 0;       // groups opened beyond kMaxDepth, dropped
  bool is_group_start_ = false;  // nothing but \* since the last '{'
  bool is_ignorable_ = false;    // \* seen at the group start
  int fallback_to_skip_ = 0;     // characters left to skip after \uN

  std::string pending_bytes_;
  int pending_codepage_ = kDefaultCodepage;
  std::string* pending_target_ = nullptr;
  char16_t high_surrogate_ = 0;
  Codepages codepages_;

  int default_codepage_ = kDefaultCodepage;
  int default_font_ = -1;
  int font_being_defined_ = -1;
  std::map<int, int> font_codepages_;
  std::array<int, 5> creation_{};  // year, month, day, hour, minute

  std::string text_, title_, author_, subject_, keywords_, company_, comments_;
  bool is_truncated_ = false;
};

RtfContent RtfReader::Read() {
  while (pos_ < in_.size() && !is_done_) {
    if (overflow_depth_ > 0 || state_.dest == Dest::kSkip) {
      SkipStep();
    } else {
      Step();
    }
  }
  FlushBytes(/*is_final=*/true);
  if (high_surrogate_ != 0) {
    high_surrogate_ = 0;
    if (Target() != nullptr) Emit(kReplacement);
  }

  RtfContent content;
  content.text = SanitizeUtf8(text_);
  const std::size_t first = content.text.find_first_not_of(" \t\n");
  content.text.erase(0, first == std::string::npos ? content.text.size() : first);
  while (!content.text.empty() && (content.text.back() == '\n' || content.text.back() == ' ' ||
                                   content.text.back() == '\t')) {
    content.text.pop_back();
  }
  content.is_truncated = is_truncated_ || TruncateUtf8(&content.text, max_text_bytes_);
  auto clean = [](const std::string& raw) {
    std::string out = SanitizeUtf8(raw);
    for (char& ch : out) {
      if (ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f') ch = ' ';
    }
    // Trailing ideographic (U+3000) and no-break (U+00A0) spaces too: Word pads titles.
    for (bool is_trimmed = false; !is_trimmed;) {
      is_trimmed = true;
      for (const std::string_view space : {" ", "\xE3\x80\x80", "\xC2\xA0"}) {
        if (out.ends_with(space)) {
          out.resize(out.size() - space.size());
          is_trimmed = false;
        }
        if (out.starts_with(space)) {
          out.erase(0, space.size());
          is_trimmed = false;
        }
      }
    }
    TruncateUtf8(&out, kMaxFieldBytes);
    return out;
  };
  content.title = clean(title_);
  content.author = clean(author_);
  for (const auto& [key, raw] : {std::pair<const char*, const std::string*>{"subject", &subject_},
                                 {"keywords", &keywords_},
                                 {"company", &company_},
                                 {"comments", &comments_}}) {
    std::string value = clean(*raw);
    if (!value.empty()) content.metadata.emplace_back(key, std::move(value));
  }
  const auto [year, month, day, hour, minute] = creation_;
  if (year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
      hour >= 0 && hour < 24 && minute >= 0 && minute < 60) {
    content.date =
        DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
        hour * 3600 + minute * 60;
  }
  return content;
}

// Inside a skipped destination only braces and \bin matter; everything else is passed over.
void RtfReader::SkipStep() {
  const char ch = in_[pos_];
  if (ch == '{') {
    ++pos_;
    OpenGroup();
  } else if (ch == '}') {
    ++pos_;
    CloseGroup();
  } else if (ch == '\\') {
    ++pos_;
    if (pos_ >= in_.size()) return;
    if (std::isalpha(static_cast<unsigned char>(in_[pos_]))) {
      std::string word;
      bool has_param = false;
      int param = 0;
      ReadWord(&word, &has_param, &param);
      if (word == "bin" && has_param && param > 0) {
        pos_ += std::min<std::size_t>(static_cast<std::size_t>(param), in_.size() - pos_);
      }
    } else {
      ++pos_;  // \{ \} \\ and other symbols: the next character is not structure
    }
  } else {
    // Skip a run of plain bytes at once.
    const std::size_t next = in_.find_first_of("{}\\", pos_);
    pos_ = next == std::string_view::npos ? in_.size() : next;
  }
}

void RtfReader::Step() {
  const char ch = in_[pos_];
  switch (ch) {
    case '{':
      ++pos_;
      FlushBytes(/*is_final=*/true);
      fallback_to_skip_ = 0;
      OpenGroup();
      return;
    case '}':
      ++pos_;
      FlushBytes(/*is_final=*/true);
      fallback_to_skip_ = 0;
      CloseGroup();
      return;
    case '\\':
      ReadControl();
      return;
    case '\r':
    case '\n':
      ++pos_;  // line breaks in RTF source are not text
      return;
    default:
      ++pos_;
      is_group_start_ = false;
      is_ignorable_ = false;
      TextByte(ch);
      return;
  }
}

void RtfReader::OpenGroup() {
  if (overflow_depth_ > 0 || stack_.size() >= static_cast<std::size_t>(kMaxDepth)) {
    ++overflow_depth_;
    return;
  }
  stack_.push_back(state_);
  state_.is_upr = false;
  is_group_start_ = true;
  is_ignorable_ = false;
}

void RtfReader::CloseGroup() {
  is_group_start_ = false;
  is_ignorable_ = false;
  if (overflow_depth_ > 0) {
    --overflow_depth_;
    return;
  }
  if (stack_.empty()) return;  // unbalanced '}': ignored
  if (state_.dest == Dest::kFontTable) font_being_defined_ = -1;
  state_ = stack_.back();
  stack_.pop_back();
}

void RtfReader::ReadWord(std::string* word, bool* has_param, int* param) {
  while (pos_ < in_.size() && std::isalpha(static_cast<unsigned char>(in_[pos_]))) {
    if (word->size() < kMaxWordLength) *word += in_[pos_];
    ++pos_;
  }
  bool is_negative = false;
  if (pos_ + 1 < in_.size() && in_[pos_] == '-' &&
      std::isdigit(static_cast<unsigned char>(in_[pos_ + 1]))) {
    is_negative = true;
    ++pos_;
  }
  std::int64_t value = 0;
  int digits = 0;
  while (pos_ < in_.size() && std::isdigit(static_cast<unsigned char>(in_[pos_]))) {
    if (digits < kMaxParamDigits) value = value * 10 + (in_[pos_] - '0');
    ++digits;
    ++pos_;
  }
  *has_param = digits > 0;
  value = std::min<std::int64_t>(value, 0x7FFFFFFF);
  *param = static_cast<int>(is_negative ? -value : value);
  if (pos_ < in_.size() && in_[pos_] == ' ') ++pos_;  // the delimiting space is part of the word
}

void RtfReader::ReadControl() {
  ++pos_;  // the backslash
  if (pos_ >= in_.size()) return;
  if (!std::isalpha(static_cast<unsigned char>(in_[pos_]))) {
    const char symbol = in_[pos_++];
    OnControlSymbol(symbol);
    return;
  }
  std::string word;
  bool has_param = false;
  int param = 0;
  ReadWord(&word, &has_param, &param);
  OnControlWord(word, has_param, param);
}

void RtfReader::OnControlSymbol(char symbol) {
  if (symbol == '*') {
    is_ignorable_ = true;
    return;
  }
  if (symbol == '\'') {
    int value = 0;
    int digits = 0;
    while (digits < 2 && pos_ < in_.size() &&
           std::isxdigit(static_cast<unsigned char>(in_[pos_]))) {
      const char hex = in_[pos_++];
      value = value * 16 + (std::isdigit(static_cast<unsigned char>(hex))
                                ? hex - '0'
                                : std::tolower(static_cast<unsigned char>(hex)) - 'a' + 10);
      ++digits;
    }
    is_group_start_ = false;
    is_ignorable_ = false;
    if (digits > 0) TextByte(static_cast<char>(value));
    return;
  }
  is_group_start_ = false;
  is_ignorable_ = false;
  if (fallback_to_skip_ > 0) {
    --fallback_to_skip_;
    return;
  }
  switch (symbol) {
    case '\\':
    case '{':
    case '}':
      TextByte(symbol);
      break;
    case '~':
      Emit(' ');
      break;  // no-break space, a space for search
    case '_':
      Emit('-');
      break;  // no-break hyphen
    case '\n':
    case '\r':
      Emit('\n');  // same as \par
      break;
    case '\t':
      Emit('\t');
      break;
    default:
      break;  // \- (optional hyphen), \: (index entry), \| (formula)...
  }
}

bool RtfReader::OnDestination(std::string_view word) {
  if (word == "upr") {
    state_.is_upr = true;
    return true;
  }
  if (!stack_.empty() && stack_.back().is_upr) {
    // Inside \upr, read the Unicode version (\ud) and skip the ANSI one, which has '?' for
    // every character outside the code page.
    if (word != "ud") state_.dest = Dest::kSkip;
    return true;
  }
  if (state_.dest == Dest::kInfo) {
    // The first of repeated fields wins ({\author A}{\author A} occurs).
    const auto field = [this](Dest dest, const std::string& value) {
      state_.dest = value.empty() ? dest : Dest::kSkip;
    };
    if (word == "title") {
      field(Dest::kTitle, title_);
    } else if (word == "author") {
      field(Dest::kAuthor, author_);
    } else if (word == "subject") {
      field(Dest::kSubject, subject_);
    } else if (word == "keywords") {
      field(Dest::kKeywords, keywords_);
    } else if (word == "company") {
      field(Dest::kCompany, company_);
    } else if (word == "doccomm") {
      field(Dest::kComments, comments_);
    } else if (word == "creatim") {
      state_.dest = Dest::kCreationTime;
    } else {
      state_.dest = Dest::kSkip;  // revtim, operator, version...: not text
    }
    return true;
  }
  if (word == "info") {
    state_.dest = Dest::kInfo;
    return true;
  }
  if (word == "fonttbl") {
    state_.dest = Dest::kFontTable;
    return true;
  }
  if (Contains(kSkippedDestinations, word) ||
      (is_ignorable_ && !Contains(kKeptIgnorableDestinations, word))) {
    state_.dest = Dest::kSkip;
    return true;
  }
  return false;
}

void RtfReader::OnControlWord(std::string_view word, bool has_param, int param) {
  if (word == "bin") {
    // Raw binary data (in a \pict or \objdata we usually skip anyway): never text.
    if (has_param && param > 0) {
      pos_ += std::min<std::size_t>(static_cast<std::size_t>(param), in_.size() - pos_);
    }
    return;
  }
  const bool was_group_start = is_group_start_;
  is_group_start_ = false;
  if (was_group_start) {
    FlushBytes(/*is_final=*/true);
    const bool is_destination = OnDestination(word);
    is_ignorable_ = false;
    if (is_destination) return;
  }
  is_ignorable_ = false;
  if (fallback_to_skip_ > 0) {
    --fallback_to_skip_;  // a control word counts as one fallback character
    return;
  }

  if (word == "par" || word == "line" || word == "sect" || word == "page" || word == "row" ||
      word == "nestrow" || word == "lbr") {
    Emit('\n');
  } else if (word == "tab" || word == "cell" || word == "nestcell") {
    Emit('\t');
  } else if (word == "u" && has_param) {
    UnicodeUnit(param);
  } else if (word == "uc" && has_param) {
    state_.unicode_skip = std::clamp(param, 0, 16);
  } else if (word == "emdash") {
    Emit(0x2014);
  } else if (word == "endash") {
    Emit(0x2013);
  } else if (word == "bullet") {
    Emit(0x2022);
  } else if (word == "lquote") {
    Emit(0x2018);
  } else if (word == "rquote") {
    Emit(0x2019);
  } else if (word == "ldblquote") {
    Emit(0x201C);
  } else if (word == "rdblquote") {
    Emit(0x201D);
  } else if (word == "emspace" || word == "enspace" || word == "qmspace") {
    Emit(' ');
  } else if (word == "ansicpg" && has_param) {
    default_codepage_ = param;
  } else if (word == "ansi") {
    default_codepage_ = kDefaultCodepage;
  } else if (word == "mac") {
    default_codepage_ = 10000;
  } else if (word == "pc") {
    default_codepage_ = 437;
  } else if (word == "pca") {
    default_codepage_ = 850;
  } else if (word == "deff" && has_param) {
    default_font_ = param;
  } else if (word == "f" && has_param) {
    FlushBytes(/*is_final=*/true);
    if (state_.dest == Dest::kFontTable) {
      font_being_defined_ = param;
    } else {
      state_.font = param;
    }
  } else if (state_.dest == Dest::kFontTable && font_being_defined_ >= 0 && has_param &&
             (word == "fcharset" || word == "cpg") && font_codepages_.size() < kMaxFonts) {
    const int codepage = word == "cpg" ? param : CodepageForCharset(param);
    if (codepage > 0) font_codepages_[font_being_defined_] = codepage;
  } else if (state_.dest == Dest::kCreationTime && has_param) {
    static constexpr std::array<std::string_view, 5> kParts = {"yr", "mo", "dy", "hr", "min"};
    for (std::size_t idx = 0; idx < kParts.size(); ++idx) {
      if (word == kParts[idx]) creation_[idx] = param;
    }
  }
}

std::string* RtfReader::Target() {
  switch (state_.dest) {
    case Dest::kBody:
      return &text_;
    case Dest::kTitle:
      return &title_;
    case Dest::kAuthor:
      return &author_;
    case Dest::kSubject:
      return &subject_;
    case Dest::kKeywords:
      return &keywords_;
    case Dest::kCompany:
      return &company_;
    case Dest::kComments:
      return &comments_;
    default:
      return nullptr;
  }
}

int RtfReader::CurrentCodepage() const {
  const int font = state_.font >= 0 ? state_.font : default_font_;
  const auto found = font_codepages_.find(font);
  return found != font_codepages_.end() ? found->second : default_codepage_;
}

void RtfReader::TextByte(char byte) {
  if (fallback_to_skip_ > 0) {
    --fallback_to_skip_;
    return;
  }
  std::string* target = Target();
  if (target == nullptr) return;
  if (high_surrogate_ != 0) {
    high_surrogate_ = 0;  // a \u high surrogate followed by text, not by its low half
    AppendCodePoint(kReplacement, target);
  }
  const int codepage = CurrentCodepage();
  if (!pending_bytes_.empty() && (codepage != pending_codepage_ || target != pending_target_)) {
    FlushBytes(/*is_final=*/true);
  }
  pending_codepage_ = codepage;
  pending_target_ = target;
  pending_bytes_ += byte;
  if (pending_bytes_.size() >= kFlushBytes) FlushBytes(/*is_final=*/false);
}

void RtfReader::FlushBytes(bool is_final) {
  if (pending_bytes_.empty()) return;
  UConverter* converter = codepages_.Get(pending_codepage_);
  std::u16string units;
  if (converter == nullptr) {
    for (const char byte : pending_bytes_)
      units += static_cast<char16_t>(static_cast<unsigned char>(byte));
  } else {
    const char* source = pending_bytes_.data();
    const char* const source_limit = source + pending_bytes_.size();
    std::array<UChar, 1024> buffer{};
    for (;;) {
      UChar* target = buffer.data();
      UErrorCode err = U_ZERO_ERROR;
      ucnv_toUnicode(converter, &target, buffer.data() + buffer.size(), &source, source_limit,
                     nullptr, is_final, &err);
      units.append(reinterpret_cast<const char16_t*>(buffer.data()),
                   static_cast<std::size_t>(target - buffer.data()));
      if (err != U_BUFFER_OVERFLOW_ERROR) break;
    }
  }
  pending_bytes_.clear();
  // The bytes belong where they were collected, even if a group has closed since.
  std::string* const saved = pending_target_;
  if (saved == nullptr) return;
  std::string decoded;
  std::u16string_view rest(units);
  for (std::size_t idx = 0; idx < rest.size(); ++idx) {
    char32_t cp = rest[idx];
    if (cp >= 0xD800 && cp <= 0xDBFF && idx + 1 < rest.size() && rest[idx + 1] >= 0xDC00 &&
        rest[idx + 1] <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (rest[idx + 1] - 0xDC00);
      ++idx;
    }
    AppendCodePoint(cp, &decoded);
  }
  if (saved == &text_) {
    if (text_.size() + decoded.size() > max_text_bytes_) {
      text_ += decoded.substr(0, max_text_bytes_ - std::min(max_text_bytes_, text_.size()));
      is_truncated_ = true;
      is_done_ = true;
      return;
    }
  } else if (saved->size() >= kMaxFieldBytes) {
    return;
  }
  *saved += decoded;
}

void RtfReader::UnicodeUnit(int unit) {
  FlushBytes(/*is_final=*/true);
  // \u takes a signed 16-bit value: \u-3913 is U+F0B7.
  const auto code = static_cast<char16_t>(unit < 0 ? unit + 65536 : unit);
  fallback_to_skip_ = state_.unicode_skip;
  if (code >= 0xD800 && code <= 0xDBFF) {
    if (high_surrogate_ != 0) Emit(kReplacement);
    high_surrogate_ = code;
    return;
  }
  if (code >= 0xDC00 && code <= 0xDFFF) {
    if (high_surrogate_ != 0) {
      const char32_t cp = 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (code - 0xDC00);
      high_surrogate_ = 0;
      Emit(cp);
    } else {
      Emit(kReplacement);
    }
    return;
  }
  Emit(code);
}

void RtfReader::Emit(char32_t cp) {
  FlushBytes(/*is_final=*/true);
  std::string* target = Target();
  if (target == nullptr) return;
  if (high_surrogate_ != 0) {
    // A \u high surrogate not followed by its low half.
    high_surrogate_ = 0;
    AppendCodePoint(kReplacement, target);
  }
  if (target == &text_) {
    if (text_.size() >= max_text_bytes_) {
      is_truncated_ = true;
      is_done_ = true;
      return;
    }
  } else if (target->size() >= kMaxFieldBytes) {
    return;
  }
  AppendCodePoint(cp, target);
}

}  // namespace

Result<RtfContent> RtfToText(std::string_view rtf, std::size_t max_text_bytes) {
  std::size_t start = 0;
  while (start < rtf.size() && start < 1024 &&
         (rtf[start] == ' ' || rtf[start] == '\t' || rtf[start] == '\r' || rtf[start] == '\n')) {
    ++start;
  }
  if (!rtf.substr(start).starts_with("{\\rtf")) {
    return Status::Corrupt("not an RTF document: it does not start with {\\rtf");
  }
  return RtfReader(rtf.substr(start), max_text_bytes).Read();
}

}  // namespace trove::extract::internal
