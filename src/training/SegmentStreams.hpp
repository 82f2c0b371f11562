#pragma once
// Continuous streams joined from short single-channel segments, for training and validating a
// model that needs context longer than one segment (a background before a seizure). Segments
// are joined end to end as recorded (no cross-fade), written as a text recording ("# rate=R",
// then one value a line) with its csv_bi reference beside it, and labelled by the seizure
// segments' intervals. Streams only ever join segments of one
// corpus and one recording kind (models/SPLIT-delhi.md).
#include <filesystem>
#include <string>
#include <vector>

#include "training/EegCorpus.hpp"

namespace streamdx {

struct SegmentFile {
  std::filesystem::path path;  // one value a line
  bool seizure = false;
};

// Writes `segments` joined into `out` (atomically) and returns it as a recording at `rate_hz`,
// its seizure segments as its seizure intervals. Throws naming a segment that cannot be read or
// holds no samples.
LabelledRecording join_segments(const std::vector<SegmentFile>& segments, double rate_hz,
                                const std::filesystem::path& out);

// The values of a one-value-a-line text segment.
std::vector<float> read_segment(const std::filesystem::path& path);

}  // namespace streamdx
