// streamdx's own EDF/EDF+/BDF record reader, for files EDFlib refuses. Lenient rules:
// - the header is parsed by EdfHeader (its rules apply);
// - a record's onset is the first time-keeping TAL of its first annotation signal; a record
//   without one (or a file without annotation signals) is taken to follow its predecessor;
// - TALs may lack the '+' sign, use a decimal comma, or be cut short by the record's end: what
//   can be read is kept, the rest of that record's annotations is skipped;
// - overlapping or unordered annotations are kept as written;
// - digital values outside [digital min, digital max] are clamped to it, as EDFlib does, so that
//   one file gives the same samples whichever reader opens it (MNE does not clamp).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include "core/FileErrors.hpp"
#include "io/EdfReader.hpp"

namespace streamdx {

namespace {

std::optional<double> parse_seconds(std::string_view s) {
  std::string t(s);
  std::replace(t.begin(), t.end(), ',', '.');
  if (!t.empty() && t[0] == '+') t.erase(0, 1);
  double v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size()) return std::nullopt;
  return v;
}

// Parses the TALs of one annotation signal's bytes in one record. Returns the first TAL's onset
// if it is a time-keeping TAL (no annotation text), and appends the annotations.
std::optional<double> parse_tals(std::string_view bytes, std::vector<EdfAnnotation>& out) {
  std::optional<double> timekeeping;
  bool first = true;
  while (!bytes.empty()) {
    const std::size_t end = bytes.find('\0');
    const std::string_view tal = bytes.substr(0, end);
    bytes = end == std::string_view::npos ? std::string_view{} : bytes.substr(end + 1);
    if (tal.empty()) continue;  // padding
    const std::size_t t20 = tal.find('\x14');
    if (t20 == std::string_view::npos) break;  // cut short: skip the rest of this record
    std::string_view stamp = tal.substr(0, t20);
    double duration = -1;
    if (const std::size_t t21 = stamp.find('\x15'); t21 != std::string_view::npos) {
      duration = parse_seconds(stamp.substr(t21 + 1)).value_or(-1);
      stamp = stamp.substr(0, t21);
    }
    const std::optional<double> onset = parse_seconds(stamp);
    if (!onset) break;
    std::string_view texts = tal.substr(t20 + 1);
    bool any_text = false;
    while (!texts.empty()) {
      const std::size_t e = texts.find('\x14');
      const std::string_view text = texts.substr(0, e);
      if (!text.empty()) {
        out.push_back(EdfAnnotation{*onset, duration, std::string(text)});
        any_text = true;
      }
      if (e == std::string_view::npos) break;
      texts = texts.substr(e + 1);
    }
    if (first && !any_text) timekeeping = onset;
    first = false;
  }
  return timekeeping;
}

class TolerantEdfReader final : public EdfRecordReader {
 public:
  TolerantEdfReader(const std::filesystem::path& path, std::string reason)
      : header_(EdfHeader::read(path)), reason_(std::move(reason)) {
    file_ = std::fopen(path.c_str(), "rb");
    if (file_ == nullptr) throw std::runtime_error(cannot_open(path));
    std::size_t at = 0;
    for (const EdfSignalHeader& s : header_.signals) {
      offsets_.push_back(at);
      at += static_cast<std::size_t>(s.samples_per_record) *
            static_cast<std::size_t>(header_.bytes_per_sample());
    }
    scan_annotations();
  }
  ~TolerantEdfReader() override { std::fclose(file_); }
  TolerantEdfReader(const TolerantEdfReader&) = delete;
  TolerantEdfReader& operator=(const TolerantEdfReader&) = delete;

  [[nodiscard]] const EdfHeader& header() const override { return header_; }
  [[nodiscard]] std::string reader_name() const override { return "streamdx tolerant reader"; }
  [[nodiscard]] std::string fallback_reason() const override { return reason_; }
  [[nodiscard]] double start_subsecond_s() const override {
    return onsets_.empty() ? 0.0 : std::max(0.0, onsets_[0] - std::floor(onsets_[0]));
  }
  [[nodiscard]] std::vector<EdfAnnotation> annotations() const override { return annotations_; }

