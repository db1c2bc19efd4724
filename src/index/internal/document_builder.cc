// PrepareDocument: turns a DocumentRecord into a serialised Xapian document. Runs in the
// extraction workers, so that term generation is spread over every core and the single writer
// only merges ready documents.
#include <algorithm>
#include <ctime>
#include <map>
#include <unordered_map>

#include <xapian.h>
#include <zstd.h>

#include "core/email.h"
#include "core/text.h"
#include "index/index.h"
#include "index/internal/minhash.h"
#include "index/internal/occurrences.h"
#include "index/internal/schema.h"
#include "index/internal/stored.h"

namespace trove::index {
namespace {

using internal::Term;

// Title words count this much more than body words in the default field.
constexpr Xapian::termcount kTitleWdfBoost = 3;
// Positions of successive fields (occurrence paths) are kept apart so a phrase cannot span two.
constexpr Xapian::termpos kFieldGap = 100;

struct TextIndexer {
  Xapian::Document& doc;
  const Xapian::Stem* stemmer;  // nullptr: the folded word is its own stem
  // The Z term of each distinct folded word of the document: a text repeats its words, and
  // stemming every token was 6.5% of indexing (bench/RESULTS.md, instruction counts).
  std::unordered_map<std::string, std::string> stem_terms = {};

  const std::string& StemTerm(const std::string& folded) {
    auto it = stem_terms.find(folded);
    if (it == stem_terms.end()) {
      it = stem_terms
               .emplace(folded, Term(internal::kPrefixStem,
                                     stemmer != nullptr ? (*stemmer)(folded) : folded))
               .first;
    }
    return it->second;
  }

  // The body: folded words with positions, their stems and their exact forms.
  void IndexBody(std::string_view text) {
    Xapian::termpos pos = 0;
    ForEachFoldedWord(text, [&](const std::string& folded, const Token& token) {
      doc.add_posting(folded, ++pos);
      AddVariants(folded, token.text, 1);
    });
  }

  // A field searched by prefix (title, path): positional, plus its words in the default field
  // with `body_wdf` (0 to leave them out of it).
  void IndexField(std::string_view prefix, std::string_view text, Xapian::termpos* pos,
                  Xapian::termcount body_wdf) {
    ForEachFoldedWord(text, [&](const std::string& folded, const Token& token) {
      doc.add_posting(Term(prefix, folded), ++*pos);
      if (body_wdf > 0) {
        doc.add_term(folded, body_wdf);
        AddVariants(folded, token.text, body_wdf);
      }
    });
    *pos += kFieldGap;
  }

