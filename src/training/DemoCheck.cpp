#include "training/DemoCheck.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/CallbackSink.hpp"
#include "core/Json.hpp"
#include "core/Pipeline.hpp"
#include "runtime/EegChain.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "stages/eeg/DecisionRecord.hpp"

namespace streamdx {

bool DemoCheck::passed() const {
  const bool has_discharge = discharge_stop_s > discharge_start_s;
  if (events.empty()) return !has_discharge;
  for (const LabelledSegment& e : events) {
    if (!has_discharge || e.start_s < discharge_start_s ||
        e.stop_s > discharge_stop_s + kDemoEventLagS) {
      return false;
    }
  }
  return true;
}

std::string DemoCheck::summary() const {
  std::string flags;
  for (const LabelledSegment& e : events) {
    flags += fmt::format("{}{:g}-{:g} s", flags.empty() ? "" : ", ", e.start_s, e.stop_s);
  }
  const std::string discharge =
      discharge_stop_s > discharge_start_s
          ? fmt::format("the discharge is at {:g}-{:g} s", discharge_start_s, discharge_stop_s)
          : std::string("the demo has no discharge");
  return fmt::format("{}; {}: {}", flags.empty() ? "no event" : "flags " + flags, discharge,
                     passed() ? "passed" : "FAILED");
}

json::Json DemoCheck::json() const {
  json::Json flagged = json::Json::array();
  for (const LabelledSegment& e : events) {
    flagged.push_back({{"start_s", json::rounded(e.start_s, 4)},
                       {"stop_s", json::rounded(e.stop_s, 4)},
                       {"confidence", json::rounded(e.confidence, 4)}});
  }
  return {
      {"recording", "streamdx simulate (SYNTHETIC)"},
      {"channels", channels},
      {"duration_s", json::rounded(duration_s, 4)},
      {"discharge_s", {json::rounded(discharge_start_s, 4), json::rounded(discharge_stop_s, 4)}},
      {"pattern", pattern},
      {"discharge_hz", pattern == "fixed" ? json::Json(discharge_hz) : json::Json()},
      {"min_duration_s", min_duration_s},
      {"events", std::move(flagged)},
      {"passed", passed()},
      {"summary", summary()}};
}

DemoCheck judge_demo(const std::vector<EpochDecision>& epochs, double duration_s,
                     double discharge_start_s, double discharge_stop_s) {
  DemoCheck check;
  check.duration_s = duration_s;
  check.discharge_start_s = discharge_start_s;
  check.discharge_stop_s = discharge_stop_s;
  for (const LabelledSegment& s : label_segments(epochs, duration_s)) {
    if (s.seizure) check.events.push_back(s);
  }
  return check;
}

DemoCheck run_demo_check(const Config& config, const std::shared_ptr<SeizureModel>& model) {
  const SyntheticEegSettings sim = simulate_settings(config);
  const PostprocessSettings post = postprocess_settings(config);
  std::vector<EpochDecision> epochs;
  Pipeline pipeline(pipeline_options(config, 1 + eeg_chain_nodes(ChainEnd::kDecisions) + 1));
  pipeline.source(open_frame_source("sim", config, false).node);
  add_eeg_chain(pipeline, ChainEnd::kDecisions, {model, post});
  pipeline.sink(CallbackSink([&epochs](const Frame& f) { record_decision(f, epochs); }));
  const PipelineResult result = pipeline.run();
  if (!result.ok) {
    throw std::runtime_error(
        fmt::format("the demo check: stage '{}': {}", result.failed_node, result.error));
  }
  const double stop = sim.discharge_length_s > 0 ? sim.discharge_start_s + sim.discharge_length_s
                                                 : sim.discharge_start_s;
  DemoCheck check = judge_demo(epochs, sim.duration_s, sim.discharge_start_s, stop);
  check.channels = sim.channels;
  check.pattern = config.get_string("simulate.discharge_pattern");
  check.discharge_hz = sim.discharge_hz;
  check.min_duration_s = post.min_duration_epochs;
  return check;
}

}  // namespace streamdx
