#pragma once
// SampleStreamParser: turns a byte stream (stdin, a pipe, a text file) into multichannel sample
// blocks, whatever the chunking: the same bytes give the same blocks if they arrive all at once
// or one byte at a time. Two formats, told apart by the first bytes (docs/ACQUISITION.md):
//
// raw:  one header line, then interleaved little-endian samples, channel by channel per instant:
//         streamdx-raw 1; rate=256; type=float32; channels=EEG FP1-REF,EEG F7-REF,...\n
//       type is float32 or int16; an optional scale=<µV per unit> multiplies int16 values.
// text: CSV or one value per line. An optional first row of channel labels (any row that is not
//       all numbers), then one row per sample instant, comma- (or tab-/semicolon-) separated.
//       The sample rate comes from the caller (--rate), or from a leading "# rate=256" line.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace streamdx {

struct SampleStreamHeader {
  std::vector<std::string> labels;
  double rate_hz = 0;
  std::string format;  // "raw float32", "raw int16", "text"
};

class SampleStreamParser {
 public:
  // `name` is the source in errors ("stdin", a path). `default_rate_hz` (0: none) is used for
  // text without a "# rate=" line; `default_label` names a single unlabeled text column.
  SampleStreamParser(std::string name, double default_rate_hz, std::string default_label);

  void feed(std::span<const std::uint8_t> bytes);
  // End of input: a partial last sample instant is an error (a truncated stream).
  void finish();

  // Known once the header (raw) or the first data row (text) has been parsed.
  [[nodiscard]] const std::optional<SampleStreamHeader>& header() const noexcept { return header_; }
  // Complete sample instants parsed so far and not yet taken, planar (channel-major).
  [[nodiscard]] std::size_t available() const noexcept;
  void take(std::size_t samples, std::vector<float>& planar);

 private:
  void parse_raw_header(const std::string& line);
  void parse_text_line(const std::string& line);
  void parse_raw_samples();
  [[noreturn]] void fail(const std::string& what) const;

  std::string name_;
  double default_rate_hz_;
  std::string default_label_;
  enum class Mode { kUnknown, kRaw, kText } mode_ = Mode::kUnknown;
  bool raw_int16_ = false;
  double raw_scale_ = 1.0;
  std::vector<std::uint8_t> pending_;  // bytes not yet parsed
  std::string line_;
  std::uint64_t line_number_ = 0;
  std::optional<SampleStreamHeader> header_;
  std::vector<std::vector<float>> columns_;  // per channel, parsed and not yet taken
  std::uint64_t samples_parsed_ = 0;
};

}  // namespace streamdx
