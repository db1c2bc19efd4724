#include "extract/registry.h"

#include "extract/internal/builtin.h"

namespace trove::extract {

std::unique_ptr<Registry> Registry::CreateDefault() {
  auto registry = std::make_unique<Registry>();
  // To add a format: a folder with its extractor and fixtures, and one line here. Specific
  // types come before the catch-all text extractor.
  registry->Register(internal::NewPdfExtractor());
  registry->Register(internal::NewOoxmlExtractor());
  registry->Register(internal::NewOdfExtractor());
  registry->Register(internal::NewEmailExtractor());
  registry->Register(internal::NewMboxExtractor());
  registry->Register(internal::NewMsgExtractor());
  registry->Register(internal::NewPstExtractor());
  registry->Register(internal::NewLegacyOfficeExtractor());
  registry->Register(internal::NewEpubExtractor());
  registry->Register(internal::NewMhtmlExtractor());
  registry->Register(internal::NewSmimeExtractor());
  registry->Register(internal::NewHtmlExtractor());
  registry->Register(internal::NewRtfExtractor());
  registry->Register(internal::NewCsvExtractor());
  registry->Register(internal::NewArchiveExtractor());
  registry->Register(internal::NewImageExtractor());
  registry->Register(internal::NewTextExtractor());
  return registry;
}

void Registry::Register(std::unique_ptr<Extractor> extractor) {
  extractors_.push_back(std::move(extractor));
}

const Extractor* Registry::Find(std::string_view media_type) const {
  for (const auto& extractor : extractors_) {
    if (extractor->Accepts(media_type)) return extractor.get();
  }
  return nullptr;
}

}  // namespace trove::extract
