#pragma once
// Long continuous test recordings stitched from Bonn segments, for evaluating the whole
// pipeline on streams of real EEG: background from sets A-D, seizure events from set E,
// segment order and event placement drawn from a seed, joins cross-faded over 0.5 s.
//
// Bonn's 173.61 Hz cannot be written to EDF (no whole number of samples fits a record of at
// most 60 s), so the stitched signal is resampled to 250 Hz with the pipeline's own resampler
// and written as EDF+ with the csv_bi reference of its events beside it.
#include <filesystem>
#include <string>
#include <vector>

#include "scoring/EventScoring.hpp"

namespace streamdx {

struct StitchOptions {
  std::filesystem::path bonn_root;
  int first_segment = 81;  // the test split by default
  int last_segment = 100;
  std::uint64_t seed = 1;
  std::size_t channels = 1;
  std::size_t seizure_channels = 0;  // channels carrying set E during an event (0: all)
  std::size_t events = 3;
  double background_s = 600;  // at least this much background in all
};

struct StitchedRecording {
  std::vector<std::vector<float>> channels;  // 250 Hz, µV-like units as in the Bonn files
  std::vector<Interval> seizures;            // seconds
  double duration_s = 0;
  std::vector<std::vector<std::string>> segments;  // per channel, in order: for the sidecar
};

StitchedRecording stitch_bonn(const StitchOptions& options);

// Writes OUT.edf (EDF+), OUT.csv_bi (the reference) and OUT.json (how it was made).
void write_stitched(const StitchedRecording& rec, const StitchOptions& options,
                    const std::filesystem::path& edf_path);

}  // namespace streamdx
