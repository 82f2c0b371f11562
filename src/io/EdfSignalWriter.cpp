#include "io/EdfSignalWriter.hpp"

#include "io/AtomicFile.hpp"
#include "io/EdfHeader.hpp"
#include "io/TextParsing.hpp"

#include <edflib.h>
#include <fmt/format.h>

#include <cstdio>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace streamdx {

EdfSignalWriter::EdfSignalWriter(std::filesystem::path path, std::vector<std::string> labels,
                                 std::string equipment)
    : path_(std::move(path)),
      part_(path_.string() + ".part"),
      labels_(std::move(labels)),
      equipment_(std::move(equipment)) {}

EdfSignalWriter::EdfSignalWriter(EdfSignalWriter&& o) noexcept
    : path_(std::move(o.path_)),
      part_(std::move(o.part_)),
      labels_(std::move(o.labels_)),
      equipment_(std::move(o.equipment_)),
      handle_(o.handle_),
      frames_(o.frames_),
      frame_s_(o.frame_s_),
      clipped_(o.clipped_),
      buffer_(std::move(o.buffer_)),
      start_(o.start_),
      input_annotations_(std::move(o.input_annotations_)) {
  o.handle_ = -1;
}

EdfSignalWriter::~EdfSignalWriter() {
  if (handle_ >= 0) {  // never finished: the part file is not a result
    edfclose_file(handle_);
    std::error_code ignored;
    std::filesystem::remove(part_, ignored);
  }
}

