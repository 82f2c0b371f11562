#include <fmt/format.h>

#include <cstdio>

#include "apps/BonnEvaluation.hpp"
#include "apps/Commands.hpp"
#include "apps/DemoCheck.hpp"
#include "apps/DemoRhythmSweep.hpp"
#include "apps/ModelLoading.hpp"
#include "core/Json.hpp"
#include "core/Log.hpp"
#include "io/AtomicFile.hpp"

namespace streamdx {

int run_evaluate_command(const EvaluateCommand& cmd, Config& config) {
  const std::filesystem::path root =
      cmd.bonn.empty() ? default_data_root() / "eeg" / "bonn" : std::filesystem::path(cmd.bonn);
  if (cmd.first < 1 || cmd.last > 100 || cmd.first > cmd.last) {
    throw std::invalid_argument("--segments must be FIRST-LAST within 1-100");
  }
  const auto segments = bonn_segments(root, "ABCDE", cmd.first, cmd.last);
  const std::string model_spec = cmd.model.empty() ? config.get_string("decoder.model") : cmd.model;
  const auto model_path = resolve_model_path(model_spec);
  const auto model = load_seizure_model(config, model_path.string());

  // The demo first, as in the trainer: a model that misses it is no candidate, whatever the
  // segment figures say.
  const DemoCheck demo = run_demo_check(config, model);
  const DemoRhythmSweep rhythms = run_demo_rhythm_sweep(config, model, demo);
  std::vector<SegmentScore> scores;
  {
    const QuietLogs quiet;  // one montage line per segment otherwise
    scores = score_segments(segments, config, model);
  }

  std::fputs(fmt::format("{{\"model\": {}, \"sha256\": {}, \"device\": {}, \"engine\": {}, "
                         "\"data\": {}, "
                         "\"segments\": \"{:03}-{:03}\", \"metrics\": {}, \"demo\": {}, "
                         "\"demo_rhythms\": {}}}\n",
                         json::quote(model_path.string()), json::quote(sha256_file(model_path)),
                         json::quote(model->device()), json::quote(model->engine()),
                         json::quote(root.string()), cmd.first, cmd.last, bonn_metrics_json(scores),
                         demo.json(), rhythms.json())
                 .c_str(),
             stdout);
  if (!cmd.decisions.empty()) {
    std::string out = "[\n";
    for (std::size_t i = 0; i < scores.size(); ++i) {
      const SegmentScore& s = scores[i];
      out += fmt::format(
          "  {{\"file\": {}, \"set\": \"{}\", \"segment\": {}, \"epochs\": {}, "
          "\"score\": {:.6f}, \"seizure\": {}}}{}\n",
          json::quote(s.segment.path.filename().string()), s.segment.set, s.segment.segment,
          s.epochs, s.score, s.decision() ? "true" : "false", i + 1 < scores.size() ? "," : "");
    }
    out += "]\n";
    write_file_atomically(cmd.decisions, out);
  }
  return 0;
}

}  // namespace streamdx
