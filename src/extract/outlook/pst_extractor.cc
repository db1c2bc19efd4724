// Outlook PST/OST stores (application/vnd.ms-outlook-pst) with libpff. The folder tree becomes
// the path chain ("backup.pst!/Top of Personal Folders/Inbox/<message-id>"); every message is
// written as an RFC 822 message (mapi_message.h) and handed to the sink one at a time, so a
// store of any size is never held as text: the e-mail extractor then reads each one, and its
// attachments become the message's children.
//
// libpff reads the store through a libbfio memory range over the input bytes: no copy, no
// temporary file.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <libbfio.h>
#include <libpff.h>

#include "core/text.h"
#include "extract/extractor.h"
#include "extract/internal/builtin.h"
#include "extract/outlook/mapi_message.h"
#include "extract/text/decode.h"

namespace trove::extract::internal {
namespace {

// Folders nest a few levels in real stores; a damaged one may loop.
constexpr int kMaxFolderDepth = 64;
constexpr int kMaxNesting = 8;  // attached messages inside attached messages
constexpr std::size_t kMaxNameBytes = 255;
constexpr std::size_t kMaxListedFolders = 1000;

// Owns a libpff error and turns it into text.
class PffError {
 public:
  PffError() = default;
  ~PffError() { Clear(); }
  PffError(const PffError&) = delete;
  PffError& operator=(const PffError&) = delete;

  libpff_error_t** out() {
    Clear();
    return &error_;
  }
  std::string Text() const {
    if (error_ == nullptr) return "unknown libpff error";
    char buffer[512] = {};
    libpff_error_sprint(error_, buffer, sizeof(buffer));
    std::string text = SanitizeUtf8(buffer);
    for (char& ch : text) {
      if (ch == '\n' || ch == '\r') ch = ' ';
    }
    return text;
  }
  void Clear() {
    if (error_ != nullptr) libpff_error_free(&error_);
    error_ = nullptr;
  }

 private:
  libpff_error_t* error_ = nullptr;
};

struct ItemFree {
  void operator()(libpff_item_t* item) const {
    if (item != nullptr) libpff_item_free(&item, nullptr);
  }
};
using ItemPtr = std::unique_ptr<libpff_item_t, ItemFree>;

struct RecordSetFree {
  void operator()(libpff_record_set_t* set) const {
    if (set != nullptr) libpff_record_set_free(&set, nullptr);
  }
};
struct RecordEntryFree {
  void operator()(libpff_record_entry_t* entry) const {
    if (entry != nullptr) libpff_record_entry_free(&entry, nullptr);
  }
};
using RecordEntryPtr = std::unique_ptr<libpff_record_entry_t, RecordEntryFree>;

// The properties of one record set of an item (set 0 for messages and attachments; one set per
// recipient in a recipients item).
class PstProperties final : public MapiProperties {
 public:
  PstProperties(libpff_item_t* item, int set, std::uint64_t max_bytes) : max_bytes_(max_bytes) {
    PffError error;
    libpff_record_set_t* raw = nullptr;
    if (libpff_item_get_record_set_by_index(item, set, &raw, error.out()) == 1) set_.reset(raw);
  }

  std::string String(std::uint16_t id) const override {
    RecordEntryPtr entry = Entry(id);
    PffError error;
    std::size_t size = 0;
    if (!entry ||
        libpff_record_entry_get_data_as_utf8_string_size(entry.get(), &size, error.out()) != 1 ||
        size == 0 || size > max_bytes_) {
      return {};
    }
    std::string value(size, '\0');
    if (libpff_record_entry_get_data_as_utf8_string(
            entry.get(), reinterpret_cast<uint8_t*>(value.data()), size, error.out()) != 1) {
      return {};
    }
    const std::size_t nul = value.find('\0');
    if (nul != std::string::npos) value.resize(nul);
    return SanitizeUtf8(value);
  }