  // The stem of a folded word (the word itself without a stemmer), and its written form only
  // where that differs from the folded word: most words are written folded, and leaving those
  // duplicates out cuts a quarter of a document's terms (bench/RESULTS.md, "lean terms"). Exact
  // mode finds a word written folded through LiteralFormSource. Stems equal to their word stay:
  // without them a query would have to look up the folded word too, and that double-counts the
  // word in every document where its stem differs (measured: MAP -0.009 on Cranfield).
  void AddVariants(const std::string& folded, std::string_view written, Xapian::termcount wdf) {
    doc.add_term(StemTerm(folded), wdf);
    if (written != folded) doc.add_term(internal::ExactTerm(folded, written), wdf);
  }
};

// "Jane Doe <Jane.Doe@Example.org>" -> "jane.doe@example.org"; "" when there is no address.
std::string AddressOf(std::string_view mailbox) {
  std::string_view addr = mailbox;
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    addr = mailbox.substr(open + 1, close - open - 1);
  }
  if (addr.find('@') == std::string_view::npos) return {};
  std::string out;
  for (const char ch : addr) {
    if (ch == ' ' || ch == '\t') continue;
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  return out;
}

void IndexAddresses(Xapian::Document& doc, std::string_view prefix,
                    const std::vector<std::string>& mailboxes, TextIndexer& indexer) {
  Xapian::termpos pos = 0;
  for (const std::string& mailbox : mailboxes) {
    indexer.IndexField(prefix, mailbox, &pos, 1);
    const std::string addr = AddressOf(mailbox);
    if (!addr.empty()) doc.add_boolean_term(internal::ClampTerm(Term(prefix, addr)));
  }
}

void AddDateTerms(Xapian::Document& doc, std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  const std::string day(buf);
  doc.add_boolean_term(Term(internal::kPrefixDay, day));
  doc.add_boolean_term(Term(internal::kPrefixMonth, day.substr(0, 6)));
  doc.add_boolean_term(Term(internal::kPrefixYear, day.substr(0, 4)));
  doc.add_value(internal::kSlotDate, Xapian::sortable_serialise(static_cast<double>(seconds)));
}

// Each distinct entity once: its key term (wdf = mentions) and its words, positional per type.
void IndexEntities(Xapian::Document& doc, const std::vector<EntityMention>& mentions) {
  std::map<std::pair<std::string_view, std::string_view>, Xapian::termcount> counts;
  for (const EntityMention& m : mentions) ++counts[{m.type, m.value}];
  std::map<char, Xapian::termpos> positions;
  for (const auto& [entity, count] : counts) {
    const internal::EntityField* field = internal::EntityFieldOfType(entity.first);
    if (field == nullptr) continue;
    const std::string key = EntityKey(entity.second);
    if (key.empty()) continue;
    doc.add_term(
        internal::ClampTerm(internal::EntityKeyPrefix(*field, key) + std::string(entity.second)),
        count);
    std::string prefix(internal::kPrefixEntityWord);
    prefix += field->code;
    Xapian::termpos& pos = positions[field->code];
    TokenIterator tokens(key);
    Token token;
    while (tokens.Next(&token)) doc.add_posting(Term(prefix, token.text), ++pos, count);
    pos += kFieldGap;
  }
}

// What threads follow (internal/threads.cc): the ids a message answers, and its subject.
void AddThreadTerms(Xapian::Document& doc, const DocumentRecord& record) {
  const Extraction& ex = record.extraction;
  if (!ex.in_reply_to.empty()) {
    doc.add_boolean_term(internal::ClampTerm(Term(internal::kPrefixReference, ex.in_reply_to)));
  }
  for (const std::string& reference : ex.references) {
    if (!reference.empty()) {
      doc.add_boolean_term(internal::ClampTerm(Term(internal::kPrefixReference, reference)));
    }
  }
  if (record.type != "email") return;
  const NormalizedSubject subject = NormalizeSubject(ex.title);
  if (subject.key.empty()) return;
  std::string term(internal::kPrefixSubject);
  term += subject.is_reply ? internal::kSubjectReply : internal::kSubjectOriginal;
  term += subject.key;
  doc.add_boolean_term(internal::ClampTerm(std::move(term)));
}

}  // namespace

std::string EntityKey(std::string_view value) { return FoldedWords(value); }

const std::vector<std::pair<std::string, std::string>>& EntityTypeFields() {
  static const auto* const kFields = [] {
    auto* out = new std::vector<std::pair<std::string, std::string>>;
    for (const internal::EntityField& field : internal::kEntityFields) {
      out->emplace_back(field.name, field.field);
    }
    return out;
  }();
  return *kFields;
}

Result<PreparedDocument> PrepareDocument(const DocumentRecord& record) {
  try {
    Xapian::Document doc;
    std::unique_ptr<Xapian::Stem> stemmer;
    if (!record.lang.empty()) {
      const auto& langs = StemmedLanguages();
      if (std::find(langs.begin(), langs.end(), record.lang) != langs.end()) {
        stemmer = std::make_unique<Xapian::Stem>(record.lang);
      }
    }
    TextIndexer indexer{doc, stemmer.get()};
    const Extraction& ex = record.extraction;

    doc.add_boolean_term(Term(internal::kPrefixId, record.id));
    indexer.IndexBody(ex.text);
    Xapian::termpos pos = 0;
    indexer.IndexField(internal::kPrefixTitle, ex.title, &pos, kTitleWdfBoost);
    pos = 0;
    indexer.IndexField(internal::kPrefixName, record.name, &pos, 1);
    IndexAddresses(doc, internal::kPrefixFrom, ex.from, indexer);
    IndexAddresses(doc, internal::kPrefixTo, ex.to, indexer);
    IndexAddresses(doc, internal::kPrefixCc, ex.cc, indexer);
    IndexAddresses(doc, internal::kPrefixBcc, ex.bcc, indexer);
    if (!ex.author.empty()) {
      pos = 0;
      indexer.IndexField(internal::kPrefixFrom, ex.author, &pos, 1);
    }
    internal::AddOccurrenceTerms(doc, record.occurrence);
    IndexEntities(doc, record.entities);

    if (!record.type.empty()) doc.add_boolean_term(Term(internal::kPrefixType, record.type));
    if (!record.media_type.empty()) {
      doc.add_boolean_term(
          internal::ClampTerm(Term(internal::kPrefixMediaType, record.media_type)));
    }
    if (!record.lang.empty()) doc.add_boolean_term(Term(internal::kPrefixLang, record.lang));
    const std::string state(DocStateName(record.state));
    doc.add_boolean_term(Term(internal::kPrefixState, state));
    if (!ex.message_id.empty()) {
      doc.add_boolean_term(internal::ClampTerm(Term(internal::kPrefixMessageId, ex.message_id)));
    }
    AddThreadTerms(doc, record);
    if (record.state == DocState::kIndexed) {
      if (const auto signature = internal::MinHashOf(ex.text)) {
        doc.add_value(internal::kSlotSignature, internal::EncodeSignature(*signature));
        for (const std::string& key : internal::BandKeys(*signature)) {
          doc.add_boolean_term(Term(internal::kPrefixBand, key));
        }
      }
    }
    if (ex.date) AddDateTerms(doc, *ex.date);

    doc.add_value(internal::kSlotType, record.type);
    doc.add_value(internal::kSlotLang, record.lang);
    if (!ex.from.empty()) doc.add_value(internal::kSlotFrom, AddressOf(ex.from.front()));
    doc.set_data(internal::JoinStoredData(internal::EncodeOccurrences({record.occurrence}),
                                          internal::CompressRecord(record)));

    return PreparedDocument{record.id, record.occurrence, doc.serialise()};
  } catch (const Xapian::Error& e) {
    return Status::Internal("preparing document " + record.id + ": " + e.get_description());
  }
}

std::string StemWord(std::string_view lang, std::string_view folded_word) {
  const auto& langs = StemmedLanguages();
  if (std::find(langs.begin(), langs.end(), lang) == langs.end()) return std::string(folded_word);
  // Constructing a stemmer costs more than stemming a word: keep one per language and thread.
  thread_local std::map<std::string, Xapian::Stem, std::less<>> stemmers;
  auto it = stemmers.find(lang);
  if (it == stemmers.end())
    it = stemmers.emplace(std::string(lang), Xapian::Stem(std::string(lang))).first;
  return it->second(std::string(folded_word));
}

const std::vector<std::string>& StemmedLanguages() {
  // Snowball stemmers that Xapian 1.4 ships, by ISO 639-1 code.
  static const std::vector<std::string> kLanguages = {
      "ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de", "hu", "id",
      "ga", "it", "lt", "ne", "nb", "pt", "ro", "ru", "es", "sv", "ta", "tr"};
  return kLanguages;
}

}  // namespace trove::index
