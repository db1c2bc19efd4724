#include "analyze/phonetic.h"

#include <initializer_list>

namespace trove::analyze {
namespace {

// The rules of Double Metaphone read letters around the current one and test for the end of the
// word with a space (Philips pads the word with spaces), so the word is kept upper case and
// padded here too. Comments name examples from Philips' article.
class Encoder {
 public:
  explicit Encoder(std::string_view word) {
    for (const char c : word) {
      if (c >= 'a' && c <= 'z') {
        text_ += static_cast<char>(c - 'a' + 'A');
      } else if (c >= 'A' && c <= 'Z') {
        text_ += c;
      }
    }
    length_ = static_cast<int>(text_.size());
    last_ = length_ - 1;
    text_ += "     ";
    is_slavo_germanic_ =
        text_.find('W') != std::string::npos || text_.find('K') != std::string::npos ||
        text_.find("CZ") != std::string::npos || text_.find("WITZ") != std::string::npos;
  }

  PhoneticKeys Encode() {
    if (length_ == 0) return {};
    int at = 0;
    // Silent first letters: "gnome", "knight", "pneumatic", "wright", "psychology".
    if (Is(0, {"GN", "KN", "PN", "WR", "PS"})) at = 1;
    // An initial X sounds like S: "Xavier".
    if (Char(0) == 'X') {
      Add("S");
      at = 1;
    }
    while ((primary_.size() < kPhoneticKeyLength || alternate_.size() < kPhoneticKeyLength) &&
           at < length_) {
      at = Step(at);
    }
    primary_.resize(std::min(primary_.size(), kPhoneticKeyLength));
    alternate_.resize(std::min(alternate_.size(), kPhoneticKeyLength));
    return PhoneticKeys{primary_, alternate_};
  }

 private:
  char Char(int at) const {
    return at < 0 || at >= static_cast<int>(text_.size()) ? '\0' : text_[static_cast<size_t>(at)];
  }
  bool IsVowel(int at) const {
    const char c = Char(at);
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
  }
  // True when one of `options` (all of one length) starts at `at`.
  bool Is(int at, std::initializer_list<std::string_view> options) const {
    if (at < 0) return false;
    for (const std::string_view option : options) {
      if (static_cast<std::size_t>(at) + option.size() <= text_.size() &&
          std::string_view(text_).substr(static_cast<std::size_t>(at), option.size()) == option) {
        return true;
      }
    }
    return false;
  }
  bool IsGermanic() const { return Is(0, {"VAN ", "VON "}) || Is(0, {"SCH"}); }

  void Add(std::string_view both) {
    primary_ += both;
    alternate_ += both;
  }
  // A space as `alternate` means "nothing here in the alternate key".
  void Add(std::string_view main, std::string_view alternate) {
    primary_ += main;
    if (!alternate.empty() && alternate[0] != ' ') alternate_ += alternate;
  }

