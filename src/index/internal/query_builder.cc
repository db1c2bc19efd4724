#include "index/internal/query_builder.h"

#include <ctime>
#include <set>

#include "core/text.h"
#include "index/internal/literal_form.h"
#include "index/internal/schema.h"
#include "index/internal/similar.h"

namespace trove::index::internal {
namespace {

using Kind = QueryNode::Kind;

// A prefix wildcard expands to at most this many terms (the most frequent ones).
constexpr Xapian::termcount kMaxWildcardExpansion = 2000;

struct FieldInfo {
  std::string_view name;
  std::string_view prefix;
  bool is_address;  // a value containing '@' is a whole address
};

constexpr FieldInfo kTextFields[] = {
    {"title", kPrefixTitle, false}, {"path", kPrefixPath, false}, {"name", kPrefixName, false},
    {"from", kPrefixFrom, true},    {"to", kPrefixTo, true},      {"cc", kPrefixCc, true},
    {"bcc", kPrefixBcc, true},
};

struct FilterInfo {
  std::string_view name;
  std::string_view prefix;
  bool is_lowercased;
};

constexpr FilterInfo kFilters[] = {
    {"type", kPrefixType, true},
    {"lang", kPrefixLang, true},
    {"id", kPrefixId, true},
    {"parent", kPrefixParent, true},
    {"source", kPrefixSource, true},
    {"state", kPrefixState, true},
    {"year", kPrefixYear, false},
    {"mime", kPrefixMediaType, true},
    {"messageid", kPrefixMessageId, false},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

Xapian::Query Boolean(Xapian::Query q) {
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0);
}

// person:, org:, mentions: ... search the words of the entities of that type.
const std::vector<FieldInfo>& EntityTextFields() {
  static const auto* const kFields = [] {
    static std::vector<std::string> prefixes;
    prefixes.reserve(std::size(kEntityFields));
    auto* out = new std::vector<FieldInfo>;
    for (const EntityField& field : kEntityFields) {
      prefixes.push_back(std::string(kPrefixEntityWord) + field.code);
      out->push_back(FieldInfo{field.field, prefixes.back(), false});
    }
    return out;
  }();
  return *kFields;
}

class Builder {
 public:
  Builder(const std::vector<std::string>& languages, const Xapian::Database* db, double similarity)
      : db_(db), similarity_(similarity) {
    for (const std::string& lang : languages) {
      try {
        stemmers_.emplace_back(lang);
      } catch (const Xapian::Error&) {
        // No stemmer for this language: its documents carry unstemmed Z terms.
      }
    }
  }

  Result<Xapian::Query> Build(const QueryNode& node) {
    switch (node.kind) {
      case Kind::kMatchAll:
        return Xapian::Query::MatchAll;
      case Kind::kMatchNothing:
        return Xapian::Query::MatchNothing;
      case Kind::kWord:
        return Word(node);
      case Kind::kPhrase:
      case Kind::kNear:
        return Sequence(node);
      case Kind::kPrefix:
        return Prefix(node);
      case Kind::kFilter:
        return Filter(node);
      case Kind::kDateRange:
        return DateRange(node);
      case Kind::kAnd:
      case Kind::kOr:
      case Kind::kAndNot:
        return Compound(node);
    }
    return Status::Internal("unknown query node");
  }

 private:
  Result<const FieldInfo*> TextField(const std::string& field) {
    for (const FieldInfo& info : kTextFields) {
      if (info.name == field) return &info;
    }
    for (const FieldInfo& info : EntityTextFields()) {
      if (info.name == field) return &info;
    }
    return Status::InvalidArgument("unknown field '" + field + "'");
  }

  Result<Xapian::Query> Word(const QueryNode& node) {
    if (node.words.size() != 1) return Status::Internal("a word node holds one word");
    const std::string& word = node.words[0];
    if (!node.field.empty()) {
      TROVE_ASSIGN_OR_RETURN(const FieldInfo* info, TextField(node.field));
      if (info->is_address && word.find('@') != std::string::npos) {
        return Xapian::Query(ClampTerm(Term(info->prefix, Lower(word))));
      }
      return Xapian::Query(Term(info->prefix, FoldToken(word)));
    }
    if (node.is_exact) return Exact(word, /*is_weighted=*/true);
    // A word matches its stems in every language of the collection, weighted as one term.
    const std::string folded = FoldToken(word);
    std::set<std::string> stems = {folded};
    for (const Xapian::Stem& stemmer : stemmers_) stems.insert(stemmer(folded));
    std::vector<Xapian::Query> variants;
    for (const std::string& stem : stems) variants.emplace_back(Term(kPrefixStem, stem));
    return Xapian::Query(Xapian::Query::OP_SYNONYM, variants.begin(), variants.end());
  }

