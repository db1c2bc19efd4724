#include "query/parser.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.h"

namespace trove::query {
namespace {

using index::QueryNode;
using Kind = QueryNode::Kind;

constexpr int kDefaultNearDistance = 10;
constexpr int kMaxNearDistance = 1000;
constexpr int kMaxDepth = 100;  // nested parentheses

constexpr std::array<std::string_view, 7> kTextFields = {"from",  "to",   "cc",  "bcc",
                                                         "title", "path", "name"};
constexpr std::array<std::string_view, 12> kFilterFields = {"type",   "lang", "id",     "parent",
                                                            "state",  "year", "mime",   "messageid",
                                                            "source", "tag",  "thread", "similar"};

enum class TokenType {
  kWord,
  kPhrase,
  kLParen,
  kRParen,
  kAnd,
  kOr,
  kNot,
  kMinus,
  kNear,
  kField,
  kEnd
};

struct QToken {
  TokenType type;
  std::string text;
  std::size_t column;  // 1-based
  int distance = 0;    // NEAR/n
};

// Text fields whose index terms include whole addresses (index/internal/document_builder.cc).
bool IsAddressField(std::string_view name) {
  return name == "from" || name == "to" || name == "cc" || name == "bcc";
}

bool IsEntityField(std::string_view name) {
  const auto& fields = index::EntityTypeFields();
  return std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.second == name; });
}

bool IsKnownField(std::string_view name) {
  return name == "date" ||
         std::find(kTextFields.begin(), kTextFields.end(), name) != kTextFields.end() ||
         std::find(kFilterFields.begin(), kFilterFields.end(), name) != kFilterFields.end() ||
         IsEntityField(name);
}

std::string FieldList() {
  std::string out = "date";
  for (auto f : kTextFields) (out += ", ") += f;
  for (auto f : kFilterFields) (out += ", ") += f;
  for (const auto& f : index::EntityTypeFields()) (out += ", ") += f.second;
  return out;
}

Status ErrorAt(std::size_t column, const std::string& what) {
  return Status::InvalidArgument(what + " (at column " + std::to_string(column) + ")");
}

class Lexer {
 public:
  explicit Lexer(std::string_view q) : q_(q) {}

  Result<std::vector<QToken>> Run() {
    std::vector<QToken> out;
    while (true) {
      while (pos_ < q_.size() && std::isspace(static_cast<unsigned char>(q_[pos_]))) ++pos_;
      if (pos_ >= q_.size()) break;
      const std::size_t col = pos_ + 1;
      const char ch = q_[pos_];
      if (ch == '(') {
        out.push_back({TokenType::kLParen, "(", col});
        ++pos_;
      } else if (ch == ')') {
        out.push_back({TokenType::kRParen, ")", col});
        ++pos_;
      } else if (ch == '"') {
        TROVE_ASSIGN_OR_RETURN(QToken phrase, Phrase());
        out.push_back(std::move(phrase));
      } else if ((ch == '-' || ch == '+') && pos_ + 1 < q_.size() &&
                 !std::isspace(static_cast<unsigned char>(q_[pos_ + 1])) && q_[pos_ + 1] != ')') {
        if (ch == '-') out.push_back({TokenType::kMinus, "-", col});
        ++pos_;
      } else {
        const std::size_t start = pos_;
        while (pos_ < q_.size() && !std::isspace(static_cast<unsigned char>(q_[pos_])) &&
               q_[pos_] != '(' && q_[pos_] != ')' && q_[pos_] != '"') {
          if (q_[pos_] == ':' && pos_ > start && IsFieldName(q_.substr(start, pos_ - start)) &&
              q_.substr(pos_ + 1, 2) != "//") {
            break;  // a field name; "http://..." stays a word
          }
          ++pos_;
        }
        const std::string_view text = q_.substr(start, pos_ - start);
        if (pos_ < q_.size() && q_[pos_] == ':' && pos_ > start && IsFieldName(text) &&
            q_.substr(pos_ + 1, 2) != "//") {
          std::string name(text);
          std::transform(name.begin(), name.end(), name.begin(), ::tolower);
          if (!IsKnownField(name)) {
            return ErrorAt(col,
                           "unknown field '" + std::string(text) + ":'; fields are " + FieldList());
          }
          ++pos_;  // the colon
          if (pos_ >= q_.size() || std::isspace(static_cast<unsigned char>(q_[pos_]))) {
            return ErrorAt(col, "field '" + name + ":' needs a value right after the colon");
          }
          out.push_back({TokenType::kField, name, col});
          continue;
        }
        out.push_back(Keyword(text, col));
      }
    }
    out.push_back({TokenType::kEnd, "", q_.size() + 1});
    return out;
  }

