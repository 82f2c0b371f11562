#include "training/BonnStitcher.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "core/Json.hpp"
#include "core/Random.hpp"
#include "io/AtomicFile.hpp"
#include "io/DetectionFiles.hpp"
#include "io/EdfSignalWriter.hpp"
#include "stages/eeg/Resampler.hpp"
#include "stages/eeg/StreamFormat.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

namespace {

constexpr double kOutRateHz = kStreamRateHz;
constexpr double kFadeS = 0.5;

struct Segment {
  std::string name;
  std::vector<float> samples;
};

std::vector<Segment> load(const std::filesystem::path& root, const std::string& sets, int first,
                          int last) {
  std::vector<Segment> out;
  for (const LabelledRecording& r : bonn_segments(root, sets, first, last)) {
    std::ifstream in(r.path);
    Segment s{r.path.filename().string(), {}};
    for (double v = 0; in >> v;) s.samples.push_back(static_cast<float>(v));
    if (s.samples.size() < 1000) {
      throw std::runtime_error(fmt::format("{}: too short for a Bonn segment", r.path.string()));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// The slot plan: background slots, with the events after distinct background slots (never
// first, so every stream starts with background). True where a slot is an event.
std::vector<bool> slot_plan(const StitchOptions& o, const std::vector<Segment>& background,
                            SplitMix64& rng) {
  const double slot_s = static_cast<double>(background[0].samples.size()) / kBonnRateHz - kFadeS;
  const auto n_background = std::max<std::size_t>(
      o.events + 1, static_cast<std::size_t>(std::ceil(o.background_s / slot_s)));
  std::vector<std::size_t> after(n_background);
  for (std::size_t i = 0; i < n_background; ++i) after[i] = i;
  for (std::size_t i = n_background; i > 1; --i) std::swap(after[i - 1], after[rng.next() % i]);
  std::vector<bool> event_after(n_background, false);
  for (std::size_t e = 0; e < o.events; ++e) event_after[after[e]] = true;
  std::vector<bool> is_event;
  for (std::size_t i = 0; i < n_background; ++i) {
    is_event.push_back(false);
    if (event_after[i]) is_event.push_back(true);
  }
  return is_event;
}

// Appends `seg` to `out`, cross-fading the last `fade` samples into its first `fade`.
void append_cross_faded(std::vector<float>& out, const std::vector<float>& seg, std::size_t fade) {
  if (out.empty()) {
    out = seg;
    return;
  }
  const std::size_t join = out.size() - fade;
  for (std::size_t i = 0; i < fade; ++i) {
    const float w = static_cast<float>(i + 1) / static_cast<float>(fade + 1);
    out[join + i] = (1 - w) * out[join + i] + w * seg[i];
  }
  out.insert(out.end(), seg.begin() + static_cast<std::ptrdiff_t>(fade), seg.end());
}

// The channels at Bonn's rate, resampled to the stream rate.
void resample_into(const std::vector<std::vector<float>>& raw, StitchedRecording& rec) {
  Resampler resampler(kBonnRateHz, kOutRateHz, raw.size());
  std::vector<float> planar;
  for (const auto& ch : raw) planar.insert(planar.end(), ch.begin(), ch.end());
  resampler.push(planar, raw[0].size());
  resampler.finish();
  const std::size_t n = resampler.available();
  std::vector<float> out(raw.size() * n);
  resampler.take(n, out);
  for (std::size_t c = 0; c < raw.size(); ++c) {
    rec.channels.emplace_back(out.begin() + static_cast<std::ptrdiff_t>(c * n),
                              out.begin() + static_cast<std::ptrdiff_t>((c + 1) * n));
  }
  rec.duration_s = static_cast<double>(n) / kOutRateHz;
}

}  // namespace

StitchedRecording stitch_bonn(const StitchOptions& o) {
  if (o.channels == 0 || o.seizure_channels > o.channels) {
    throw std::invalid_argument("stitch: need channels >= 1 and seizure channels <= channels");
  }
  const std::vector<Segment> background =
      load(o.bonn_root, "ABCD", o.first_segment, o.last_segment);
  const std::vector<Segment> interictal = load(o.bonn_root, "D", o.first_segment, o.last_segment);
  const std::vector<Segment> ictal = load(o.bonn_root, "E", o.first_segment, o.last_segment);
  SplitMix64 rng(o.seed);
  const std::vector<bool> is_event = slot_plan(o, background, rng);
  // Per event, which channels carry the seizure.
  const std::size_t k = o.seizure_channels == 0 ? o.channels : o.seizure_channels;

  StitchedRecording rec;
  const auto fade = static_cast<std::size_t>(std::lround(kFadeS * kBonnRateHz));
  std::vector<std::vector<float>> raw(o.channels);
  rec.segments.resize(o.channels);
  for (std::size_t slot = 0; slot < is_event.size(); ++slot) {
    // Where this slot's first sample lands: after the previous slots, overlapping the last
    // `fade` samples.
    const double start_s =
        raw[0].empty() ? 0.0 : static_cast<double>(raw[0].size() - fade) / kBonnRateHz;
    std::vector<bool> seizing(o.channels, false);
    if (is_event[slot]) {
      std::vector<std::size_t> order(o.channels);
      for (std::size_t c = 0; c < o.channels; ++c) order[c] = c;
      for (std::size_t i = o.channels; i > 1; --i) std::swap(order[i - 1], order[rng.next() % i]);
      for (std::size_t i = 0; i < k; ++i) seizing[order[i]] = true;
    }
    for (std::size_t c = 0; c < o.channels; ++c) {
      const std::vector<Segment>& pool =
          !is_event[slot] ? background : (seizing[c] ? ictal : interictal);
      const Segment& seg = pool[rng.next() % pool.size()];
      rec.segments[c].push_back(seg.name);
      append_cross_faded(raw[c], seg.samples, fade);
    }
    if (is_event[slot]) {
      const double len_s = static_cast<double>(ictal[0].samples.size()) / kBonnRateHz;
      rec.seizures.emplace_back(start_s + kFadeS / 2, start_s + len_s - kFadeS / 2);
    }
  }
  resample_into(raw, rec);
  return rec;
}

void write_stitched(const StitchedRecording& rec, const StitchOptions& o,
                    const std::filesystem::path& edf_path) {
  std::vector<std::string> labels;
  for (std::size_t c = 0; c < rec.channels.size(); ++c)
    labels.push_back(fmt::format("BONN{}", c + 1));
  EdfSignalWriter writer(
      edf_path, labels,
      fmt::format("stitched Bonn {:03}-{:03} seed {}", o.first_segment, o.last_segment, o.seed));
  constexpr std::uint16_t kFrame = kStreamFrameSamples;
  const std::size_t n = rec.channels[0].size();
  Frame f;
  f.sample_rate_hz = kOutRateHz;
  for (std::size_t at = 0; at + kFrame <= n; at += kFrame) {
    f.reshape(FrameShape{static_cast<std::uint16_t>(rec.channels.size()), kFrame});
    f.first_sample_ns = static_cast<std::int64_t>(static_cast<double>(at) * 1e9 / kOutRateHz);
    f.sequence = at / kFrame;
    for (std::size_t c = 0; c < rec.channels.size(); ++c) {
      std::copy_n(rec.channels[c].begin() + static_cast<std::ptrdiff_t>(at), kFrame,
                  f.samples.begin() + static_cast<std::ptrdiff_t>(c * kFrame));
    }
    writer.consume(f);
  }
  writer.finish(EndReason::kEndOfStream);
  const std::size_t whole_frames = n / kFrame;  // the signal file holds whole frames only
  const double duration = static_cast<double>(whole_frames * kFrame) / kOutRateHz;

  std::vector<LabelledSegment> events;
  for (const auto& [a, b] : rec.seizures) events.push_back(LabelledSegment{a, b, true, 1.0});
  std::filesystem::path csv = edf_path;
  write_file_atomically(
      csv.replace_extension(".csv_bi"),
      csv_bi_text(events, edf_path.stem().string(), duration,
                  {fmt::format("stitched from Bonn segments {:03}-{:03} (sets A-D "
                               "background, E seizures), seed {}",
                               o.first_segment, o.last_segment, o.seed)}));
  std::filesystem::path json_path = edf_path;
  const json::Json sidecar = {
      {"format", "streamdx stitched bonn 1"},
      {"stitched_from", fmt::format("Bonn segments {:03}-{:03}", o.first_segment, o.last_segment)},
      {"seed", o.seed},
      {"channels", o.channels},
      {"seizure_channels", o.seizure_channels == 0 ? o.channels : o.seizure_channels},
      {"events", rec.seizures.size()},
      {"duration_s", duration},
      {"crossfade_s", kFadeS},
      {"segments_per_channel", rec.segments}};
  write_file_atomically(json_path.replace_extension(".json"), json::text(sidecar));
}

}  // namespace streamdx
