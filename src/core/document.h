// The plain structs that modules exchange: what an extractor produces, and the document record
// that the pipeline hands to the index. No module-specific types appear here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace trove {

// Page breaks inside Extraction::text.
inline constexpr char kPageBreak = '\f';

// What an extractor learnt from one document's bytes. Every string is valid UTF-8.
struct Extraction {
  std::string text;   // body text; pages separated by kPageBreak
  std::string title;  // document title or e-mail subject
  std::string author;
  std::optional<std::int64_t> date;  // the document's own date, seconds since the Unix epoch (UTC)
  int page_count = 0;
  bool is_truncated = false;  // text was cut at the configured limit

  // E-mail headers (empty for other documents). Addresses as "Name <addr>" or "addr".
  std::vector<std::string> from, to, cc, bcc;
  std::string message_id, in_reply_to;
  std::vector<std::string> references;

  // Everything else worth showing: creator, producer, keywords, description, sheet names...
  std::vector<std::pair<std::string, std::string>> metadata;

  // Pages (0-based) without a usable text layer that optical character recognition could read:
  // every frame of an image, the scanned pages of a PDF. Not persisted: the pipeline turns it
  // into DocumentRecord::ocr.
  std::vector<int> ocr_candidates;
};

// A file found inside another one: an archive member, an attachment, a message in a mailbox.
struct ChildFile {
  std::string name;                   // member path, attachment file name, or "<message-id>"
  std::string bytes;                  // the child's complete content
  std::string media_type;             // a hint from the container ("message/rfc822"), or empty
  std::optional<std::int64_t> mtime;  // archive member time, if any
};

// Where one copy of a document was found. A document with identical bytes at several places has
// one occurrence per place.
struct Occurrence {
  std::string source_key;  // SourceKey() of the source file the copy came from
  std::string path;        // path chain: "dump.zip!/mail/2012.mbox!/<id>!/report.pdf"
  std::string parent_id;   // empty for a source file

  bool operator==(const Occurrence&) const = default;
};

// The separator between the elements of a path chain.
inline constexpr std::string_view kChainSeparator = "!/";

enum class DocState : std::uint8_t { kIndexed, kFailed, kSkipped };

// One mention of an entity in a document's text (src/analyze finds them).
struct EntityMention {
  std::string type;         // "person", "org", "place", "email", "phone", "iban", "url", "domain",
                            // "ip", "money", "date", "marking"
  std::string value;        // normalised: the same for every way the text writes the entity
  std::uint64_t begin = 0;  // byte offsets into extraction.text
  std::uint64_t end = 0;

  bool operator==(const EntityMention&) const = default;
};

// A user's correction of the entity list (trove entity merge|rename|delete). Kept in the store
// and applied whenever entities are listed or searched, never written into the index, so it
// takes effect at once and survives a re-ingest.
struct EntityRule {
  enum class Action { kMerge, kRename, kDelete };
  std::string type;  // EntityMention::type
  std::string key;   // the entity it applies to, as index::EntityKey(value)
  Action action = Action::kDelete;
  std::string target;  // kMerge: the key of the entity it joins; kRename: the new name

  bool operator==(const EntityRule&) const = default;
};

// How optical character recognition (OCR) contributed to a document's text, so that a reader
// can be told that the words were read from an image and how sure Tesseract was.
struct OcrInfo {
  enum class State : std::uint8_t {
    kNone,    // no page needed OCR, or OCR was off
    kQueued,  // indexed with the text it had; OCR of `pages` is waiting or under way
    kDone,    // `pages` hold OCR text (some may have failed: see reason)
    kFailed,  // OCR of every page failed (reason)
  };
  State state = State::kNone;
  std::vector<int> pages;      // 0-based pages read (kDone) or to read (kQueued) by OCR
  double mean_confidence = 0;  // kDone: mean of Tesseract's per-page word confidence, 0..100
  std::string languages;       // Tesseract languages ("eng+fra")
  std::string reason;          // the pages that failed and why

  bool operator==(const OcrInfo&) const = default;
};

std::string_view OcrStateName(OcrInfo::State state);

// One document as the pipeline hands it to the index: identity, place, outcome, content.
struct DocumentRecord {
  std::string id;  // content hash (hex); identical bytes are one document
  Occurrence occurrence;
  std::string name;  // last element of the path chain
  std::string media_type;
  std::string type;  // family for the type filter and facet: "pdf", "email", "word"...
  std::uint64_t size = 0;
  std::optional<std::int64_t> mtime;
  DocState state = DocState::kIndexed;
  std::string reason;  // why it failed or was skipped, for a person to act on
  std::string lang;    // ISO 639-1 code, or empty when unknown
  Extraction extraction;
  std::vector<EntityMention> entities;  // in text order
  OcrInfo ocr;
};

std::string_view DocStateName(DocState state);

// Binary encoding of a record (MessagePack), used for the index's document data and between
// worker processes and the supervisor. `with_text` false leaves extraction.text out.
std::string EncodeRecord(const DocumentRecord& record, bool with_text = true);
// Fails with Corrupt when `bytes` is not an encoded record.
Result<DocumentRecord> DecodeRecord(std::string_view bytes);

}  // namespace trove