 private:
  static bool IsFieldName(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c));
    });
  }

  static QToken Keyword(std::string_view text, std::size_t col) {
    if (text == "AND" || text == "&&") return {TokenType::kAnd, std::string(text), col};
    if (text == "OR" || text == "||") return {TokenType::kOr, std::string(text), col};
    if (text == "NOT") return {TokenType::kNot, std::string(text), col};
    if (text == "NEAR") return {TokenType::kNear, std::string(text), col, kDefaultNearDistance};
    if (text.rfind("NEAR/", 0) == 0 && text.size() > 5 &&
        std::all_of(text.begin() + 5, text.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        text.size() < 10) {
      return {TokenType::kNear, std::string(text), col, std::stoi(std::string(text.substr(5)))};
    }
    return {TokenType::kWord, std::string(text), col};
  }

  Result<QToken> Phrase() {
    const std::size_t col = pos_ + 1;
    const std::size_t end = q_.find('"', pos_ + 1);
    if (end == std::string_view::npos)
      return ErrorAt(col, "the phrase opened by '\"' is never closed");
    QToken token{TokenType::kPhrase, std::string(q_.substr(pos_ + 1, end - pos_ - 1)), col};
    pos_ = end + 1;
    return token;
  }

  std::string_view q_;
  std::size_t pos_ = 0;
};

// A parsed operand and whether it was negated ("-x", "NOT x").
struct Operand {
  QueryNode node;
  bool is_negated = false;
};

QueryNode Leaf(Kind kind, std::string field, std::vector<std::string> words, bool is_exact) {
  QueryNode node;
  node.kind = kind;
  node.field = std::move(field);
  node.words = std::move(words);
  node.is_exact = is_exact;
  return node;
}

QueryNode Compound(Kind kind, std::vector<QueryNode> children) {
  if (children.size() == 1 && kind != Kind::kAndNot) return std::move(children[0]);
  QueryNode node;
  node.kind = kind;
  node.children = std::move(children);
  return node;
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  TokenIterator tokens(text);
  Token token;
  while (tokens.Next(&token)) words.emplace_back(token.text);
  return words;
}

// "2012" / "2012-03" / "2012-03-04" to the first (or last) day it covers, as YYYYMMDD.
Result<std::string> DayOf(std::string_view value, bool is_end, std::size_t col) {
  int y = 0, m = 0, d = 0;
  const std::string v(value);
  char tail = 0;
  const int n = std::sscanf(v.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail);
  const bool is_shape_ok =
      (n == 1 && v.size() == 4) || (n == 2 && v.size() == 7) || (n == 3 && v.size() == 10);
  if (!is_shape_ok || y < 1000 || (n >= 2 && (m < 1 || m > 12)) || (n == 3 && (d < 1 || d > 31))) {
    return ErrorAt(col, "bad date '" + v + "': write YYYY, YYYY-MM or YYYY-MM-DD");
  }
  if (n == 1) m = is_end ? 12 : 1;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int days_in_month = m == 2 && is_leap ? 29 : kDays[m - 1];
  // The index would roll 2011-02-30 over to March 2 and silently shift the range.
  if (n == 3 && d > days_in_month) {
    return ErrorAt(
        col, "bad date '" + v + "': that month has " + std::to_string(days_in_month) + " days");
  }
  if (n <= 2) d = is_end ? days_in_month : 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", y, m, d);
  return std::string(buf);
}

class Parser {
 public:
  Parser(std::vector<QToken> tokens, const ParseOptions& options)
      : tokens_(std::move(tokens)), options_(options) {}

  Result<QueryNode> Run() {
    if (Peek().type == TokenType::kEnd) return ErrorAt(1, "the query is empty");
    TROVE_ASSIGN_OR_RETURN(QueryNode node, AndExpr(0));
    if (Peek().type == TokenType::kRParen) {
      return ErrorAt(Peek().column, "')' has no matching '('");
    }
    return node;
  }

 private:
  const QToken& Peek() const { return tokens_[pos_]; }
  const QToken& Take() { return tokens_[pos_++]; }

  static bool StartsOperand(TokenType t) {
    return t == TokenType::kWord || t == TokenType::kPhrase || t == TokenType::kLParen ||
           t == TokenType::kField || t == TokenType::kMinus || t == TokenType::kNot;
  }

