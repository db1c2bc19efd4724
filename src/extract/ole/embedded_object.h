// Embedded OLE objects (MS-OLEDS): the files that an Office document's embedded objects hold,
// sent to a ChildSink as child documents.
//
// An embedded object is an OLE storage, either the root of a compound file of its own (an OOXML
// word/embeddings/oleObject1.bin, an ODF "Object 1" member, a PowerPoint ExOleObjStg record) or a
// storage inside the document's compound file (Word's ObjectPool/_1345470949, Excel's
// MBD0003271D). What it holds decides the child:
//   \001Ole10Native    an OLE 1.0 "Package" object wrapping any file: the file itself, under the
//                      name it was embedded with ("budget.xls", "C:\Temp\notes.txt" -> "notes.txt")
//   Package            an Office 2007+ document (docx, xlsx, pptx), whole
//   WordDocument, Workbook/Book, PowerPoint Document, __properties_version1.0
//                      the storage is itself a Word, Excel, PowerPoint or Outlook (.msg) file: a
//                      compound file child (copied out with libgsf when it is a sub-storage)
//   CONTENTS           some servers' native data (Acrobat keeps the PDF here)
// Equations (Equation Native) are skipped: their text is a formula's, not a document's. Any other
// object is reported through ChildSink::OnChildSkipped with its type name, as a file of an
// unsupported type is skipped, so that what was found is on record. Every length read from the input is checked against the bytes
// that hold it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "extract/extractor.h"
#include "extract/ole/ole_file.h"

namespace trove::extract::internal {

// The file inside an \001Ole10Native stream.
struct Ole10NativeFile {
  std::string name;       // the label, else the last element of the source path; may be empty
  std::string_view data;  // a slice of the stream
};

// Parses an \001Ole10Native stream: a 4-byte size, then (when the next two bytes are 2) the
// label, source path and temporary path, then the data's 4-byte size and the data, then
// optionally the same strings in UTF-16. A stream in another layout is taken as raw data after
// its size. Corrupt, naming the field, when a length runs past the end of the stream.
Result<Ole10NativeFile> ParseOle10Native(std::string_view stream);

// The names an \001CompObj stream gives the object's server.
struct CompObjNames {
  std::string user_type;  // "Microsoft Office Excel Worksheet"
  std::string prog_id;    // "Excel.Sheet.8"
};

// Reads an \001CompObj stream (MS-OLEDS 2.3.8); empty names when it is absent or damaged.
CompObjNames ParseCompObj(std::string_view stream);

// Sends the file(s) of the embedded object at `storage` in `file` to `sink`. `file_bytes` are
// the compound file's own bytes when `storage` is its root (a whole-document object is then sent
// as it is), else empty. `stem` names a child whose object carries no file name, with an
// extension for what was found appended ("word/embeddings/oleObject1" -> ".../oleObject1.pdf").
// A damaged or unreadable object goes to sink.OnChildFailed; the result is not OK only when the
// sink refuses a child (its status is returned).
Status EmitEmbeddedObject(const OleFile& file, const std::vector<std::string>& storage,
                          std::string_view file_bytes, std::string_view stem, const Limits& limits,
                          ChildSink& sink);

// Like EmitEmbeddedObject for `bytes` holding one object at the root of its own compound file;
// bytes that are not a compound file are reported through sink.OnChildFailed.
Status EmitEmbeddedCompoundFile(std::string_view bytes, std::string_view stem, const Limits& limits,
                                ChildSink& sink);

}  // namespace trove::extract::internal
