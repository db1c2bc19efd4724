#include "index/internal/shard_writer.h"

#include <algorithm>

#include "index/internal/occurrences.h"
#include "index/internal/schema.h"

namespace trove::index::internal {
namespace {

bool HasTerm(const Xapian::Document& doc, const std::string& term) {
  Xapian::TermIterator it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

}  // namespace

Status ShardWriter::Add(const PreparedDocument& prepared) {
  try {
    Xapian::Document incoming = Xapian::Document::unserialise(prepared.blob);
    const std::string id_term = Term(kPrefixId, prepared.id);
    Xapian::PostingIterator hit = db_.postlist_begin(id_term);
    if (hit == db_.postlist_end(id_term)) {
      if (prepared.is_revision) return Status::Ok();  // removed meanwhile: nothing to revise
      db_.replace_document(id_term, incoming);
      return Status::Ok();
    }
    const Xapian::docid docid = *hit;
    Xapian::Document existing = db_.get_document(docid);
    TROVE_ASSIGN_OR_RETURN(std::vector<Occurrence> occurrences, ReadOccurrences(existing));
    if (prepared.is_revision) {
      // The new content, with every place the document was found at (its source terms too).
      TROVE_RETURN_IF_ERROR(SetOccurrences(incoming, occurrences));
      db_.replace_document(docid, incoming);
      return Status::Ok();
    }
    const bool is_known =
        std::find(occurrences.begin(), occurrences.end(), prepared.occurrence) != occurrences.end();
    // Same bytes, same extraction: keep what is there, unless it is the record of a failure
    // and this copy was extracted successfully (a retry).
    const std::string indexed = Term(kPrefixState, DocStateName(DocState::kIndexed));
    const bool is_upgrade = !HasTerm(existing, indexed) && HasTerm(incoming, indexed);
    if (is_known && !is_upgrade) return Status::Ok();
    if (!is_known) occurrences.push_back(prepared.occurrence);
    Xapian::Document& target = is_upgrade ? incoming : existing;
    TROVE_RETURN_IF_ERROR(SetOccurrences(target, occurrences));
    db_.replace_document(docid, target);
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::IOError("indexing document " + prepared.id + ": " + e.get_description());
  }
}

Status ShardWriter::AddOccurrence(const std::string& id, const Occurrence& occurrence) {
  try {
    const std::string id_term = Term(kPrefixId, id);
    Xapian::PostingIterator hit = db_.postlist_begin(id_term);
    if (hit == db_.postlist_end(id_term)) return Status::NotFound("no document " + id);
    Xapian::Document doc = db_.get_document(*hit);
    TROVE_ASSIGN_OR_RETURN(std::vector<Occurrence> occurrences, ReadOccurrences(doc));
    if (std::find(occurrences.begin(), occurrences.end(), occurrence) != occurrences.end()) {
      return Status::Ok();
    }
    occurrences.push_back(occurrence);
    TROVE_RETURN_IF_ERROR(SetOccurrences(doc, occurrences));
    db_.replace_document(*hit, doc);
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::IOError("adding a place to document " + id + ": " + e.get_description());
  }
}

Result<bool> ShardWriter::Contains(const std::string& id) {
  try {
    return db_.term_exists(Term(kPrefixId, id));
  } catch (const Xapian::Error& e) {
    return Status::IOError("looking up document " + id + ": " + e.get_description());
  }
}

Result<std::string> ShardWriter::FirstPath(const std::string& id) {
  try {
    const std::string id_term = Term(kPrefixId, id);
    Xapian::PostingIterator hit = db_.postlist_begin(id_term);
    if (hit == db_.postlist_end(id_term)) return Status::NotFound("no document " + id);
    TROVE_ASSIGN_OR_RETURN(const std::vector<Occurrence> occurrences,
                           ReadOccurrences(db_.get_document(*hit)));
    if (occurrences.empty()) return Status::NotFound("document " + id + " has no place");
    return occurrences.front().path;
  } catch (const Xapian::Error& e) {
    return Status::IOError("looking up document " + id + ": " + e.get_description());
  }
}

Status ShardWriter::RemoveSource(const std::string& source_key,
                                 std::vector<std::string>* deleted_ids) {
  const std::string source_term = Term(kPrefixSource, source_key);
  try {
    std::vector<Xapian::docid> docids;
    for (auto it = db_.postlist_begin(source_term); it != db_.postlist_end(source_term); ++it) {
      docids.push_back(*it);
    }
    for (const Xapian::docid docid : docids) {
      Xapian::Document doc = db_.get_document(docid);
      TROVE_ASSIGN_OR_RETURN(std::vector<Occurrence> occurrences, ReadOccurrences(doc));
      std::erase_if(occurrences,
                    [&](const Occurrence& occ) { return occ.source_key == source_key; });
      if (occurrences.empty()) {
        for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
          if ((*it).rfind(kPrefixId, 0) == 0)
            deleted_ids->push_back((*it).substr(kPrefixId.size()));
        }
        db_.delete_document(docid);
      } else {
        TROVE_RETURN_IF_ERROR(SetOccurrences(doc, occurrences));
        db_.replace_document(docid, doc);
      }
    }
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::IOError("removing source " + source_key + ": " + e.get_description());
  }
}

Status ShardWriter::Commit() {
  try {
    db_.commit();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::IOError("committing the index: " + e.get_description());
  }
}

}  // namespace trove::index::internal
