#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "apps/CommandLine.hpp"
#include "core/FileErrors.hpp"
#include "core/Json.hpp"
#include "io/CsvBiAnnotations.hpp"
#include "scoring/SzcoreScoring.hpp"
#include "scoring/EventScoring.hpp"

namespace streamdx {

namespace {

// Scores hypothesis csv_bi files against references (files, or lists paired by order).
struct ScoreCommand {
  std::string ref;
  std::string hyp;
  bool json = false;
};

}  // namespace

namespace {

// A csv_bi file, or a list of them (one path a line, relative to the list's directory).
std::vector<std::filesystem::path> csv_bi_files(const std::string& spec) {
  const std::filesystem::path p(spec);
  require_file(p, p.extension() == ".csv_bi" ? "" : "the list");
  if (p.extension() == ".csv_bi") return {p};
  std::ifstream in(p);
  if (!in) throw std::runtime_error(cannot_open(p, "the list"));
  std::vector<std::filesystem::path> out;
  for (std::string line; std::getline(in, line);) {
    line.erase(0, line.find_first_not_of(" \t\r"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (line.empty() || line[0] == '#') continue;
    std::filesystem::path f(line);
    out.push_back(f.is_absolute() ? f : p.parent_path() / f);
  }
  return out;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  // Linear interpolation between closest ranks (numpy's default).
  const double at = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(at));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (at - static_cast<double>(lo));
}

// Full precision: a consumer rounds as it needs (the text report shows 4 decimals).
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

}  // namespace

int run_score_command(const ScoreCommand& cmd) {
  const auto refs = csv_bi_files(cmd.ref);
  const auto hyps = csv_bi_files(cmd.hyp);
  if (refs.size() != hyps.size()) {
    throw std::runtime_error(fmt::format("{} lists {} files but {} lists {}", cmd.ref, refs.size(),
                                         cmd.hyp, hyps.size()));
  }
  EventCounts ovlp;
  EventCounts taes;
  EventCounts szcore;
  EventCounts epochs;
  std::vector<double> latencies;
  double duration = 0;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const CsvBiFile r = read_csv_bi(refs[i]);
    const CsvBiFile h = read_csv_bi(hyps[i]);
    // A run that stopped early decided only part of the recording: scored as if whole, every
    // seizure after the stop would count as missed.
    if (!h.incomplete.empty()) {
      throw std::runtime_error(
          fmt::format("{}: the run that wrote it stopped early ({}); score "
                      "a complete run",
                      hyps[i].string(), h.incomplete));
    }
    if (std::fabs(r.duration_s - h.duration_s) > 5e-5) {
      throw std::runtime_error(
          fmt::format("durations differ: {} says {} secs, {} says {} secs (pair {} of the lists)",
                      refs[i].string(), r.duration_text, hyps[i].string(), h.duration_text, i + 1));
    }
    duration += r.duration_s;
    const auto ref_events = r.intervals("seiz");
    const auto hyp_events = h.intervals("seiz");
    ovlp.add(score_ovlp(ref_events, hyp_events));
    taes.add(score_taes(ref_events, hyp_events));
    szcore.add(score_szcore(ref_events, hyp_events, r.duration_s));
    epochs.add(score_epochs(ref_events, hyp_events, r.duration_s));
    const auto l = onset_latencies(ref_events, hyp_events);
    latencies.insert(latencies.end(), l.begin(), l.end());
  }
  const EventMetrics o = event_metrics(ovlp, duration);
  const EventMetrics t = event_metrics(taes, duration);
  const EventMetrics z = event_metrics(szcore, duration);
  const EventMetrics e = epoch_metrics(epochs, duration);
  const char* scorer =
      "streamdx event scoring of label seiz: OVLP and TAES after Shah et al. 2021 (NEDC), "
      "SzCORE after Dan et al. 2024, EPOCH";
  if (cmd.json) {
    const auto latency = [&](double q) {
      return latencies.empty() ? json::Json() : json::Json(percentile(latencies, q));
    };
    const json::Json out = {{"scorer", scorer},
                            {"files", refs.size()},
                            {"duration_s", duration},
                            {"ovlp", metrics_json(o)},
                            {"taes", metrics_json(t)},
                            {"szcore", metrics_json(z)},
                            {"epoch_0_25s", metrics_json(e)},
                            {"onset_latency_s",
                             {{"detected", latencies.size()},
                              {"median", latency(0.5)},
                              {"p90", latency(0.9)},
                              {"max", latency(1.0)}}}};
    std::fputs(json::text(out).c_str(), stdout);
    return 0;
  }
  std::fputs(fmt::format("{}\n{} file pairs, {:.4f} s ({:.4f} h) in all\n", scorer, refs.size(),
                         duration, duration / 3600)
                 .c_str(),
             stdout);
  std::fputs(metrics_line("OVLP", o).c_str(), stdout);
  std::fputs(metrics_line("TAES", t).c_str(), stdout);
  std::fputs(metrics_line("SzCORE", z).c_str(), stdout);
  std::fputs(metrics_line("EPOCH (0.25 s epochs; counts are epochs, FA/24h is false-alarm time)", e)
                 .c_str(),
             stdout);
  std::fputs(
      (latencies.empty()
           ? std::string("onset latency: no reference event was detected\n")
           : fmt::format("onset latency over {} detected events: median {:.4f} s, p90 {:.4f} s, "
                         "max {:.4f} s\n",
                         latencies.size(), percentile(latencies, 0.5), percentile(latencies, 0.9),
                         percentile(latencies, 1.0)))
          .c_str(),
      stdout);
  return 0;
}

namespace {

class ScoreCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("REF", o_.ref, "reference csv_bi, or a list of them")->required();
    cmd.add_option("HYP", o_.hyp, "hypothesis csv_bi, or a list of them")->required();
    cmd.add_flag("--json", o_.json, "as JSON");
  }
  int run() override { return run_score_command(o_); }

 private:
  ScoreCommand o_;
};

const cli::CommandRegistration<ScoreCli> kRegistered{
    {"score",
     "Score seizure detections: OVLP, TAES and SzCORE (sensitivity, precision, F1, false "
     "alarms per 24 h) and onset latency, from csv_bi files or lists of them paired by order",
     100}};

}  // namespace

}  // namespace streamdx
