// The list of extractors, and type detection.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extractor.h"

namespace trove::extract {

class Registry {
 public:
  // A registry holding every built-in extractor (see registry.cc: one line per format).
  static std::unique_ptr<Registry> CreateDefault();

  void Register(std::unique_ptr<Extractor> extractor);
  // The first registered extractor that accepts `media_type`, or nullptr.
  const Extractor* Find(std::string_view media_type) const;

 private:
  std::vector<std::unique_ptr<Extractor>> extractors_;
};

// The media type of `bytes` ("application/pdf"), from their content (libmagic), refined by the
// file name where content alone is ambiguous (OOXML inside zip, CSV inside text).
// `hint` is the container's own claim (an attachment's Content-Type) and is used only when the
// content says nothing more specific than text/plain or application/octet-stream.
std::string DetectMediaType(std::string_view bytes, std::string_view name,
                            std::string_view hint = {});

// A short family name for a media type, used for the `type:` filter and facet: "pdf", "email",
// "word", "spreadsheet", "presentation", "html", "text", "archive", "image", "other"...
std::string_view TypeFamily(std::string_view media_type);

}  // namespace trove::extract