  std::string Binary(std::uint16_t id) const override {
    RecordEntryPtr entry = Entry(id);
    PffError error;
    std::size_t size = 0;
    if (!entry || libpff_record_entry_get_data_size(entry.get(), &size, error.out()) != 1 ||
        size == 0 || size > max_bytes_) {
      return {};
    }
    std::string value(size, '\0');
    if (libpff_record_entry_get_data(entry.get(), reinterpret_cast<uint8_t*>(value.data()), size,
                                     error.out()) != 1) {
      return {};
    }
    return value;
  }

  std::optional<std::uint64_t> Integer(std::uint16_t id) const override {
    RecordEntryPtr entry = Entry(id);
    if (!entry) return std::nullopt;
    PffError error;
    if (id == mapi::kClientSubmitTime || id == mapi::kDeliveryTime) {
      std::uint64_t filetime = 0;
      if (libpff_record_entry_get_data_as_filetime(entry.get(), &filetime, error.out()) == 1) {
        return filetime;
      }
      return std::nullopt;
    }
    std::uint32_t value = 0;
    if (libpff_record_entry_get_data_as_32bit_integer(entry.get(), &value, error.out()) == 1) {
      return value;
    }
    return std::nullopt;
  }

 private:
  RecordEntryPtr Entry(std::uint16_t id) const {
    if (!set_) return nullptr;
    PffError error;
    libpff_record_entry_t* raw = nullptr;
    if (libpff_record_set_get_entry_by_type(set_.get(), id, 0, &raw,
                                            LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE,
                                            error.out()) != 1) {
      return nullptr;
    }
    return RecordEntryPtr(raw);
  }

