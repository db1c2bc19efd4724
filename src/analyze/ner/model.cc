#include "analyze/ner/model.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>
#include <utility>

namespace trove::analyze::ner {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// The format is little-endian whatever the host; trove builds on little-endian machines only.
static_assert(std::endian::native == std::endian::little, "ner model IO assumes little-endian");

std::uint64_t Fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

class ByteWriter {
 public:
  template <typename T>
  void Put(T value) {
    char buf[sizeof(T)];
    std::memcpy(buf, &value, sizeof(T));
    out_.append(buf, sizeof(T));
  }
  void PutString(std::string_view s) {
    Put<std::uint32_t>(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void PutFloats(const std::vector<float>& values) {
    out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  }
  void PutSection(std::string_view id, const std::string& payload) {
    out_.append(id);
    Put<std::uint64_t>(payload.size());
    out_.append(payload);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads little-endian values with bounds checks; every failure names the file and the offset.
class ByteReader {
 public:
  ByteReader(std::string_view bytes, const std::string& name, std::size_t base)
      : bytes_(bytes), name_(name), base_(base) {}

  std::size_t offset() const { return base_ + pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  Status Need(std::size_t n, std::string_view what) const {
    if (remaining() >= n) return Status::Ok();
    return Status::Corrupt(name_ + ": truncated NER model at offset " + std::to_string(offset()) +
                           ": " + std::string(what) + " needs " + std::to_string(n) + " bytes, " +
                           std::to_string(remaining()) + " left");
  }
  template <typename T>
  Result<T> Get(std::string_view what) {
    TROVE_RETURN_IF_ERROR(Need(sizeof(T), what));
    T value;
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  Result<std::string_view> GetBytes(std::size_t n, std::string_view what) {
    TROVE_RETURN_IF_ERROR(Need(n, what));
    std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  Result<std::string> GetString(std::string_view what) {
    TROVE_ASSIGN_OR_RETURN(const std::uint32_t size, Get<std::uint32_t>(what));
    TROVE_ASSIGN_OR_RETURN(const std::string_view s, GetBytes(size, what));
    return std::string(s);
  }
  Status GetFloats(std::size_t count, std::vector<float>* out, std::string_view what) {
    if (count > remaining() / sizeof(float)) {
      return Need(count * sizeof(float), what);
    }
    out->resize(count);
    std::memcpy(out->data(), bytes_.data() + pos_, count * sizeof(float));
    pos_ += count * sizeof(float);
    return Status::Ok();
  }
  Status Corrupt(std::string_view why) const {
    return Status::Corrupt(name_ + ": bad NER model at offset " + std::to_string(offset()) + ": " +
                           std::string(why));
  }

 private:
  std::string_view bytes_;
  const std::string& name_;
  std::size_t base_;
  std::size_t pos_ = 0;
};

std::string MetaSection(const Model& model) {
  ByteWriter w;
  w.PutString(model.lang);
  w.PutString(model.description);
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(model.tags.size()));
  for (const std::string& tag : model.tags) w.PutString(tag);
  w.Put<std::uint32_t>(model.feature_groups);
  w.Put<std::uint32_t>(model.hash_bits);
  return std::move(w.bytes());
}

std::string FloatSection(const std::vector<float>& values) {
  ByteWriter w;
  w.Put<std::uint64_t>(values.size());
  w.PutFloats(values);
  return std::move(w.bytes());
}

template <typename Map>
std::vector<typename Map::key_type> SortedKeys(const Map& map) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string ClusterSection(const Clusters& clusters) {
  ByteWriter w;
  w.Put<std::uint32_t>(clusters.levels);
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(clusters.index.size()));
  for (const std::uint64_t hash : SortedKeys(clusters.index)) {
    w.Put<std::uint64_t>(hash);
    const std::uint32_t row = clusters.index.at(hash);
    for (std::uint32_t level = 0; level < clusters.levels; ++level) {
      w.Put<std::uint16_t>(clusters.ids[row * clusters.levels + level]);
    }
  }
  return std::move(w.bytes());
}

std::string GazetteerSection(const Gazetteer& gazetteer) {
  ByteWriter w;
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(gazetteer.types.size()));
  for (const std::string& type : gazetteer.types) w.PutString(type);
  w.Put<std::uint32_t>(gazetteer.max_tokens);
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(gazetteer.phrases.size()));
  for (const std::uint64_t hash : SortedKeys(gazetteer.phrases)) {
    w.Put<std::uint64_t>(hash);
    w.Put<std::uint8_t>(gazetteer.phrases.at(hash));
  }
  return std::move(w.bytes());
}

std::string NameWordSection(const Gazetteer& gazetteer) {
  ByteWriter w;
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(gazetteer.words.size()));
  for (const std::uint64_t hash : SortedKeys(gazetteer.words)) {
    w.Put<std::uint64_t>(hash);
    w.Put<std::uint32_t>(gazetteer.words.at(hash));
  }
  return std::move(w.bytes());
}

std::string CasingSection(const CasingLexicon& casing) {
  ByteWriter w;
  w.Put<std::uint32_t>(static_cast<std::uint32_t>(casing.size()));
  for (const std::uint64_t hash : SortedKeys(casing)) {
    w.Put<std::uint64_t>(hash);
    w.Put<std::uint8_t>(static_cast<std::uint8_t>(casing.at(hash)));
  }
  return std::move(w.bytes());
}

constexpr std::uint32_t kMaxTags = 64;
constexpr std::uint32_t kMinHashBits = 4;
constexpr std::uint32_t kMaxHashBits = 26;
constexpr std::uint32_t kMaxClusterLevels = 8;
constexpr std::uint32_t kMaxGazetteerTypes = 8;

Status ParseMeta(ByteReader& r, Model* model) {
  TROVE_ASSIGN_OR_RETURN(model->lang, r.GetString("language"));
  TROVE_ASSIGN_OR_RETURN(model->description, r.GetString("description"));
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t tag_count, r.Get<std::uint32_t>("tag count"));
  if (tag_count == 0 || tag_count > kMaxTags) {
    return r.Corrupt("tag count " + std::to_string(tag_count) + " out of range");
  }
  for (std::uint32_t tag_idx = 0; tag_idx < tag_count; ++tag_idx) {
    TROVE_ASSIGN_OR_RETURN(std::string tag, r.GetString("tag name"));
    model->tags.push_back(std::move(tag));
  }
  if (model->tags[0] != "O") return r.Corrupt("the first tag is not O");
  TROVE_ASSIGN_OR_RETURN(model->feature_groups, r.Get<std::uint32_t>("feature groups"));
  TROVE_ASSIGN_OR_RETURN(model->hash_bits, r.Get<std::uint32_t>("hash bits"));
  if (model->hash_bits < kMinHashBits || model->hash_bits > kMaxHashBits) {
    return r.Corrupt("hash bits " + std::to_string(model->hash_bits) + " out of range");
  }
  return Status::Ok();
}

Status ParseFloats(ByteReader& r, std::size_t expected, std::vector<float>* out,
                   std::string_view what) {
  TROVE_ASSIGN_OR_RETURN(const std::uint64_t count, r.Get<std::uint64_t>(what));
  if (count != expected) {
    return r.Corrupt(std::string(what) + ": " + std::to_string(count) + " values, expected " +
                     std::to_string(expected));
  }
  return r.GetFloats(count, out, what);
}

Status ParseClusters(ByteReader& r, Clusters* clusters) {
  TROVE_ASSIGN_OR_RETURN(clusters->levels, r.Get<std::uint32_t>("cluster levels"));
  if (clusters->levels > kMaxClusterLevels) return r.Corrupt("too many cluster levels");
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t count, r.Get<std::uint32_t>("cluster words"));
  const std::size_t entry_bytes = 8 + 2 * static_cast<std::size_t>(clusters->levels);
  TROVE_RETURN_IF_ERROR(r.Need(entry_bytes * count, "cluster entries"));
  clusters->index.reserve(count);
  clusters->ids.reserve(static_cast<std::size_t>(count) * clusters->levels);
  for (std::uint32_t word_idx = 0; word_idx < count; ++word_idx) {
    TROVE_ASSIGN_OR_RETURN(const std::uint64_t hash, r.Get<std::uint64_t>("cluster word"));
    if (!clusters->index.emplace(hash, word_idx).second) return r.Corrupt("duplicate word");
    for (std::uint32_t level = 0; level < clusters->levels; ++level) {
      TROVE_ASSIGN_OR_RETURN(const std::uint16_t id, r.Get<std::uint16_t>("cluster id"));
      clusters->ids.push_back(id);
    }
  }
  return Status::Ok();
}

Status ParseGazetteer(ByteReader& r, Gazetteer* gazetteer) {
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t type_count, r.Get<std::uint32_t>("gazetteer types"));
  if (type_count > kMaxGazetteerTypes) return r.Corrupt("too many gazetteer types");
  for (std::uint32_t type_idx = 0; type_idx < type_count; ++type_idx) {
    TROVE_ASSIGN_OR_RETURN(std::string type, r.GetString("gazetteer type"));
    gazetteer->types.push_back(std::move(type));
  }
  TROVE_ASSIGN_OR_RETURN(gazetteer->max_tokens, r.Get<std::uint32_t>("gazetteer phrase length"));
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t count, r.Get<std::uint32_t>("gazetteer phrases"));
  TROVE_RETURN_IF_ERROR(r.Need(9 * static_cast<std::size_t>(count), "gazetteer entries"));
  gazetteer->phrases.reserve(count);
  for (std::uint32_t phrase_idx = 0; phrase_idx < count; ++phrase_idx) {
    TROVE_ASSIGN_OR_RETURN(const std::uint64_t hash, r.Get<std::uint64_t>("gazetteer phrase"));
    TROVE_ASSIGN_OR_RETURN(const std::uint8_t bits, r.Get<std::uint8_t>("gazetteer type bits"));
    gazetteer->phrases[hash] = bits;
  }
  return Status::Ok();
}