std::optional<RecordingStart> parse_edf_start(std::string_view date, std::string_view time) {
  const auto d = three_fields(date, ".");
  const auto t = three_fields(time, ".");
  if (!d || !t) return std::nullopt;
  const auto [day, month, year] = *d;
  const auto [hour, minute, second] = *t;
  if (day < 1 || day > 31 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  return RecordingStart{year >= 85 ? 1900 + year : 2000 + year, month, day, hour, minute, second};
}

void EdfSignalWriter::open(const Frame& first) {
  const std::size_t n = first.shape.channels;
  if (n > EDFLIB_MAXSIGNALS) {
    throw std::invalid_argument(fmt::format(
        "{}: {} channels, but an EDF+ file written by EDFlib holds at most {}; write .sdxf or "
        ".npy instead",
        path_.string(), n, EDFLIB_MAXSIGNALS));
  }
  // A stream that names no channels before its first frame (a simulator of any size, a frame
  // file): ch1, ch2, ...
  for (std::size_t c = labels_.size(); c < n; ++c) labels_.push_back(fmt::format("ch{}", c + 1));
  if (labels_.size() != n) {
    throw std::invalid_argument(
        fmt::format("{}: {} channel labels for {} channels", path_.string(), labels_.size(), n));
  }
  frame_s_ = first.shape.samples_per_channel / first.sample_rate_hz;
  const double record_units = frame_s_ * 100000.0;  // EDFlib counts record durations in 10 µs
  if (std::abs(record_units - std::round(record_units)) > 1e-6) {
    throw std::invalid_argument(fmt::format("{}: a frame of {} s is not a whole number of 10 µs",
                                            path_.string(), frame_s_));
  }
  handle_ = edfopen_file_writeonly(part_.c_str(), EDFLIB_FILETYPE_EDFPLUS, static_cast<int>(n));
  if (handle_ < 0)
    throw std::runtime_error(
        fmt::format("{}: EDFlib cannot create it (error {})", part_.string(), handle_));
  bool ok = edf_set_datarecord_duration(handle_, static_cast<int>(std::lround(record_units))) == 0;
  for (std::size_t c = 0; c < n && ok; ++c) {
    const int s = static_cast<int>(c);
    ok = edf_set_samplefrequency(handle_, s, first.shape.samples_per_channel) == 0 &&  // per record
         edf_set_physical_maximum(handle_, s, kPhysicalMaxUv) == 0 &&
         edf_set_physical_minimum(handle_, s, kPhysicalMinUv) == 0 &&
         edf_set_digital_maximum(handle_, s, 32767) == 0 &&
         edf_set_digital_minimum(handle_, s, -32768) == 0 &&
         edf_set_label(handle_, s, labels_[c].c_str()) == 0 &&
         edf_set_physical_dimension(handle_, s, "uV") == 0;
  }
  ok = ok && edf_set_equipment(handle_, equipment_.c_str()) == 0;
  ok = ok && edf_set_startdatetime(handle_, start_.year, start_.month, start_.day, start_.hour,
                                   start_.minute, start_.second) == 0;
  if (!ok)
    throw std::runtime_error(
        fmt::format("{}: EDFlib refused the signal parameters", part_.string()));
}

void EdfSignalWriter::annotate(double onset_s, const std::string& text, double duration_s) {
  // EDFlib takes annotation times in units of 100 µs, and -1 for no duration.
  const long long duration = duration_s < 0 ? -1 : std::llround(duration_s * 10000.0);
  if (edfwrite_annotation_utf8(handle_, std::llround(onset_s * 10000.0), duration, text.c_str()) !=
      0) {
    throw std::runtime_error(fmt::format("{}: cannot write annotation '{}'", part_.string(), text));
  }
}

void EdfSignalWriter::consume(const Frame& frame) {
  if (handle_ < 0) open(frame);
  if ((frame.flags & kFrameDiscontinuity) != 0U) {
    annotate(
        static_cast<double>(frames_) * frame_s_,
        fmt::format("gap: resumes at {:.3f} s", static_cast<double>(frame.first_sample_ns) * 1e-9));
  }
  for (std::size_t c = 0; c < frame.shape.channels; ++c) {
    const auto ch = frame.channel(c);
    buffer_.resize(ch.size());
    for (std::size_t i = 0; i < ch.size(); ++i) {
      const double v = std::round(static_cast<double>(ch[i]) / kStepUv) * kStepUv;
      if (v < kPhysicalMinUv || v > kPhysicalMaxUv) ++clipped_;
      buffer_[i] = std::clamp(v, kPhysicalMinUv, kPhysicalMaxUv);
    }
    if (edfwrite_physical_samples(handle_, buffer_.data()) != 0) {
      throw std::runtime_error(
          fmt::format("{}: write failed at frame {}", part_.string(), frame.sequence));
    }
  }
  ++frames_;
}

// EDFlib does not report a write that the disk refused: the file is read back before it is
// published, and one that does not hold every record it was given is not published.
void EdfSignalWriter::check_complete() {
  std::string why;
  try {
    const EdfHeader written = EdfHeader::read(part_);
    if (written.records < static_cast<std::int64_t>(frames_)) {
      why = fmt::format("{} of {} records reached the disk", written.records, frames_);
    }
  } catch (const std::exception& e) {
    why = e.what();
  }
  if (why.empty()) return;
  std::error_code ignored;
  std::filesystem::remove(part_, ignored);
  throw std::runtime_error(fmt::format("{}: not written ({}; {} bytes free on its file system)",
                                       path_.string(), why, free_bytes(path_)));
}

void EdfSignalWriter::finish(EndReason reason) {
  if (handle_ < 0) return;  // no frame ever arrived: there is no signal to publish
  // The input's own annotations that fall inside what was written, as the input had them.
  const double written_s = static_cast<double>(frames_) * frame_s_;
  for (const InputAnnotation& a : input_annotations_) {
    if (a.onset_s >= 0 && a.onset_s < written_s) annotate(a.onset_s, a.text, a.duration_s);
  }
  if (reason == EndReason::kUpstreamError)
    annotate(static_cast<double>(frames_) * frame_s_, "streamdx: stream ended by error");
  const int h = handle_;
  handle_ = -1;
  if (edfclose_file(h) != 0)
    throw std::runtime_error(fmt::format("{}: EDFlib could not complete the file", part_.string()));
  check_complete();
  std::error_code ec;
  std::filesystem::rename(part_, path_, ec);
  if (ec)
    throw std::runtime_error(
        fmt::format("{}: cannot rename into place: {}", path_.string(), ec.message()));
}

}  // namespace streamdx