  std::unique_ptr<libpff_record_set_t, RecordSetFree> set_;
  std::uint64_t max_bytes_;
};

// A message body through one of libpff's body getters (which decode code pages and undo RTF
// compression); empty when absent or over `max_bytes`.
template <typename SizeFn, typename BodyFn>
std::string ReadBody(libpff_item_t* message, SizeFn size_fn, BodyFn body_fn,
                     std::uint64_t max_bytes) {
  PffError error;
  std::size_t size = 0;
  if (size_fn(message, &size, error.out()) != 1 || size == 0 || size > max_bytes) return {};
  std::string body(size, '\0');
  if (body_fn(message, reinterpret_cast<uint8_t*>(body.data()), size, error.out()) != 1) return {};
  while (!body.empty() && body.back() == '\0') body.pop_back();
  return body;
}

// One path-chain element: no separators, valid UTF-8, bounded.
std::string SafeElement(std::string_view raw) {
  std::string name = SanitizeUtf8(raw);
  for (char& ch : name) {
    if (ch == '/' || ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\f') ch = '_';
  }
  TruncateUtf8(&name, kMaxNameBytes);
  return name;
}

struct Failure {
  std::string name;
  Status why;
};

class PstReader {
 public:
  PstReader(const Input& input, ChildSink& sink) : input_(input), sink_(sink) {}

  // Reads `message` (a message item or an attached message). Problems with single attachments
  // are recorded under `name`.
  MapiMessage ReadMessage(libpff_item_t* message, const std::string& name, int depth) {
    const std::uint64_t max_bytes = input_.limits.max_child_bytes;
    PstProperties properties(message, 0, max_bytes);
    MapiMessage out;
    ReadMessageHeaders(properties, &out);
    out.body_text = ReadBody(message, libpff_message_get_plain_text_body_size,
                             libpff_message_get_plain_text_body, max_bytes);
    if (out.body_text.empty()) {
      out.body_html = ReadBody(message, libpff_message_get_html_body_size,
                               libpff_message_get_html_body, max_bytes);
    }
    if (out.body_text.empty() && out.body_html.empty()) {
      out.body_rtf = ReadBody(message, libpff_message_get_rtf_body_size,
                              libpff_message_get_rtf_body, max_bytes);
    }
    PffError error;
    libpff_item_t* raw_recipients = nullptr;
    if (libpff_message_get_recipients(message, &raw_recipients, error.out()) == 1) {
      ItemPtr recipients(raw_recipients);
      int count = 0;
      if (libpff_item_get_number_of_record_sets(recipients.get(), &count, error.out()) == 1) {
        for (int idx = 0; idx < count; ++idx) {
          PstProperties recipient(recipients.get(), idx, max_bytes);
          out.recipients.push_back(ReadRecipient(recipient));
        }
      }
    }
    ReadAttachments(message, name, depth, &out);
    return out;
  }

  std::vector<Failure>& failures() { return failures_; }

 private:
  void ReadAttachments(libpff_item_t* message, const std::string& name, int depth,
                       MapiMessage* out) {
    const std::uint64_t max_bytes = input_.limits.max_child_bytes;
    PffError error;
    int count = 0;
    if (libpff_message_get_number_of_attachments(message, &count, error.out()) != 1) return;
    std::uint64_t attached_bytes = 0;
    for (int idx = 0; idx < count; ++idx) {
      libpff_item_t* raw_attachment = nullptr;
      std::string fallback = "attachment-" + std::to_string(idx + 1);
      if (libpff_message_get_attachment(message, idx, &raw_attachment, error.out()) != 1) {
        failures_.push_back(
            {name + "/" + fallback, Status::Corrupt("unreadable attachment: " + error.Text())});
        continue;
      }
      ItemPtr attachment(raw_attachment);
      PstProperties properties(attachment.get(), 0, max_bytes);
      MapiAttachment item;
      item.name = properties.String(mapi::kAttachLongFilename);
      if (item.name.empty()) item.name = properties.String(mapi::kAttachFilename);
      if (item.name.empty()) item.name = properties.String(mapi::kDisplayName);
      item.media_type = properties.String(mapi::kAttachMimeTag);
      int type = 0;
      if (libpff_attachment_get_type(attachment.get(), &type, error.out()) != 1) type = 0;
      if (type == LIBPFF_ATTACHMENT_TYPE_ITEM) {
        if (item.name.empty()) item.name = fallback + ".eml";
        libpff_item_t* raw_inner = nullptr;
        if (depth + 1 >= kMaxNesting) {
          failures_.push_back({name + "/" + item.name,
                               Status::LimitExceeded("attached messages nested deeper than " +
                                                     std::to_string(kMaxNesting) + " levels")});
          continue;
        }
        if (libpff_attachment_get_item(attachment.get(), &raw_inner, error.out()) != 1) {
          failures_.push_back({name + "/" + item.name,
                               Status::Corrupt("unreadable attached message: " + error.Text())});
          continue;
        }
        ItemPtr inner(raw_inner);
        item.bytes = ComposeRfc822(ReadMessage(inner.get(), name + "/" + item.name, depth + 1));
      } else if (type == LIBPFF_ATTACHMENT_TYPE_DATA) {
        if (item.name.empty()) item.name = fallback + ".bin";
        size64_t size = 0;
        if (libpff_attachment_get_data_size(attachment.get(), &size, error.out()) != 1) {
          failures_.push_back({name + "/" + item.name,
                               Status::Corrupt("attachment without data: " + error.Text())});
          continue;
        }
        if (size > max_bytes || attached_bytes + size > max_bytes) {
          failures_.push_back(
              {name + "/" + item.name,
               Status::LimitExceeded("attachment " + item.name + " is " + std::to_string(size) +
                                     " bytes, over the size limit")});
          continue;
        }
        item.bytes.resize(static_cast<std::size_t>(size));
        if (size > 0 &&
            libpff_attachment_data_seek_offset(attachment.get(), 0, SEEK_SET, error.out()) < 0) {
          failures_.push_back({name + "/" + item.name,
                               Status::Corrupt("unreadable attachment data: " + error.Text())});
          continue;
        }
        const ssize_t read =
            size == 0 ? 0
                      : libpff_attachment_data_read_buffer(
                            attachment.get(), reinterpret_cast<uint8_t*>(item.bytes.data()),
                            item.bytes.size(), error.out());
        if (read < 0 || static_cast<size64_t>(read) != size) {
          failures_.push_back({name + "/" + item.name,
                               Status::Corrupt("truncated attachment data: " + error.Text())});
          continue;
        }
      } else {
        // A reference to a file outside the store: there is nothing to read.
        continue;
      }
      attached_bytes += item.bytes.size();
      out->attachments.push_back(std::move(item));
    }
  }

  const Input& input_;
  ChildSink& sink_;
  std::vector<Failure> failures_;
};

std::string FolderName(libpff_item_t* folder) {
  PffError error;
  std::size_t size = 0;
  if (libpff_folder_get_utf8_name_size(folder, &size, error.out()) != 1 || size == 0 ||
      size > 4096) {
    return {};
  }
  std::string name(size, '\0');
  if (libpff_folder_get_utf8_name(folder, reinterpret_cast<uint8_t*>(name.data()), size,
                                  error.out()) != 1) {
    return {};
  }
  const std::size_t nul = name.find('\0');
  if (nul != std::string::npos) name.resize(nul);
  return SafeElement(name);
}

std::string MessageName(const MapiMessage& message, int identifier) {
  std::string id = message.message_id;
  while (!id.empty() && (id.front() == '<' || id.front() == ' ')) id.erase(0, 1);
  while (!id.empty() && (id.back() == '>' || id.back() == ' ')) id.pop_back();
  if (!id.empty() && id.find_first_of("\r\n") == std::string::npos)
    return "<" + SafeElement(id) + ">";
  return "message-" + std::to_string(identifier);
}

class PstExtractor final : public Extractor {
 public:
  std::string_view Name() const override { return "pst"; }

  bool Accepts(std::string_view media_type) const override {
    const std::string type = BareMediaType(media_type);
    return type == "application/vnd.ms-outlook-pst" || type == "application/x-outlook-pst";
  }

  Result<Extraction> Extract(const Input& input, ChildSink& children) const override {
    // Debian's libbfio reads a whole header-sized block from a memory range without clamping it
    // to the range (found by ASan on a 100-byte input): refuse what cannot hold a PST header
    // and its first pages. A real store is never this small.
    constexpr std::size_t kMinPstBytes = 4096;
    if (input.bytes.size() < kMinPstBytes) {
      return Status::Corrupt("too small to be a PST/OST store (" +
                             std::to_string(input.bytes.size()) + " bytes)");
    }
    // libbfio wants a mutable pointer, but the range is opened read-only.
    libbfio_handle_t* handle = nullptr;
    libbfio_error_t* bfio_error = nullptr;
    if (libbfio_memory_range_initialize(&handle, &bfio_error) != 1 ||
        libbfio_memory_range_set(handle,
                                 reinterpret_cast<uint8_t*>(const_cast<char*>(input.bytes.data())),
                                 input.bytes.size(), &bfio_error) != 1) {
      if (bfio_error != nullptr) libbfio_error_free(&bfio_error);
      if (handle != nullptr) libbfio_handle_free(&handle, nullptr);
      return Status::Internal("cannot set up a memory range for the PST");
    }
    PffError error;
    libpff_file_t* file = nullptr;
    if (libpff_file_initialize(&file, error.out()) != 1) {
      libbfio_handle_free(&handle, nullptr);
      return Status::Internal("libpff: " + error.Text());
    }
    Result<Extraction> result = Status::Internal("unreachable");
    if (libpff_file_open_file_io_handle(file, handle, LIBPFF_OPEN_READ, error.out()) != 1) {
      result = Status::Corrupt("not a readable PST/OST store: " + error.Text());
    } else {
      result = Walk(file, input, children);
      libpff_file_close(file, nullptr);
    }
    libpff_file_free(&file, nullptr);
    libbfio_handle_free(&handle, nullptr);
    return result;
  }

 private:
  static Result<Extraction> Walk(libpff_file_t* file, const Input& input, ChildSink& children) {
    PffError error;
    libpff_item_t* raw_root = nullptr;
    if (libpff_file_get_root_folder(file, &raw_root, error.out()) != 1) {
      return Status::Corrupt("PST has no readable root folder: " + error.Text());
    }
    Extraction extraction;
    libpff_item_t* raw_store = nullptr;
    if (libpff_file_get_message_store(file, &raw_store, error.out()) == 1) {
      ItemPtr store(raw_store);
      extraction.title = PstProperties(store.get(), 0, 4096).String(mapi::kDisplayName);
    }
    struct Pending {
      ItemPtr folder;
      std::string path;  // folder names joined with '/', empty for the root
      int depth;
    };
    std::vector<Pending> stack;
    stack.push_back({ItemPtr(raw_root), "", 0});
    std::uint64_t message_count = 0;
    std::uint64_t folder_count = 0;
    std::string folder_list;
    PstReader reader(input, children);
    while (!stack.empty()) {
      Pending current = std::move(stack.back());
      stack.pop_back();
      libpff_item_t* folder = current.folder.get();
      if (!current.path.empty() && folder_count++ < kMaxListedFolders) {
        folder_list += current.path + "\n";
      }
      int message_total = 0;
      if (libpff_folder_get_number_of_sub_messages(folder, &message_total, error.out()) != 1) {
        children.OnChildFailed(current.path.empty() ? "(root folder)" : current.path,
                               Status::Corrupt("unreadable folder: " + error.Text()));
        message_total = 0;
      }
      for (int idx = 0; idx < message_total; ++idx) {
        const std::string prefix = current.path.empty() ? "" : current.path + "/";
        libpff_item_t* raw_message = nullptr;
        if (libpff_folder_get_sub_message(folder, idx, &raw_message, error.out()) != 1) {
          children.OnChildFailed(prefix + "message-" + std::to_string(idx + 1),
                                 Status::Corrupt("unreadable message: " + error.Text()));
          continue;
        }
        ItemPtr message(raw_message);
        std::uint32_t identifier = 0;
        libpff_item_get_identifier(message.get(), &identifier, nullptr);
        const std::string fallback = prefix + "message-" + std::to_string(identifier);
        MapiMessage mapi = reader.ReadMessage(message.get(), fallback, 0);
        const std::string name = prefix + MessageName(mapi, static_cast<int>(identifier));
        for (Failure& failure : reader.failures()) {
          children.OnChildFailed(std::move(failure.name), std::move(failure.why));
        }
        reader.failures().clear();
        std::string bytes = ComposeRfc822(mapi);
        mapi = MapiMessage();  // the attachments are in `bytes` now
        if (bytes.size() > input.limits.max_child_bytes) {
          children.OnChildFailed(
              name, Status::LimitExceeded("message " + name + " is " +
                                          std::to_string(bytes.size()) + " bytes as RFC 822"));
          continue;
        }
        ++message_count;
        TROVE_RETURN_IF_ERROR(
            children.OnChild(ChildFile{name, std::move(bytes), "message/rfc822", std::nullopt}));
      }
      int folder_total = 0;
      if (libpff_folder_get_number_of_sub_folders(folder, &folder_total, error.out()) != 1) {
        folder_total = 0;
      }
      if (current.depth + 1 >= kMaxFolderDepth && folder_total > 0) {
        children.OnChildFailed(current.path,
                               Status::LimitExceeded("folders nested deeper than " +
                                                     std::to_string(kMaxFolderDepth) + " levels"));
        continue;
      }
      // Pushed in reverse so that folders come out in store order.
      for (int idx = folder_total - 1; idx >= 0; --idx) {
        libpff_item_t* raw_sub = nullptr;
        if (libpff_folder_get_sub_folder(folder, idx, &raw_sub, error.out()) != 1) {
          children.OnChildFailed(current.path + "/folder-" + std::to_string(idx + 1),
                                 Status::Corrupt("unreadable folder: " + error.Text()));
          continue;
        }
        ItemPtr sub(raw_sub);
        std::string name = FolderName(sub.get());
        if (name.empty()) name = "folder-" + std::to_string(idx + 1);
        stack.push_back({std::move(sub), current.path.empty() ? name : current.path + "/" + name,
                         current.depth + 1});
      }
    }
    extraction.is_truncated = TruncateUtf8(&folder_list, input.limits.max_text_bytes);
    extraction.text = std::move(folder_list);
    extraction.metadata.emplace_back("folders", std::to_string(folder_count));
    extraction.metadata.emplace_back("messages", std::to_string(message_count));
    return extraction;
  }
};

}  // namespace

std::unique_ptr<Extractor> NewPstExtractor() { return std::make_unique<PstExtractor>(); }

}  // namespace trove::extract::internal
