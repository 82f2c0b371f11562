#pragma once
// SampleStreamSource: the acquisition stage for byte streams: stdin (`--from -`), pipes, CSV and
// one-value-per-line text files (the Bonn segments). Bytes go through SampleStreamParser, then
// the EegPreprocessor (montage, 250 Hz, 0.1 s frames). The header (raw) or first row (text) is
// read in the constructor, so the stream's channels are known before the pipeline starts.
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/Stage.hpp"
#include "io/SampleStreamParser.hpp"
#include "stages/eeg/EegFileSource.hpp"

namespace streamdx {

class SampleStreamSource {
 public:
  static constexpr std::string_view kName = "acquire";

  // `path` "-" reads stdin. `rate_hz` (0: none) is the rate of text input without "# rate=".
  SampleStreamSource(const std::string& path, double rate_hz, const EegSourceSettings& settings);
  ~SampleStreamSource();
  SampleStreamSource(SampleStreamSource&& other) noexcept;
  SampleStreamSource& operator=(SampleStreamSource&&) = delete;
  SampleStreamSource(const SampleStreamSource&) = delete;
  SampleStreamSource& operator=(const SampleStreamSource&) = delete;

  [[nodiscard]] StreamInfo info() const { return frames_.info(); }
  std::optional<SourceBlockInfo> produce(std::span<float> out, const std::stop_token& stop);

  [[nodiscard]] const SampleStreamHeader& header() const { return *parser_->header(); }
  [[nodiscard]] const EegPreprocessor& preprocessor() const { return frames_.preprocessor(); }
  // The input's own length so far: samples read / the input's rate (not whole output frames).
  // Shared, so that the run's outputs can read it after the source has been moved into its node.
  [[nodiscard]] std::shared_ptr<const std::atomic<double>> input_seconds() const {
    return input_seconds_;
  }

 private:
  // Reads what is there (waiting up to 100 ms); false at end of input.
  bool read_some(const std::stop_token* stop);
  void forward_samples();
  // Feeds the preprocessor the next samples; false at end of input.
  bool feed(const std::stop_token& stop);

  std::string name_;
  int fd_ = -1;
  bool owns_fd_ = false;
  bool eof_ = false;
  std::unique_ptr<SampleStreamParser> parser_;
  PreprocessedFrames frames_;
  std::vector<float> block_;
  std::vector<float> used_block_;  // the inputs the montage uses, when the stream has others
  std::uint64_t samples_pushed_ = 0;
  std::shared_ptr<std::atomic<double>> input_seconds_ = std::make_shared<std::atomic<double>>(0.0);
};

}  // namespace streamdx
