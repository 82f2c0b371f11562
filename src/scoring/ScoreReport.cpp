#include "scoring/ScoreReport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "scoring/SzcoreScoring.hpp"

namespace streamdx {

namespace {

json::Json metrics_json(const EventMetrics& m) {
  return {{"hits", m.counts.hits},
          {"misses", m.counts.misses},
          {"false_alarms", m.counts.false_alarms},
          {"sensitivity", m.sensitivity},
          {"precision", m.precision},
          {"f1", m.f1},
          {"false_alarms_per_24h", m.false_alarms_per_24h}};
}

std::string metrics_line(const char* name, const EventMetrics& m) {
  return fmt::format(
      "{}: hits {:.4f}  misses {:.4f}  false alarms {:.4f}  |  sensitivity {:.4f}%  precision "
      "{:.4f}%  F1 {:.4f}  false alarms per 24 h {:.4f}\n",
      name, m.counts.hits, m.counts.misses, m.counts.false_alarms, 100 * m.sensitivity,
      100 * m.precision, m.f1, m.false_alarms_per_24h);
}

json::Json latency_json(const std::vector<double>& latencies) {
  const auto at = [&](double q) {
    return latencies.empty() ? json::Json() : json::Json(percentile(latencies, q));
  };
  return {{"detected", latencies.size()}, {"median", at(0.5)}, {"p90", at(0.9)}, {"max", at(1.0)}};
}

// One recording's scores, or all of them summed, added to `out`.
void add_scores(json::Json& out, const RecordingScore& s) {
  out["duration_s"] = s.duration_s;
  out["ovlp"] = metrics_json(event_metrics(s.ovlp, s.duration_s));
  out["taes"] = metrics_json(event_metrics(s.taes, s.duration_s));
  out["szcore"] = metrics_json(event_metrics(s.szcore, s.duration_s));
  out["epoch_0_25s"] = metrics_json(epoch_metrics(s.epochs, s.duration_s));
  out["onset_latency_s"] = latency_json(s.latencies);
}

RecordingScore pooled(const std::vector<RecordingScore>& all) {
  RecordingScore p;
  for (const RecordingScore& r : all) {
    p.duration_s += r.duration_s;
    p.ovlp.add(r.ovlp);
    p.taes.add(r.taes);
    p.szcore.add(r.szcore);
    p.epochs.add(r.epochs);
    p.latencies.insert(p.latencies.end(), r.latencies.begin(), r.latencies.end());
  }
  return p;
}

}  // namespace

RecordingScore score_recording(std::string name, const std::vector<Interval>& ref,
                               const std::vector<Interval>& hyp, double duration_s) {
  RecordingScore s;
  s.name = std::move(name);
  s.duration_s = duration_s;
  s.ovlp = score_ovlp(ref, hyp);
  s.taes = score_taes(ref, hyp);
  s.szcore = score_szcore(ref, hyp, duration_s);
  s.epochs = score_epochs(ref, hyp, duration_s);
  s.latencies = onset_latencies(ref, hyp);
  return s;
}

json::Json ScoreReport::json(bool per_recording) const {
  json::Json out = {{"scorer", kScorer}, {"files", recordings_.size()}};
  add_scores(out, pooled(recordings_));
  if (per_recording) {
    json::Json each = json::Json::array();
    for (const RecordingScore& r : recordings_) {
      json::Json one = {{"name", r.name}};
      add_scores(one, r);
      each.push_back(std::move(one));
    }
    out["recordings"] = std::move(each);
  }
  return out;
}

std::string ScoreReport::text() const {
  const RecordingScore p = pooled(recordings_);
  std::string out = fmt::format("{}\n{} file pairs, {:.4f} s ({:.4f} h) in all\n", kScorer,
                                recordings_.size(), p.duration_s, p.duration_s / 3600);
  out += metrics_line("OVLP", event_metrics(p.ovlp, p.duration_s));
  out += metrics_line("TAES", event_metrics(p.taes, p.duration_s));
  out += metrics_line("SzCORE", event_metrics(p.szcore, p.duration_s));
  out += metrics_line("EPOCH (0.25 s epochs; counts are epochs, FA/24h is false-alarm time)",
                      epoch_metrics(p.epochs, p.duration_s));
  out += p.latencies.empty()
             ? std::string("onset latency: no reference event was detected\n")
             : fmt::format(
                   "onset latency over {} detected events: median {:.4f} s, p90 {:.4f} s, max "
                   "{:.4f} s\n",
                   p.latencies.size(), percentile(p.latencies, 0.5), percentile(p.latencies, 0.9),
                   percentile(p.latencies, 1.0));
  return out;
}

}  // namespace streamdx