  // Encodes the sound at `at`; returns where the next one starts.
  int Step(int at) {
    switch (Char(at)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (at == 0) Add("A");  // every initial vowel is A; others are dropped
        return at + 1;
      case 'B':
        Add("P");
        return Char(at + 1) == 'B' ? at + 2 : at + 1;
      case 'C':
        return C(at);
      case 'D':
        if (Is(at, {"DG"})) {
          if (Is(at + 2, {"I", "E", "Y"})) {  // "edge"
            Add("J");
            return at + 3;
          }
          Add("TK");  // "Edgar"
          return at + 2;
        }
        Add("T");
        return Is(at, {"DT", "DD"}) ? at + 2 : at + 1;
      case 'F':
        Add("F");
        return Char(at + 1) == 'F' ? at + 2 : at + 1;
      case 'G':
        return G(at);
      case 'H':
        // Kept only at the start or between vowels before a vowel.
        if ((at == 0 || IsVowel(at - 1)) && IsVowel(at + 1)) {
          Add("H");
          return at + 2;
        }
        return at + 1;
      case 'J':
        return J(at);
      case 'K':
        Add("K");
        return Char(at + 1) == 'K' ? at + 2 : at + 1;
      case 'L':
        if (Char(at + 1) == 'L') {
          // Spanish "Cabrillo", "Gallegos".
          if ((at == length_ - 3 && Is(at - 1, {"ILLO", "ILLA", "ALLE"})) ||
              ((Is(last_ - 1, {"AS", "OS"}) || Is(last_, {"A", "O"})) && Is(at - 1, {"ALLE"}))) {
            Add("L", " ");
            return at + 2;
          }
          Add("L");
          return at + 2;
        }
        Add("L");
        return at + 1;
      case 'M':
        Add("M");
        // "dumb", "thumb"; "plumber"
        if ((Is(at - 1, {"UMB"}) && (at + 1 == last_ || Is(at + 2, {"ER"}))) ||
            Char(at + 1) == 'M') {
          return at + 2;
        }
        return at + 1;
      case 'N':
        Add("N");
        return Char(at + 1) == 'N' ? at + 2 : at + 1;
      case 'P':
        if (Char(at + 1) == 'H') {
          Add("F");
          return at + 2;
        }
        Add("P");
        return Is(at + 1, {"P", "B"}) ? at + 2 : at + 1;  // "Campbell", "raspberry"
      case 'Q':
        Add("K");
        return Char(at + 1) == 'Q' ? at + 2 : at + 1;
      case 'R':
        // French "Rogier", but not "Hochmeier".
        if (at == last_ && !is_slavo_germanic_ && Is(at - 2, {"IE"}) && !Is(at - 4, {"ME", "MA"})) {
          Add("", "R");
        } else {
          Add("R");
        }
        return Char(at + 1) == 'R' ? at + 2 : at + 1;
      case 'S':
        return S(at);
      case 'T':
        if (Is(at, {"TION"})) {
          Add("X");
          return at + 3;
        }
        if (Is(at, {"TIA", "TCH"})) {
          Add("X");
          return at + 3;
        }
        if (Is(at, {"TH"}) || Is(at, {"TTH"})) {
          // "Thomas", "Thames", or Germanic.
          if (Is(at + 2, {"OM", "AM"}) || IsGermanic()) {
            Add("T");
          } else {
            Add("0", "T");
          }
          return at + 2;
        }
        Add("T");
        return Is(at + 1, {"T", "D"}) ? at + 2 : at + 1;
      case 'V':
        Add("F");
        return Char(at + 1) == 'V' ? at + 2 : at + 1;
      case 'W':
        return W(at);
      case 'X':
        // French "Breaux".
        if (!(at == last_ && (Is(at - 3, {"IAU", "EAU"}) || Is(at - 2, {"AU", "OU"})))) {
          Add("KS");
        }
        return Is(at + 1, {"C", "X"}) ? at + 2 : at + 1;
      case 'Z':
        if (Char(at + 1) == 'H') {  // Chinese pinyin "Zhao"
          Add("J");
          return at + 2;
        }
        if (Is(at + 1, {"ZO", "ZI", "ZA"}) ||
            (is_slavo_germanic_ && at > 0 && Char(at - 1) != 'T')) {
          Add("S", "TS");
        } else {
          Add("S");
        }
        return Char(at + 1) == 'Z' ? at + 2 : at + 1;
      default:
        return at + 1;
    }
  }

