#include "training/DemoRhythmSweep.hpp"

#include <fmt/format.h>

#include "core/Json.hpp"

namespace streamdx {
namespace {

std::string rhythm_list(const std::vector<double>& hz) {
  std::string out;
  for (const double f : hz) out += fmt::format("{}{:g}", out.empty() ? "" : ", ", f);
  return out + " Hz";
}

}  // namespace

std::size_t DemoRhythmSweep::passed_count() const {
  std::size_t n = 0;
  for (const DemoCheck& c : checks) n += c.passed() ? 1U : 0U;
  return n;
}

std::string DemoRhythmSweep::summary() const {
  std::vector<double> passed;
  std::vector<double> silent;
  std::vector<double> misplaced;
  for (const DemoCheck& c : checks) {
    if (c.passed()) {
      passed.push_back(c.discharge_hz);
    } else if (c.events.empty()) {
      silent.push_back(c.discharge_hz);
    } else {
      misplaced.push_back(c.discharge_hz);
    }
  }
  std::string out =
      passed.empty() ? std::string("passes at no rhythm") : "passes at " + rhythm_list(passed);
  out += fmt::format(" ({} of {} rhythms)", passed.size(), checks.size());
  if (!silent.empty()) out += "; no event at " + rhythm_list(silent);
  if (!misplaced.empty()) out += "; events outside the discharge at " + rhythm_list(misplaced);
  return out;
}

json::Json DemoRhythmSweep::json() const {
  json::Json rhythms = json::Json::array();
  for (const DemoCheck& c : checks) rhythms.push_back(c.json());
  return {{"passed", passed_count()},
          {"swept", checks.size()},
          {"summary", summary()},
          {"rhythms", std::move(rhythms)}};
}

DemoRhythmSweep run_demo_rhythm_sweep(const Config& config,
                                      const std::shared_ptr<SeizureModel>& model,
                                      const DemoCheck& at_configured,
                                      std::span<const double> rhythms_hz) {
  DemoRhythmSweep sweep;
  Config at_rhythm = config;
  at_rhythm.set_string("simulate.discharge_pattern", "fixed");
  for (const double hz : rhythms_hz) {
    if (at_configured.pattern == "fixed" && hz == at_configured.discharge_hz) {
      sweep.checks.push_back(at_configured);
      continue;
    }
    at_rhythm.set_double("simulate.discharge_hz", hz);
    sweep.checks.push_back(run_demo_check(at_rhythm, model));
  }
  return sweep;
}

}  // namespace streamdx