  // A word as written. Written otherwise than folded it has its own term; written folded it is
  // the folded word's documents that hold that form (LiteralFormSource), weighted by the folded
  // word when `is_weighted`.
  static Xapian::Query Exact(const std::string& word, bool is_weighted) {
    const std::string folded = FoldToken(word);
    if (word != folded) return Xapian::Query(ClampTerm(ExactTerm(folded, word)));
    Xapian::Query literal((new LiteralFormSource(folded))->release());
    if (!is_weighted) return literal;
    return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(folded), literal);
  }

  Result<Xapian::Query> Sequence(const QueryNode& node) {
    std::string_view prefix;
    if (!node.field.empty()) {
      TROVE_ASSIGN_OR_RETURN(const FieldInfo* info, TextField(node.field));
      prefix = info->prefix;
    }
    std::vector<Xapian::Query> terms;
    std::vector<Xapian::Query> exact;
    for (const std::string& word : node.words) {
      terms.emplace_back(Term(prefix, FoldToken(word)));
      if (node.is_exact && node.field.empty()) exact.push_back(Exact(word, /*is_weighted=*/false));
    }
    if (terms.empty()) return Xapian::Query::MatchNothing;
    if (terms.size() == 1 && exact.empty()) return terms[0];
    const bool is_near = node.kind == Kind::kNear;
    const Xapian::termcount window = static_cast<Xapian::termcount>(terms.size()) +
                                     (is_near ? static_cast<Xapian::termcount>(node.distance) : 0);
    Xapian::Query seq(is_near ? Xapian::Query::OP_NEAR : Xapian::Query::OP_PHRASE, terms.begin(),
                      terms.end(), window);
    if (exact.empty()) return seq;
    // Exact forms carry no positions: the phrase is matched on folded words, and every word
    // must also occur as written somewhere in the document.
    Xapian::Query all_exact(Xapian::Query::OP_AND, exact.begin(), exact.end());
    return Xapian::Query(Xapian::Query::OP_FILTER, seq, all_exact);
  }

