// Every entity mention of a document's text: pattern entities (entities.h) and, where a model
// exists for the document's language, people, organisations and places (ner.h), normalised
// into entities: titles dropped ("M. Hollande" -> "Hollande"), spacing and case settled, and a
// short form linked to the one full name of the document it ends ("Hollande" -> "François
// Hollande"). Text that is not prose (table cells, list items, the lines of a slide: one line
// or tab-separated cell each) is tagged line by line and cell by cell, and a name made of
// layout words alone there ("Row 1 Col 1", "Figure 2") is dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace trove::analyze {

struct MentionOptions {
  bool with_names = true;  // run the sequence tagger (people, organisations, places)
};

// The mentions of `utf8_text` (a document in `lang`, "" when unknown), in text order.
// Thread-safe. A missing or unreadable model is reported once on stderr and costs only the
// names; the pattern entities are still found.
std::vector<EntityMention> FindMentions(std::string_view utf8_text, std::string_view lang,
                                        const MentionOptions& options = {});

// The name of a person as an entity: honorifics and titles before it dropped, spaces collapsed,
// an all-capitals name put in title case ("M. FRANÇOIS  HOLLANDE" -> "François Hollande").
std::string NormalisePersonName(std::string_view name);

// True when `word` is an honorific or a title that may come before a name ("Mr", "M.", "Dr",
// "President"), compared folded and without its final dot.
bool IsHonorific(std::string_view word);

// Links the short forms of person names within one document to the full name they end, when
// exactly one full name of the document ends with them ("Hollande", "HOLLANDE" ->
// "François Hollande"). Works on `mentions` in place.
void LinkShortNames(std::vector<EntityMention>& mentions);

}  // namespace trove::analyze
