#pragma once
// EegFileSource: the acquisition stage for recorded files (EDF, EDF+, BDF). Reads one data
// record at a time (open_edf: EDFlib, or the tolerant reader for what EDFlib refuses), keeps
// the channels the montage needs, and hands them to the EegPreprocessor, which yields 250 Hz,
// 0.1 s frames. Channels that are not EEG, and annotation channels, are dropped. The channels
// the montage uses must share one sample rate; the error names them when they do not.
#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string_view>

#include "core/Stage.hpp"
#include "io/EdfReader.hpp"
#include "stages/eeg/PreprocessedFrames.hpp"

namespace streamdx {

// Which signals of `h` a montage may use: not annotations, and, for MontageKind::kNone (which
// keeps signals as they are), only those at the EEG channels' rate, i.e. the rate of the first
// signal with an EEG label (else of the first signal). Side channels at other rates (TUSZ's 1 Hz
// IBI/BURSTS/SUPPR, a 37 Hz status line) are dropped.
std::vector<bool> montage_candidates(const EdfHeader& h, MontageKind kind);

class EegFileSource {
 public:
  static constexpr std::string_view kName = "acquire";
  static constexpr bool kNeverWaits = true;  // reads a file (Stage.hpp: never_waits)

  EegFileSource(const std::filesystem::path& path, const EegSourceSettings& settings);

  [[nodiscard]] StreamInfo info() const { return frames_.info(); }
  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& stop);

  [[nodiscard]] const EdfRecordReader& reader() const { return *reader_; }
  [[nodiscard]] const EegPreprocessor& preprocessor() const { return frames_.preprocessor(); }
  [[nodiscard]] std::vector<std::string> labels() const;

 private:
  std::unique_ptr<EdfRecordReader> reader_;
  PreprocessedFrames frames_;
  std::vector<float> block_;
  std::int64_t next_record_ = 0;
  std::int64_t end_record_ = 0;
};

}  // namespace streamdx
