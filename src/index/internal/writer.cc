#include <xapian.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "index/index.h"
#include "index/internal/occurrences.h"
#include "index/internal/schema.h"
#include "index/internal/shards.h"
#include "index/internal/stored.h"

namespace trove::index {
namespace {

using internal::Term;

class XapianWriter final : public Writer {
 public:
  explicit XapianWriter(std::vector<Xapian::WritableDatabase> shards) : shards_(std::move(shards)) {}

  Status Add(const PreparedDocument& prepared) override {
    try {
      Xapian::WritableDatabase& db = ShardOf(prepared.id);
      Xapian::Document incoming = Xapian::Document::unserialise(prepared.blob);
      const std::string id_term = Term(internal::kPrefixId, prepared.id);
      Xapian::PostingIterator hit = db.postlist_begin(id_term);
      if (hit == db.postlist_end(id_term)) {
        db.replace_document(id_term, incoming);
        return Status::Ok();
      }
      const Xapian::docid docid = *hit;
      Xapian::Document existing = db.get_document(docid);
      std::vector<Occurrence> occurrences =
          internal::DecodeOccurrences(existing.get_value(internal::kSlotOccurrences));
      const bool is_known = std::find(occurrences.begin(), occurrences.end(),
                                      prepared.occurrence) != occurrences.end();
      // Same bytes, same extraction: keep what is there, unless it is the record of a failure
      // and this copy was extracted successfully (a retry).
      const bool is_upgrade = existing.get_value(internal::kSlotState) != "indexed" &&
                              incoming.get_value(internal::kSlotState) == "indexed";
      if (is_known && !is_upgrade) return Status::Ok();
      if (!is_known) occurrences.push_back(prepared.occurrence);
      Xapian::Document& target = is_upgrade ? incoming : existing;
      internal::SetOccurrences(target, occurrences);
      db.replace_document(docid, target);
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::IOError("indexing document " + prepared.id + ": " + e.get_description());
    }
  }

  Status AddOccurrence(const std::string& id, const Occurrence& occurrence) override {
    try {
      Xapian::WritableDatabase& db = ShardOf(id);
      const std::string id_term = Term(internal::kPrefixId, id);
      Xapian::PostingIterator hit = db.postlist_begin(id_term);
      if (hit == db.postlist_end(id_term)) return Status::NotFound("no document " + id);
      Xapian::Document doc = db.get_document(*hit);
      std::vector<Occurrence> occurrences =
          internal::DecodeOccurrences(doc.get_value(internal::kSlotOccurrences));
      if (std::find(occurrences.begin(), occurrences.end(), occurrence) != occurrences.end()) {
        return Status::Ok();
      }
      occurrences.push_back(occurrence);
      internal::SetOccurrences(doc, occurrences);
      db.replace_document(*hit, doc);
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::IOError("adding a place to document " + id + ": " + e.get_description());
    }
  }

  Result<bool> Contains(const std::string& id) override {
    try {
      return ShardOf(id).term_exists(Term(internal::kPrefixId, id));
    } catch (const Xapian::Error& e) {
      return Status::IOError("looking up document " + id + ": " + e.get_description());
    }
  }

  Result<std::string> FirstPath(const std::string& id) override {
    try {
      Xapian::WritableDatabase& db = ShardOf(id);
      const std::string id_term = Term(internal::kPrefixId, id);
      Xapian::PostingIterator hit = db.postlist_begin(id_term);
      if (hit == db.postlist_end(id_term)) return Status::NotFound("no document " + id);
      const auto occurrences =
          internal::DecodeOccurrences(db.get_document(*hit).get_value(internal::kSlotOccurrences));
      if (occurrences.empty()) return Status::NotFound("document " + id + " has no place");
      return occurrences.front().path;
    } catch (const Xapian::Error& e) {
      return Status::IOError("looking up document " + id + ": " + e.get_description());
    }
  }

  Status RemoveSource(const std::string& source_key) override {
    const std::string source_term = Term(internal::kPrefixSource, source_key);
    try {
      for (Xapian::WritableDatabase& db : shards_) {
        std::vector<Xapian::docid> docids;
        for (auto it = db.postlist_begin(source_term); it != db.postlist_end(source_term); ++it) {
          docids.push_back(*it);
        }
        for (const Xapian::docid docid : docids) {
          Xapian::Document doc = db.get_document(docid);
          std::vector<Occurrence> occurrences =
              internal::DecodeOccurrences(doc.get_value(internal::kSlotOccurrences));
          std::erase_if(occurrences,
                        [&](const Occurrence& occ) { return occ.source_key == source_key; });
          if (occurrences.empty()) {
            db.delete_document(docid);
          } else {
            internal::SetOccurrences(doc, occurrences);
            db.replace_document(docid, doc);
          }
        }
      }
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::IOError("removing source " + source_key + ": " + e.get_description());
    }
  }

  Status Commit() override {
    try {
      for (Xapian::WritableDatabase& db : shards_) db.commit();
      return Status::Ok();
    } catch (const Xapian::Error& e) {
      return Status::IOError("committing the index: " + e.get_description());
    }
  }

  int shard_count() const override { return static_cast<int>(shards_.size()); }

 private:
  Xapian::WritableDatabase& ShardOf(const std::string& id) {
    return shards_[internal::ShardFor(id, shards_.size())];
  }

  std::vector<Xapian::WritableDatabase> shards_;
};

}  // namespace

Result<std::unique_ptr<Writer>> Writer::Open(const std::string& index_dir, int shard_count) {
  std::error_code ec;
  std::filesystem::create_directories(index_dir, ec);
  if (ec) return Status::IOError("cannot create " + index_dir + ": " + ec.message());
  const std::vector<std::string> existing = internal::ListShards(index_dir);
  if (!existing.empty()) shard_count = static_cast<int>(existing.size());
  if (shard_count < 1) return Status::InvalidArgument("shard count must be at least 1");
  std::vector<Xapian::WritableDatabase> shards;
  const std::string format = std::to_string(internal::kIndexFormatVersion);
  for (int shard = 0; shard < shard_count; ++shard) {
    const std::string path = internal::ShardPath(index_dir, shard);
    try {
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
      const std::string found = db.get_metadata(internal::kFormatKey);
      if (found.empty()) {
        db.set_metadata(internal::kFormatKey, format);
      } else {
        // from_chars, not stoi: a damaged marker must become a Status, not an exception.
        int version = 0;
        const auto [end, ec] = std::from_chars(found.data(), found.data() + found.size(), version);
        if (ec != std::errc() || end != found.data() + found.size()) {
          return Status::Corrupt(path + " has an unreadable index format marker '" + found + "'");
        }
        if (version > internal::kIndexFormatVersion) {
          return Status::Unsupported(path + " has index format " + found +
                                     ", newer than this trove reads (" + format + ")");
        }
      }
      shards.push_back(std::move(db));
    } catch (const Xapian::DatabaseLockError&) {
      return Status::IOError(path + " is locked: another trove process is writing this collection");
    } catch (const Xapian::Error& e) {
      return Status::IOError("cannot open index " + path + ": " + e.get_description());
    }
  }
  return std::unique_ptr<Writer>(std::make_unique<XapianWriter>(std::move(shards)));
}

}  // namespace trove::index
