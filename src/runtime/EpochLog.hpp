#pragma once
// EpochLog: a run's epoch decisions with memory that does not grow with the recording. A run
// that monitors for weeks must not keep every epoch (a soak showed RSS creeping by the epochs
// and their latencies, issue 26): only the last kTail epochs stay in memory, because a confirmed
// event re-labels up to postprocess.min_duration_s - 1 (at most 7) epochs back; older ones are
// final, so their HYP lines go to a scratch file beside the outputs and they feed the TSE/csv_bi
// segments (SegmentBuilder) at once. At the end the HYP is its header and the scratch file's
// lines, byte for byte what hyp_text() of all the epochs gives.
#include <cstddef>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "core/Frame.hpp"
#include "io/AtomicFile.hpp"
#include "io/DetectionFiles.hpp"

namespace streamdx {

class EpochLog {
 public:
  static constexpr std::size_t kTail = 16;

  // `scratch`: where the final lines wait (its ".part" file; removed when this is destroyed).
  explicit EpochLog(const std::filesystem::path& scratch);

  void record(const Frame& decision);
  [[nodiscard]] std::size_t epochs() const noexcept { return flushed_ + tail_.size(); }

  // The segments over `duration_s` (label_segments of every epoch).
  [[nodiscard]] std::vector<LabelledSegment> segments(double duration_s);
  // Writes the HYP atomically to `hyp`.
  void write_hyp(const std::filesystem::path& hyp, const std::vector<std::string>& comments);

 private:
  void settle(std::size_t keep);  // moves all but the newest `keep` epochs out of the tail

  AtomicFile scratch_;  // never committed: a place for the lines, not an output
  std::vector<EpochDecision> tail_;
  std::size_t flushed_ = 0;
  SegmentBuilder segments_;
};

}  // namespace streamdx
