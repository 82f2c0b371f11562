#include "training/SegmentStreams.hpp"

#include <fmt/format.h>

#include <iterator>
#include <stdexcept>

#include "io/AtomicFile.hpp"
#include "io/DetectionFiles.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

std::vector<float> read_segment(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  std::vector<float> values;
  for (const auto& [n, line] : numbered_lines(text)) {
    if (trim(line).front() == '#') continue;
    values.push_back(static_cast<float>(parse_number(trim(line), path.string(), n)));
  }
  if (values.empty()) throw std::runtime_error(fmt::format("{}: no samples", path.string()));
  return values;
}

LabelledRecording join_segments(const std::vector<SegmentFile>& segments, double rate_hz,
                                const std::filesystem::path& out) {
  LabelledRecording r;
  r.path = out;
  r.rate_hz = rate_hz;
  std::string text = fmt::format("# rate={:g}\n", rate_hz);
  std::size_t samples = 0;
  for (const SegmentFile& s : segments) {
    const std::vector<float> values = read_segment(s.path);
    const double start = static_cast<double>(samples) / rate_hz;
    samples += values.size();
    if (s.seizure) {
      const double stop = static_cast<double>(samples) / rate_hz;
      // Adjacent seizure segments make one interval.
      if (!r.seizures.empty() && r.seizures.back().second == start) {
        r.seizures.back().second = stop;
      } else {
        r.seizures.emplace_back(start, stop);
      }
    }
    for (const float v : values) fmt::format_to(std::back_inserter(text), "{}\n", v);
  }
  write_file_atomically(out, text);
  // Its reference beside it, so that a folder of streams is an annotated corpus for
  // `streamdx evaluate --corpus` (the duration is the stream's own, samples / rate).
  std::vector<LabelledSegment> events;
  for (const auto& [a, b] : r.seizures) events.push_back(LabelledSegment{a, b, true, 1.0});
  const double duration = static_cast<double>(samples) / rate_hz;
  std::vector<LabelledSegment> timeline;
  double at = 0;
  for (const LabelledSegment& e : events) {
    if (e.start_s > at) timeline.push_back(LabelledSegment{at, e.start_s, false, 1.0});
    timeline.push_back(e);
    at = e.stop_s;
  }
  if (at < duration) timeline.push_back(LabelledSegment{at, duration, false, 1.0});
  write_file_atomically(std::filesystem::path(out).replace_extension(".csv_bi"),
                        csv_bi_text(timeline, out.stem().string(), duration,
                                    {"streamdx training stream (training/SegmentStreams.hpp)"}));
  return r;
}

}  // namespace streamdx
