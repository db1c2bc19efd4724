// Factories of the built-in extractors, one per format family. Each is defined in its family's
// folder; registry.cc lists them in the order they are tried.
#pragma once

#include <memory>

#include "extract/extractor.h"

namespace trove::extract::internal {

std::unique_ptr<Extractor> NewPdfExtractor();      // pdf/
std::unique_ptr<Extractor> NewOoxmlExtractor();    // office/: docx, xlsx, pptx
std::unique_ptr<Extractor> NewOdfExtractor();      // office/: odt, ods, odp
std::unique_ptr<Extractor> NewEmailExtractor();    // email/: message/rfc822
std::unique_ptr<Extractor> NewMboxExtractor();     // email/: application/mbox
std::unique_ptr<Extractor> NewHtmlExtractor();     // html/
std::unique_ptr<Extractor> NewRtfExtractor();      // rtf/
std::unique_ptr<Extractor> NewCsvExtractor();      // text/: text/csv
std::unique_ptr<Extractor> NewTextExtractor();     // text/: any other text/*
std::unique_ptr<Extractor> NewArchiveExtractor();  // archive/: zip, tar, 7z, gzip, bzip2, xz
std::unique_ptr<Extractor> NewMsgExtractor();      // outlook/: .msg
std::unique_ptr<Extractor> NewPstExtractor();      // outlook/: PST/OST stores
std::unique_ptr<Extractor> NewLegacyOfficeExtractor();  // legacy/: doc, xls, ppt (97-2003)
std::unique_ptr<Extractor> NewEpubExtractor();     // epub/
std::unique_ptr<Extractor> NewMhtmlExtractor();    // email/: multipart/related web archives
std::unique_ptr<Extractor> NewSmimeExtractor();    // smime/: PKCS #7 signed data (.p7m)
std::unique_ptr<Extractor> NewImageExtractor();    // ocr/: png, jpeg, tiff, gif, bmp, webp

}  // namespace trove::extract::internal