  Result<QueryNode> AndExpr(int depth) {
    std::vector<QueryNode> positive, negative;
    while (true) {
      const QToken& next = Peek();
      if (next.type == TokenType::kAnd) {
        if (positive.empty() && negative.empty())
          return ErrorAt(next.column, "AND needs a term before it");
        Take();
        if (!StartsOperand(Peek().type)) return ErrorAt(next.column, "AND needs a term after it");
        continue;
      }
      if (next.type == TokenType::kOr) {
        return ErrorAt(next.column, "OR needs a term before it");
      }
      if (next.type == TokenType::kNear)
        return ErrorAt(next.column, next.text + " needs a word before it");
      if (!StartsOperand(next.type)) break;
      TROVE_ASSIGN_OR_RETURN(Operand operand, OrExpr(depth));
      (operand.is_negated ? negative : positive).push_back(std::move(operand.node));
    }
    if (positive.empty() && negative.empty()) {
      if (depth == 0 && Peek().type == TokenType::kRParen) {
        return ErrorAt(Peek().column, "')' has no matching '('");
      }
      return ErrorAt(Peek().column, "expected a search term");
    }
    // A "word" without letters or digits ("-", "–", "&") matches nothing. Between other terms it
    // is punctuation the user typed, and requiring it would make the whole query match nothing.
    const auto is_nothing = [](const QueryNode& node) { return node.kind == Kind::kMatchNothing; };
    if (!std::all_of(positive.begin(), positive.end(), is_nothing)) {
      std::erase_if(positive, is_nothing);
    }
    QueryNode base = positive.empty() ? QueryNode{} : Compound(Kind::kAnd, std::move(positive));
    if (negative.empty()) return base;
    QueryNode out;
    out.kind = Kind::kAndNot;
    out.children = {std::move(base), Compound(Kind::kOr, std::move(negative))};
    return out;
  }

  Result<Operand> OrExpr(int depth) {
    TROVE_ASSIGN_OR_RETURN(Operand first, Unary(depth));
    if (Peek().type != TokenType::kOr) return first;
    std::vector<QueryNode> alternatives = {Positive(std::move(first))};
    while (Peek().type == TokenType::kOr) {
      const QToken& op = Take();
      if (!StartsOperand(Peek().type)) return ErrorAt(op.column, "OR needs a term after it");
      TROVE_ASSIGN_OR_RETURN(Operand next, Unary(depth));
      alternatives.push_back(Positive(std::move(next)));
    }
    return Operand{Compound(Kind::kOr, std::move(alternatives)), false};
  }

  // "-x" standing alone inside OR means "everything but x".
  static QueryNode Positive(Operand operand) {
    if (!operand.is_negated) return std::move(operand.node);
    QueryNode out;
    out.kind = Kind::kAndNot;
    out.children = {QueryNode{}, std::move(operand.node)};
    return out;
  }

  Result<Operand> Unary(int depth) {
    const QToken& next = Peek();
    if (next.type == TokenType::kNot || next.type == TokenType::kMinus) {
      Take();
      if (!StartsOperand(Peek().type) || Peek().type == TokenType::kNot ||
          Peek().type == TokenType::kMinus) {
        return ErrorAt(next.column, std::string(next.type == TokenType::kNot ? "NOT" : "'-'") +
                                        " needs a term after it");
      }
      TROVE_ASSIGN_OR_RETURN(Operand inner, Unary(depth));
      return Operand{std::move(inner.node), true};
    }
    TROVE_ASSIGN_OR_RETURN(QueryNode node, Near(depth));
    return Operand{std::move(node), false};
  }

