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
#include "io/SeizureAnnotations.hpp"
#include "scoring/ScoreReport.hpp"

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

bool is_annotation_file(const std::filesystem::path& p) {
  const std::string name = p.filename().string();
  return p.extension() == ".csv_bi" || name.ends_with("_a1.tsv") || name.ends_with("_events.tsv");
}

// An annotation file (csv_bi; references also SeizeIT _a1.tsv or BIDS _events.tsv), or a list of
// them (one path a line, relative to the list's directory).
std::vector<std::filesystem::path> annotation_files(const std::string& spec) {
  const std::filesystem::path p(spec);
  require_file(p, is_annotation_file(p) ? "" : "the list");
  if (is_annotation_file(p)) return {p};
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

}  // namespace

int run_score_command(const ScoreCommand& cmd) {
  const auto refs = annotation_files(cmd.ref);
  const auto hyps = annotation_files(cmd.hyp);
  if (refs.size() != hyps.size()) {
    throw std::runtime_error(fmt::format("{} lists {} files but {} lists {}", cmd.ref, refs.size(),
                                         cmd.hyp, hyps.size()));
  }
  ScoreReport report;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const SeizureAnnotations r = read_annotation_file(refs[i]);
    const CsvBiFile h = read_csv_bi(hyps[i]);
    // A run that stopped early decided only part of the recording: scored as if whole, every
    // seizure after the stop would count as missed.
    if (!h.incomplete.empty()) {
      throw std::runtime_error(
          fmt::format("{}: the run that wrote it stopped early ({}); score "
                      "a complete run",
                      hyps[i].string(), h.incomplete));
    }
    // A reference that states no duration (SeizeIT) takes the hypothesis's.
    if (r.duration_s > 0 && std::fabs(r.duration_s - h.duration_s) > 5e-5) {
      throw std::runtime_error(
          fmt::format("durations differ: {} says {} secs, {} says {} secs (pair {} of the lists)",
                      refs[i].string(), r.duration_text, hyps[i].string(), h.duration_text, i + 1));
    }
    report.add(score_recording(refs[i].string(), r.seizures, h.intervals("seiz"), h.duration_s));
  }
  std::fputs(cmd.json ? json::text(report.json()).c_str() : report.text().c_str(), stdout);
  return 0;
}

namespace {

class ScoreCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("REF", o_.ref,
                   "reference csv_bi (or SeizeIT _a1.tsv, BIDS _events.tsv), or a list of them")
        ->required();
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