  int C(int at) {
    // Germanic "ach": "Bacher", "Macher".
    if (at > 1 && !IsVowel(at - 2) && Is(at - 1, {"ACH"}) && Char(at + 2) != 'I' &&
        (Char(at + 2) != 'E' || Is(at - 2, {"BACHER", "MACHER"}))) {
      Add("K");
      return at + 2;
    }
    if (at == 0 && Is(at, {"CAESAR"})) {
      Add("S");
      return at + 2;
    }
    if (Is(at, {"CHIA"})) {  // Italian "Chianti"
      Add("K");
      return at + 2;
    }
    if (Is(at, {"CH"})) {
      if (at > 0 && Is(at, {"CHAE"})) {  // "Michael"
        Add("K", "X");
        return at + 2;
      }
      // Greek roots: "chemistry", "chorus"; but "chore".
      if (at == 0 && (Is(at + 1, {"HARAC", "HARIS"}) || Is(at + 1, {"HOR", "HYM", "HIA", "HEM"})) &&
          !Is(0, {"CHORE"})) {
        Add("K");
        return at + 2;
      }
      // Germanic, Greek, or a "kh" sound otherwise: "architect", "orchestra", "Wachtler",
      // "Wechsler"; but not "arch", "Tichner".
      if (IsGermanic() || Is(at - 2, {"ORCHES", "ARCHIT", "ORCHID"}) || Is(at + 2, {"T", "S"}) ||
          ((Is(at - 1, {"A", "O", "U", "E"}) || at == 0) &&
           Is(at + 2, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}))) {
        Add("K");
      } else if (at > 0) {
        if (Is(0, {"MC"})) {  // "McHugh"
          Add("K");
        } else {
          Add("X", "K");
        }
      } else {
        Add("X");
      }
      return at + 2;
    }
    if (Is(at, {"CZ"}) && !Is(at - 2, {"WICZ"})) {  // "Czerny"
      Add("S", "X");
      return at + 2;
    }
    if (Is(at + 1, {"CIA"})) {  // "focaccia"
      Add("X");
      return at + 3;
    }
    // A double C, but not "McClellan".
    if (Is(at, {"CC"}) && !(at == 1 && Char(0) == 'M')) {
      // "Bellocchio", but not "Bacchus".
      if (Is(at + 2, {"I", "E", "H"}) && !Is(at + 2, {"HU"})) {
        // "accident", "accede", "succeed"; else Italian "Bacci", "Bertucci".
        if ((at == 1 && Char(at - 1) == 'A') || Is(at - 1, {"UCCEE", "UCCES"})) {
          Add("KS");
        } else {
          Add("X");
        }
        return at + 3;
      }
      Add("K");  // Pierce's rule
      return at + 2;
    }
    if (Is(at, {"CK", "CG", "CQ"})) {
      Add("K");
      return at + 2;
    }
    if (Is(at, {"CI", "CE", "CY"})) {
      if (Is(at, {"CIO", "CIE", "CIA"})) {  // Italian or English
        Add("S", "X");
      } else {
        Add("S");
      }
      return at + 2;
    }
    Add("K");
    // "Mac Caffrey", "Mac Gregor"
    if (Is(at + 1, {" C", " Q", " G"})) return at + 3;
    if (Is(at + 1, {"C", "K", "Q"}) && !Is(at + 1, {"CE", "CI"})) return at + 2;
    return at + 1;
  }

  int G(int at) {
    if (Char(at + 1) == 'H') {
      if (at > 0 && !IsVowel(at - 1)) {
        Add("K");
        return at + 2;
      }
      if (at == 0) {  // "Ghislane", "Ghiradelli"
        Add(Char(at + 2) == 'I' ? "J" : "K");
        return at + 2;
      }
      // Parker's rule: silent in "Hugh", "bough", "Broughton".
      if ((at > 1 && Is(at - 2, {"B", "H", "D"})) || (at > 2 && Is(at - 3, {"B", "H", "D"})) ||
          (at > 3 && Is(at - 4, {"B", "H"}))) {
        return at + 2;
      }
      // "laugh", "McLaughlin", "cough", "Gough", "rough", "tough"
      if (at > 2 && Char(at - 1) == 'U' && Is(at - 3, {"C", "G", "L", "R", "T"})) {
        Add("F");
      } else if (at > 0 && Char(at - 1) != 'I') {
        Add("K");
      }
      return at + 2;
    }
    if (Char(at + 1) == 'N') {
      if (at == 1 && IsVowel(0) && !is_slavo_germanic_) {
        Add("KN", "N");
      } else if (!Is(at + 2, {"EY"}) && Char(at + 1) != 'Y' && !is_slavo_germanic_) {
        Add("N", "KN");  // not "Cagney"
      } else {
        Add("KN");
      }
      return at + 2;
    }
    if (Is(at + 1, {"LI"}) && !is_slavo_germanic_) {  // "Tagliaro"
      Add("KL", "L");
      return at + 2;
    }
    // -ges-, -gep-, -gel-, -gie- at the start.
    if (at == 0 && (Char(at + 1) == 'Y' || Is(at + 1, {"ES", "EP", "EB", "EL", "EY", "IB", "IL",
                                                       "IN", "IE", "EI", "ER"}))) {
      Add("K", "J");
      return at + 2;
    }
    // -ger-, -gy-
    if ((Is(at + 1, {"ER"}) || Char(at + 1) == 'Y') && !Is(0, {"DANGER", "RANGER", "MANGER"}) &&
        !Is(at - 1, {"E", "I"}) && !Is(at - 1, {"RGY", "OGY"})) {
      Add("K", "J");
      return at + 2;
    }
    // Italian "Biaggi".
    if (Is(at + 1, {"E", "I", "Y"}) || Is(at - 1, {"AGGI", "OGGI"})) {
      if (IsGermanic() || Is(at + 1, {"ET"})) {
        Add("K");
      } else if (Is(at + 1, {"IER "})) {  // always soft in a French ending
        Add("J");
      } else {
        Add("J", "K");
      }
      return at + 2;
    }
    Add("K");
    return Char(at + 1) == 'G' ? at + 2 : at + 1;
  }