  Result<QueryNode> Near(int depth) {
    const std::size_t col = Peek().column;
    TROVE_ASSIGN_OR_RETURN(QueryNode first, Primary(depth, ""));
    if (Peek().type != TokenType::kNear) return first;
    QueryNode near = Leaf(Kind::kNear, first.field, {}, options_.is_exact);
    int distance = -1;  // the widest distance written; the default when none is
    auto absorb = [&](QueryNode node, std::size_t at) -> Status {
      if ((node.kind != Kind::kWord && node.kind != Kind::kPhrase) || node.field != near.field) {
        return ErrorAt(at, "NEAR joins plain words (or phrases) of the same field");
      }
      for (auto& w : node.words) near.words.push_back(std::move(w));
      return Status::Ok();
    };
    TROVE_RETURN_IF_ERROR(absorb(std::move(first), col));
    while (Peek().type == TokenType::kNear) {
      const QToken& op = Take();
      distance = std::max(distance, op.distance);
      if (op.distance > kMaxNearDistance) {
        return ErrorAt(op.column, "NEAR distance over " + std::to_string(kMaxNearDistance));
      }
      if (Peek().type != TokenType::kWord && Peek().type != TokenType::kPhrase &&
          Peek().type != TokenType::kField) {
        return ErrorAt(op.column, op.text + " needs a word after it");
      }
      const std::size_t at = Peek().column;
      TROVE_ASSIGN_OR_RETURN(QueryNode next, Primary(depth, ""));
      TROVE_RETURN_IF_ERROR(absorb(std::move(next), at));
    }
    near.distance = distance < 0 ? kDefaultNearDistance : distance;
    return near;
  }

  Result<QueryNode> Primary(int depth, const std::string& field) {
    const QToken& token = Take();
    switch (token.type) {
      case TokenType::kLParen: {
        if (depth >= kMaxDepth) return ErrorAt(token.column, "parentheses nested too deeply");
        TROVE_ASSIGN_OR_RETURN(QueryNode inner, AndExpr(depth + 1));
        if (Peek().type != TokenType::kRParen) {
          return ErrorAt(token.column, "the '(' here is never closed");
        }
        Take();
        return inner;
      }
      case TokenType::kField:
        return FieldValue(token, depth);
      case TokenType::kPhrase: {
        std::vector<std::string> words = Words(token.text);
        if (words.empty()) return ErrorAt(token.column, "the phrase has no words in it");
        return Leaf(Kind::kPhrase, field, std::move(words), options_.is_exact);
      }
      case TokenType::kWord:
        return Word(token, field);
      default:
        return ErrorAt(token.column, "expected a search term, found '" + token.text + "'");
    }
  }

  Result<QueryNode> Word(const QToken& token, const std::string& field) {
    std::string text = token.text;
    const bool is_prefix = text.size() > 1 && text.back() == '*';
    if (is_prefix) text.pop_back();
    if (text.find('*') != std::string::npos || text == "*") {
      return ErrorAt(token.column, "a wildcard '*' may only end a word of at least one letter");
    }
    // Addresses stay whole in address fields; elsewhere a word is cut as the text was.
    if (IsAddressField(field) && text.find('@') != std::string::npos && !is_prefix) {
      return Leaf(Kind::kWord, field, {text}, options_.is_exact);
    }
    std::vector<std::string> words = Words(text);
    if (words.empty()) return Leaf(Kind::kMatchNothing, field, {}, false);
    if (is_prefix) {
      if (words.size() > 1)
        return ErrorAt(token.column, "a wildcard applies to one word, not '" + text + "'");
      return Leaf(Kind::kPrefix, field, std::move(words), options_.is_exact);
    }
    if (words.size() > 1) return Leaf(Kind::kPhrase, field, std::move(words), options_.is_exact);
    return Leaf(Kind::kWord, field, std::move(words), options_.is_exact);
  }

  Result<QueryNode> FieldValue(const QToken& field, int depth) {
    const bool is_filter =
        std::find(kFilterFields.begin(), kFilterFields.end(), field.text) != kFilterFields.end();
    const QToken& value = Peek();
    if (field.text == "date") {
      if (value.type != TokenType::kWord)
        return ErrorAt(field.column,
                       "date: takes a date or a range such as 2011-11-21..2012-09-29");
      Take();
      return DateRange(value);
    }
    if (is_filter) {
      if (value.type == TokenType::kLParen) {
        // type:(pdf OR email): the filter applies to every word inside.
        Take();
        std::vector<QueryNode> alternatives;
        while (Peek().type == TokenType::kWord || Peek().type == TokenType::kOr ||
               Peek().type == TokenType::kPhrase) {
          const QToken& t = Take();
          if (t.type == TokenType::kOr) continue;
          alternatives.push_back(Leaf(Kind::kFilter, field.text, {t.text}, false));
        }
        if (Peek().type != TokenType::kRParen || alternatives.empty()) {
          return ErrorAt(value.column, field.text + ":( ) takes values separated by OR");
        }
        Take();
        return Compound(Kind::kOr, std::move(alternatives));
      }
      if (value.type != TokenType::kWord && value.type != TokenType::kPhrase) {
        return ErrorAt(field.column, field.text + ": needs a value");
      }
      Take();
      return Leaf(Kind::kFilter, field.text, {value.text}, false);
    }
    if (value.type == TokenType::kLParen) {
      Take();
      if (depth >= kMaxDepth) return ErrorAt(value.column, "parentheses nested too deeply");
      std::vector<QueryNode> alternatives;
      while (Peek().type != TokenType::kRParen && Peek().type != TokenType::kEnd) {
        if (Peek().type == TokenType::kOr) {
          Take();
          continue;
        }
        TROVE_ASSIGN_OR_RETURN(QueryNode alt, Primary(depth + 1, field.text));
        alternatives.push_back(std::move(alt));
      }
      if (Peek().type != TokenType::kRParen)
        return ErrorAt(value.column, "the '(' here is never closed");
      Take();
      if (alternatives.empty()) return ErrorAt(value.column, field.text + ":() is empty");
      return Compound(Kind::kOr, std::move(alternatives));
    }
    if (value.type != TokenType::kWord && value.type != TokenType::kPhrase) {
      return ErrorAt(field.column, field.text + ": needs a value");
    }
    return Primary(depth, field.text);
  }