  bool next_record(std::span<const std::size_t> signals, std::vector<float>& planar,
                   double& onset_s) override {
    if (record_ >= header_.records) return false;
    read_record(record_);
    planar.clear();
    const int bps = header_.bytes_per_sample();
    for (std::size_t s : signals) {
      const EdfSignalHeader& sh = header_.signals.at(s);
      if (sh.is_annotation)
        throw std::invalid_argument(
            fmt::format("{}: signal {} is an annotation channel", header_.path.string(), s + 1));
      const double gain = sh.gain();
      const double offset = sh.offset();
      const std::uint8_t* p = bytes_.data() + offsets_[s];
      for (int i = 0; i < sh.samples_per_record; ++i, p += bps) {
        std::int32_t d = 0;
        if (bps == 2) {
          d = static_cast<std::int16_t>(static_cast<std::uint16_t>(p[0] | (p[1] << 8)));
        } else {
          const std::uint32_t u = static_cast<std::uint32_t>(p[0]) |
                                  (static_cast<std::uint32_t>(p[1]) << 8) |
                                  (static_cast<std::uint32_t>(p[2]) << 16);
          d = static_cast<std::int32_t>(u << 8) >> 8;  // sign-extend 24 bits
        }
        // As EDFlib does: a value outside the digital range is saturation.
        d = std::clamp(d, std::min(sh.digital_min, sh.digital_max),
                       std::max(sh.digital_min, sh.digital_max));
        planar.push_back(static_cast<float>(d * gain + offset));
      }
    }
    onset_s = onsets_[static_cast<std::size_t>(record_)];
    ++record_;
    return true;
  }

  void seek_record(std::int64_t record) override {
    if (record < 0) throw std::invalid_argument("seek_record: a negative record");
    record_ = std::min<std::int64_t>(record, header_.records);
  }

 private:
  void read_record(std::int64_t r) {
    bytes_.resize(static_cast<std::size_t>(header_.record_bytes()));
    const auto pos = header_.header_bytes + r * header_.record_bytes();
    if (std::fseek(file_, static_cast<long>(pos), SEEK_SET) != 0 ||
        std::fread(bytes_.data(), 1, bytes_.size(), file_) != bytes_.size()) {
      throw std::runtime_error(
          fmt::format("{}: truncated in data record {}", header_.path.string(), r + 1));
    }
  }

  void scan_annotations() {
    double expected = 0;
    for (std::int64_t r = 0; r < header_.records; ++r) {
      std::optional<double> onset;
      bool first_annotation_signal = true;
      for (std::size_t s = 0; s < header_.signals.size(); ++s) {
        if (!header_.signals[s].is_annotation) continue;
        // Only the first annotation signal keeps time; later ones carry annotations only.
        if (first_annotation_signal) read_record(r);
        const auto len = static_cast<std::size_t>(header_.signals[s].samples_per_record) *
                         static_cast<std::size_t>(header_.bytes_per_sample());
        const std::string_view text(reinterpret_cast<const char*>(bytes_.data() + offsets_[s]),
                                    len);
        const auto tk = parse_tals(text, annotations_);
        if (first_annotation_signal) onset = tk;
        first_annotation_signal = false;
      }
      // Times become nanoseconds downstream: an onset past any recording (1e15 s) would wrap.
      constexpr double kLatestOnsetS = 1e9;  // 31 years
      if (onset && !(std::abs(*onset) <= kLatestOnsetS)) {
        throw std::runtime_error(
            fmt::format("{}: data record {} starts at {:g} s, past any recording (at most {:g} s)",
                        header_.path.string(), r + 1, *onset, kLatestOnsetS));
      }
      onsets_.push_back(onset.value_or(expected));
      expected = onsets_.back() + header_.record_duration_s;
    }
    // The first record's onset is the start's sub-second offset (EDF+); times count from there,
    // like EDFlib's, so that both readers agree.
    start_offset_s_ = onsets_.empty() ? 0.0 : onsets_[0];
    for (double& t : onsets_) t -= start_offset_s_;
    for (EdfAnnotation& a : annotations_) a.onset_s -= start_offset_s_;
  }

  EdfHeader header_;
  std::string reason_;
  std::FILE* file_ = nullptr;
  std::vector<std::size_t> offsets_;  // byte offset of each signal inside a record
  std::vector<double> onsets_;        // per record, seconds from the first record
  double start_offset_s_ = 0;
  std::vector<EdfAnnotation> annotations_;
  std::vector<std::uint8_t> bytes_;
  std::int64_t record_ = 0;
};

}  // namespace

std::unique_ptr<EdfRecordReader> open_edf_tolerant(const std::filesystem::path& path,
                                                   std::string fallback_reason) {
  return std::make_unique<TolerantEdfReader>(path, std::move(fallback_reason));
}

}  // namespace streamdx