Status ParseNameWords(ByteReader& r, Gazetteer* gazetteer) {
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t count, r.Get<std::uint32_t>("name words"));
  TROVE_RETURN_IF_ERROR(r.Need(12 * static_cast<std::size_t>(count), "name word entries"));
  gazetteer->words.reserve(count);
  for (std::uint32_t word_idx = 0; word_idx < count; ++word_idx) {
    TROVE_ASSIGN_OR_RETURN(const std::uint64_t hash, r.Get<std::uint64_t>("name word"));
    TROVE_ASSIGN_OR_RETURN(const std::uint32_t bits, r.Get<std::uint32_t>("name word bits"));
    if (!gazetteer->words.emplace(hash, bits).second) return r.Corrupt("duplicate name word");
  }
  return Status::Ok();
}

Status ParseCasing(ByteReader& r, CasingLexicon* casing) {
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t count, r.Get<std::uint32_t>("casing words"));
  TROVE_RETURN_IF_ERROR(r.Need(9 * static_cast<std::size_t>(count), "casing entries"));
  casing->reserve(count);
  for (std::uint32_t word_idx = 0; word_idx < count; ++word_idx) {
    TROVE_ASSIGN_OR_RETURN(const std::uint64_t hash, r.Get<std::uint64_t>("casing word"));
    TROVE_ASSIGN_OR_RETURN(const std::uint8_t form, r.Get<std::uint8_t>("casing form"));
    if (form > static_cast<std::uint8_t>(WordCase::kOnlyLower)) {
      return r.Corrupt("casing form " + std::to_string(form) + " out of range");
    }
    if (!casing->emplace(hash, static_cast<WordCase>(form)).second) {
      return r.Corrupt("duplicate casing word");
    }
  }
  return Status::Ok();
}

}  // namespace

