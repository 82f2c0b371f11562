#pragma once
// BatchMerge: the tasks of a plan stitched into each recording's outputs, and the corpus report.
//
// Per recording, in its folder (plan.recordings[i].out_dir): NAME.hyp, NAME.tse and NAME.csv_bi,
// written by the same code as `streamdx run` from the tasks' epoch decisions in order, so they
// are the files an unchunked run writes, byte for byte; and run.json saying how it was made.
// Where a chunk's background state at its checkpoint differs from its predecessor's, the chunk
// is re-run here from the recording's start (BatchPlan.hpp), and run.json counts it.
//
// In OUT: report.txt and report.json (streamdx score over every recording with a reference, per
// recording and pooled, and every recording that failed or had none), events.csv (every
// detected event). A recording whose task failed is reported as failed, never as one without
// seizures.
#include <cstddef>
#include <string>
#include <vector>

#include "batch/BatchPlan.hpp"

namespace streamdx::batch {

struct MergeSummary {
  std::size_t merged = 0;
  std::size_t failed = 0;  // recordings that could not be read (their reasons are reported)
  std::size_t scored = 0;  // recordings with a reference
  std::size_t reruns = 0;  // chunks re-run from their recording's start
};

// Throws, naming them, when tasks have not finished: the merge then writes nothing.
MergeSummary merge_batch(const BatchPlan& plan);

}  // namespace streamdx::batch