  Result<QueryNode> DateRange(const QToken& value) {
    QueryNode node;
    node.kind = Kind::kDateRange;
    const std::string& v = value.text;
    const auto dots = v.find("..");
    if (dots == std::string::npos) {
      TROVE_ASSIGN_OR_RETURN(node.lo, DayOf(v, false, value.column));
      TROVE_ASSIGN_OR_RETURN(node.hi, DayOf(v, true, value.column));
      return node;
    }
    const std::string lo = v.substr(0, dots), hi = v.substr(dots + 2);
    if (lo.empty() && hi.empty())
      return ErrorAt(value.column, "a date range needs at least one end");
    if (!lo.empty()) {
      TROVE_ASSIGN_OR_RETURN(node.lo, DayOf(lo, false, value.column));
    }
    if (!hi.empty()) {
      TROVE_ASSIGN_OR_RETURN(node.hi, DayOf(hi, true, value.column));
    }
    if (!node.lo.empty() && !node.hi.empty() && node.lo > node.hi) {
      return ErrorAt(value.column, "the date range " + v + " ends before it starts");
    }
    return node;
  }

  std::vector<QToken> tokens_;
  std::size_t pos_ = 0;
  const ParseOptions& options_;
};

std::string Quote(const std::vector<std::string>& words) {
  std::string out = "\"";
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    out += words[i];
  }
  return out + "\"";
}

std::string FieldPrefix(const QueryNode& node) {
  return node.field.empty() ? "" : node.field + ":";
}

std::string ShowDay(const std::string& ymd) {
  if (ymd.size() != 8) return ymd;
  return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
}

}  // namespace

Result<QueryNode> Parse(std::string_view query, const ParseOptions& options) {
  Lexer lexer(query);
  TROVE_ASSIGN_OR_RETURN(std::vector<QToken> tokens, lexer.Run());
  Parser parser(std::move(tokens), options);
  return parser.Run();
}

std::string Describe(const QueryNode& node) {
  const std::string exact = node.is_exact ? "=" : "";
  switch (node.kind) {
    case Kind::kMatchAll:
      return "*";
    case Kind::kMatchNothing:
      return "<nothing>";
    case Kind::kWord:
      return FieldPrefix(node) + exact + node.words.at(0);
    case Kind::kPhrase:
      return FieldPrefix(node) + exact + Quote(node.words);
    case Kind::kNear: {
      std::string out;
      for (std::size_t i = 0; i < node.words.size(); ++i) {
        if (i > 0) out += " NEAR/" + std::to_string(node.distance) + " ";
        out += FieldPrefix(node) + exact + node.words[i];
      }
      return out;
    }
    case Kind::kPrefix:
      return FieldPrefix(node) + exact + node.words.at(0) + "*";
    case Kind::kFilter:
      return node.field + ":" + node.words.at(0);
    case Kind::kDateRange:
      return "date:" + ShowDay(node.lo) + ".." + ShowDay(node.hi);
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out = "(";
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += node.kind == Kind::kAnd ? " AND " : " OR ";
        out += Describe(node.children[i]);
      }
      return out + ")";
    }
    case Kind::kAndNot:
      return "(" + Describe(node.children.at(0)) + " AND NOT " + Describe(node.children.at(1)) +
             ")";
  }
  return "?";
}

}  // namespace trove::query