std::uint64_t WordHash(std::string_view word) { return Fnv1a(kFnvOffset, word); }

std::uint64_t PhraseHashExtend(std::uint64_t hash, std::string_view token) {
  // A separator byte that never occurs inside UTF-8 text keeps "a b" apart from "ab".
  return Fnv1a(Fnv1a(hash, token), std::string_view("\xff", 1));
}

std::uint64_t PhraseHash(const std::vector<std::string_view>& tokens) {
  std::uint64_t hash = kPhraseHashSeed;
  for (const std::string_view token : tokens) hash = PhraseHashExtend(hash, token);
  return hash;
}

namespace {

// The oldest version that holds the model, so that older readers keep reading the models they
// tag correctly (and refuse the others).
std::uint32_t FormatVersion(const Model& model) {
  if (!model.casing.empty()) return 4;
  if ((model.feature_groups & kFeatureNameWords) != 0) return 3;
  return IsBilou(model.tags) || (model.feature_groups & kFeatureStyle) != 0 ? 2 : 1;
}

}  // namespace

bool IsBilou(const std::vector<std::string>& tags) {
  return std::any_of(tags.begin(), tags.end(), [](const std::string& tag) {
    return tag.rfind("L-", 0) == 0 || tag.rfind("U-", 0) == 0;
  });
}

std::string SerializeModel(const Model& model) {
  ByteWriter w;
  w.bytes().append(kModelMagic);
  w.Put<std::uint32_t>(FormatVersion(model));
  // The name words are written only when there are some, so that older models keep their bytes.
  const bool has_name_words = !model.gazetteer.words.empty();
  const bool has_casing = !model.casing.empty();
  w.Put<std::uint32_t>(5 + has_name_words + has_casing);  // sections
  w.PutSection("META", MetaSection(model));
  w.PutSection("TRAN", FloatSection(model.transitions));
  w.PutSection("WGHT", FloatSection(model.weights));
  w.PutSection("CLUS", ClusterSection(model.clusters));
  w.PutSection("GAZE", GazetteerSection(model.gazetteer));
  if (has_name_words) w.PutSection("GZWD", NameWordSection(model.gazetteer));
  if (has_casing) w.PutSection("CASE", CasingSection(model.casing));
  const std::uint64_t checksum = Fnv1a(kFnvOffset, w.bytes());
  w.Put<std::uint64_t>(checksum);
  return std::move(w.bytes());
}

