// The watch pass: after an ingest run has committed, the collection's stored watch lists
// (store/watchlists.h) are matched against the documents that run indexed, and the hits are
// kept in the store for `trove watch hits`. User docs: docs/watchlists.md, "Watching".
//
// Only the run's documents are read (from the index, by the source files the ledger says the
// run indexed) and matched in memory (analyze/watch_matcher.h), so that the cost of a pass grows
// with the run and the lists, not with the collection. Each list remembers the last run whose
// documents it was matched against; a pass covers every run after that one, so documents of a
// run whose pass failed or was killed are matched by the next.
//
// It lives here, not in query/ beside `trove xref`, because it is part of an ingest (pipeline,
// layer 2, may not call query, layer 2): the matching itself is in analyze/, which both use.
#pragma once

#include <string>

#include "core/status.h"
#include "pipeline/ingest.h"

namespace trove::pipeline::internal {

// Runs the watch pass after the ingest run that returned `ingested`, and returns that run's
// progress with the watch_* fields set. An ingest that failed is returned unchanged (nothing
// was committed for sure; the next run's pass covers what was). A failure of the pass itself
// never fails the ingest: it is reported in watch_error and in the run's summary in the store.
Result<IngestProgress> MatchWatchLists(const IngestOptions& options,
                                       Result<IngestProgress> ingested);

// The pass alone: matches every list of `collection` against the documents of the runs after
// its matched_run, up to the last run, records the hits and moves matched_run to that run.
// Adds to progress->watch_lists, watch_documents and watch_new_hits. Errors come from the store
// and the index; lists already recorded keep their hits.
Status RunWatchPass(const std::string& collection, IngestProgress* progress);

}  // namespace trove::pipeline::internal