  Result<Xapian::Query> Prefix(const QueryNode& node) {
    std::string_view prefix;
    if (!node.field.empty()) {
      TROVE_ASSIGN_OR_RETURN(const FieldInfo* info, TextField(node.field));
      prefix = info->prefix;
    }
    const std::string stem = FoldToken(node.words.at(0));
    if (stem.empty()) return Status::InvalidArgument("a wildcard needs at least one letter");
    return Xapian::Query(Xapian::Query::OP_WILDCARD, Term(prefix, stem), kMaxWildcardExpansion,
                         Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  }

  Result<Xapian::Query> Filter(const QueryNode& node) {
    if (node.field == "similar") {
      if (db_ == nullptr) return Status::Internal("similar: needs the index");
      auto query = SimilarQuery(*db_, Lower(node.words.at(0)), similarity_);
      if (!query.ok() && query.status().code() == StatusCode::kNotFound) {
        return Status::InvalidArgument(query.status().message());
      }
      return query;
    }
    for (const FilterInfo& info : kFilters) {
      if (info.name != node.field) continue;
      const std::string value = info.is_lowercased ? Lower(node.words.at(0)) : node.words.at(0);
      return Boolean(Xapian::Query(ClampTerm(Term(info.prefix, value))));
    }
    return Status::InvalidArgument("unknown filter '" + node.field + "'");
  }

  static Result<std::time_t> ParseDay(const std::string& yyyymmdd, bool is_end) {
    std::tm tm{};
    if (yyyymmdd.size() != 8 ||
        std::sscanf(yyyymmdd.c_str(), "%4d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
      return Status::InvalidArgument("bad date '" + yyyymmdd + "'");
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    if (is_end) {
      tm.tm_hour = 23;
      tm.tm_min = 59;
      tm.tm_sec = 59;
    }
    return timegm(&tm);
  }

  // Both ends known: an OR of day, month and year terms (boolean postings, much faster than a
  // value range over every document); an open end: a value range on the date slot.
  Result<Xapian::Query> DateRange(const QueryNode& node) {
    if (node.lo.empty() && node.hi.empty()) return Status::InvalidArgument("empty date range");
    if (node.lo.empty() || node.hi.empty()) {
      std::string lo, hi;
      if (!node.lo.empty()) {
        TROVE_ASSIGN_OR_RETURN(const std::time_t t, ParseDay(node.lo, false));
        lo = Xapian::sortable_serialise(static_cast<double>(t));
      }
      if (!node.hi.empty()) {
        TROVE_ASSIGN_OR_RETURN(const std::time_t t, ParseDay(node.hi, true));
        hi = Xapian::sortable_serialise(static_cast<double>(t));
      }
      if (lo.empty()) return Boolean(Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotDate, hi));
      if (hi.empty()) return Boolean(Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotDate, lo));
      return Boolean(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotDate, lo, hi));
    }
    TROVE_ASSIGN_OR_RETURN(const std::time_t lo, ParseDay(node.lo, false));
    TROVE_ASSIGN_OR_RETURN(const std::time_t hi, ParseDay(node.hi, false));
    if (lo > hi)
      return Status::InvalidArgument("date range " + node.lo + ".." + node.hi +
                                     " ends before it starts");
    std::vector<Xapian::Query> terms;
    std::tm day{};
    std::time_t t = lo;
    gmtime_r(&t, &day);
    while (t <= hi) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%04d%02d%02d", day.tm_year + 1900, day.tm_mon + 1,
                    day.tm_mday);
      const std::string ymd(buf);
      // Whole year inside the range: one Y term.
      std::tm year_end = day;
      year_end.tm_mon = 11;
      year_end.tm_mday = 31;
      if (day.tm_mon == 0 && day.tm_mday == 1 && timegm(&year_end) <= hi) {
        terms.emplace_back(Term(kPrefixYear, ymd.substr(0, 4)));
        day.tm_year += 1;
      } else {
        std::tm month_end = day;
        month_end.tm_mon += 1;
        month_end.tm_mday = 0;  // last day of this month, normalised by timegm
        if (day.tm_mday == 1 && timegm(&month_end) <= hi) {
          terms.emplace_back(Term(kPrefixMonth, ymd.substr(0, 6)));
          day.tm_mon += 1;
        } else {
          terms.emplace_back(Term(kPrefixDay, ymd));
          day.tm_mday += 1;
        }
      }
      t = timegm(&day);
      gmtime_r(&t, &day);
    }
    return Boolean(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  }

  static bool IsPureFilter(const QueryNode& node) {
    return node.kind == Kind::kFilter || node.kind == Kind::kDateRange;
  }

  Result<Xapian::Query> Compound(const QueryNode& node) {
    if (node.children.empty()) return Status::Internal("compound query without children");
    if (node.kind == Kind::kAndNot) {
      if (node.children.size() != 2) return Status::Internal("AND NOT takes two children");
      TROVE_ASSIGN_OR_RETURN(Xapian::Query left, Build(node.children[0]));
      TROVE_ASSIGN_OR_RETURN(Xapian::Query right, Build(node.children[1]));
      return Xapian::Query(Xapian::Query::OP_AND_NOT, left, right);
    }
    std::vector<Xapian::Query> scored, filters;
    for (const QueryNode& child : node.children) {
      TROVE_ASSIGN_OR_RETURN(Xapian::Query q, Build(child));
      (node.kind == Kind::kAnd && IsPureFilter(child) ? filters : scored).push_back(q);
    }
    if (node.kind == Kind::kOr)
      return Xapian::Query(Xapian::Query::OP_OR, scored.begin(), scored.end());
    Xapian::Query filter(Xapian::Query::OP_AND, filters.begin(), filters.end());
    if (scored.empty()) return Boolean(filter);
    Xapian::Query main(Xapian::Query::OP_AND, scored.begin(), scored.end());
    return filters.empty() ? main : Xapian::Query(Xapian::Query::OP_FILTER, main, filter);
  }

  std::vector<Xapian::Stem> stemmers_;
  const Xapian::Database* db_;
  double similarity_;
};

}  // namespace

Result<Xapian::Query> BuildQuery(const QueryNode& node, const std::vector<std::string>& languages,
                                 const Xapian::Database* db, double similarity) {
  try {
    Builder builder(languages, db, similarity);
    return builder.Build(node);
  } catch (const Xapian::Error& e) {
    return Status::InvalidArgument("query: " + e.get_description());
  }
}

}  // namespace trove::index::internal