  int J(int at) {
    // Spanish "Jose", "San Jacinto".
    if (Is(at, {"JOSE"}) || Is(0, {"SAN "})) {
      if ((at == 0 && Char(at + 4) == ' ') || Is(0, {"SAN "})) {
        Add("H");
      } else {
        Add("J", "H");
      }
      return at + 1;
    }
    if (at == 0 && !Is(at, {"JOSE"})) {
      Add("J", "A");  // "Yankelovich" / "Jankelowicz"
    } else if (IsVowel(at - 1) && !is_slavo_germanic_ &&
               (Char(at + 1) == 'A' || Char(at + 1) == 'O')) {
      Add("J", "H");  // Spanish "bajador"
    } else if (at == last_) {
      Add("J", " ");
    } else if (!Is(at + 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) &&
               !Is(at - 1, {"S", "K", "L"})) {
      Add("J");
    }
    return Char(at + 1) == 'J' ? at + 2 : at + 1;
  }

  int S(int at) {
    if (Is(at - 1, {"ISL", "YSL"})) return at + 1;  // "island", "isle", "Carlisle"
    if (at == 0 && Is(at, {"SUGAR"})) {
      Add("X", "S");
      return at + 1;
    }
    if (Is(at, {"SH"})) {
      // Germanic "-sheim", "-shoek", "-sholm", "-sholz".
      Add(Is(at + 1, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");
      return at + 2;
    }
    if (Is(at, {"SIO", "SIA"}) || Is(at, {"SIAN"})) {  // Italian and Armenian
      if (!is_slavo_germanic_) {
        Add("S", "X");
      } else {
        Add("S");
      }
      return at + 3;
    }
    // German and anglicised: "Smith" ~ "Schmidt", "Snider" ~ "Schneider"; Slavic -sz-.
    if ((at == 0 && Is(at + 1, {"M", "N", "L", "W"})) || Is(at + 1, {"Z"})) {
      Add("S", "X");
      return Is(at + 1, {"Z"}) ? at + 2 : at + 1;
    }
    if (Is(at, {"SC"})) {
      if (Char(at + 2) == 'H') {  // Schlesinger's rule
        // Dutch "school", "schooner"; "Schermerhorn", "Schenker".
        if (Is(at + 3, {"OO", "ER", "EN", "UY", "ED", "EM"})) {
          if (Is(at + 3, {"ER", "EN"})) {
            Add("X", "SK");
          } else {
            Add("SK");
          }
          return at + 3;
        }
        if (at == 0 && !IsVowel(3) && Char(3) != 'W') {
          Add("X", "S");
        } else {
          Add("X");
        }
        return at + 3;
      }
      if (Is(at + 2, {"I", "E", "Y"})) {
        Add("S");
        return at + 3;
      }
      Add("SK");
      return at + 3;
    }
    // French "Resnais", "Artois".
    if (at == last_ && Is(at - 2, {"AI", "OI"})) {
      Add("", "S");
    } else {
      Add("S");
    }
    return Is(at + 1, {"S", "Z"}) ? at + 2 : at + 1;
  }

  int W(int at) {
    if (Is(at, {"WR"})) {
      Add("R");
      return at + 2;
    }
    if (at == 0 && (IsVowel(at + 1) || Is(at, {"WH"}))) {
      // "Wasserman" ~ "Vasserman"; "Uomo" ~ "Womo".
      if (IsVowel(at + 1)) {
        Add("A", "F");
      } else {
        Add("A");
      }
    }
    // "Arnow" ~ "Arnoff"
    if ((at == last_ && IsVowel(at - 1)) || Is(at - 1, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) ||
        Is(0, {"SCH"})) {
      Add("", "F");
      return at + 1;
    }
    if (Is(at, {"WICZ", "WITZ"})) {  // Polish "Filipowicz"
      Add("TS", "FX");
      return at + 4;
    }
    return at + 1;
  }

  std::string text_;
  int length_ = 0;
  int last_ = 0;
  bool is_slavo_germanic_ = false;
  std::string primary_, alternate_;
};

}  // namespace

PhoneticKeys DoubleMetaphone(std::string_view word) { return Encoder(word).Encode(); }

bool SoundAlike(const PhoneticKeys& a, const PhoneticKeys& b) {
  if (a.primary.empty() || b.primary.empty()) return false;
  return a.primary == b.primary || a.primary == b.alternate || a.alternate == b.primary ||
         a.alternate == b.alternate;
}

}  // namespace trove::analyze