Result<Model> ParseModel(std::string_view bytes, const std::string& name) {
  ByteReader r(bytes, name, 0);
  TROVE_ASSIGN_OR_RETURN(const std::string_view magic,
                         r.GetBytes(kModelMagic.size(), "magic number"));
  if (magic != kModelMagic) return Status::Corrupt(name + ": not a trove NER model (bad magic)");
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t version, r.Get<std::uint32_t>("format version"));
  if (version < kOldestModelVersion || version > kModelVersion) {
    return Status::Unsupported(name + ": NER model format version " + std::to_string(version) +
                               " at offset 8; this trove reads versions " +
                               std::to_string(kOldestModelVersion) + " to " +
                               std::to_string(kModelVersion) + " (rebuild with `make models`)");
  }
  TROVE_ASSIGN_OR_RETURN(const std::uint32_t section_count, r.Get<std::uint32_t>("sections"));
  Model model;
  std::set<std::string> seen;
  bool has_meta = false;
  bool has_transitions = false;
  bool has_weights = false;
  for (std::uint32_t section_idx = 0; section_idx < section_count; ++section_idx) {
    TROVE_ASSIGN_OR_RETURN(const std::string_view id, r.GetBytes(4, "section id"));
    TROVE_ASSIGN_OR_RETURN(const std::uint64_t size, r.Get<std::uint64_t>("section size"));
    const std::size_t payload_offset = r.offset();
    TROVE_ASSIGN_OR_RETURN(const std::string_view payload,
                           r.GetBytes(size, "section " + std::string(id)));
    ByteReader s(payload, name, payload_offset);
    const bool is_known = id == "META" || id == "TRAN" || id == "WGHT" || id == "CLUS" ||
                          id == "GAZE" || id == "GZWD" || id == "CASE";
    if (is_known && !seen.insert(std::string(id)).second) {
      return s.Corrupt("second " + std::string(id) + " section");
    }
    if (id == "META") {
      TROVE_RETURN_IF_ERROR(ParseMeta(s, &model));
      has_meta = true;
    } else if (id == "TRAN" || id == "WGHT") {
      if (!has_meta) return s.Corrupt("section " + std::string(id) + " before META");
      const std::size_t tags = model.TagCount();
      if (id == "TRAN") {
        TROVE_RETURN_IF_ERROR(ParseFloats(s, (tags + 1) * tags, &model.transitions, "TRAN"));
        has_transitions = true;
      } else {
        TROVE_RETURN_IF_ERROR(
            ParseFloats(s, (std::size_t{1} << model.hash_bits) * tags, &model.weights, "WGHT"));
        has_weights = true;
      }
    } else if (id == "CLUS") {
      TROVE_RETURN_IF_ERROR(ParseClusters(s, &model.clusters));
    } else if (id == "GAZE") {
      TROVE_RETURN_IF_ERROR(ParseGazetteer(s, &model.gazetteer));
    } else if (id == "GZWD") {
      TROVE_RETURN_IF_ERROR(ParseNameWords(s, &model.gazetteer));
    } else if (id == "CASE") {
      TROVE_RETURN_IF_ERROR(ParseCasing(s, &model.casing));
    }  // unknown sections are skipped: a later minor addition need not break older readers
    if (s.remaining() != 0) return s.Corrupt("trailing bytes in section " + std::string(id));
  }
  const std::size_t checksum_offset = r.offset();
  TROVE_ASSIGN_OR_RETURN(const std::uint64_t checksum, r.Get<std::uint64_t>("checksum"));
  if (checksum != Fnv1a(kFnvOffset, bytes.substr(0, checksum_offset))) {
    return Status::Corrupt(name + ": NER model checksum mismatch at offset " +
                           std::to_string(checksum_offset) + " (the file is damaged)");
  }
  if (r.remaining() != 0) return r.Corrupt("trailing bytes after the checksum");
  if (!has_meta || !has_transitions || !has_weights) {
    return Status::Corrupt(name + ": NER model lacks a META, TRAN or WGHT section");
  }
  return model;
}

}  // namespace trove::analyze::ner
