// streamdx inspect FILE: what streamdx sees in a recording, as JSON on stdout.
#include <cstdio>
#include <stdexcept>

#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "io/EdfReader.hpp"
#include "stages/eeg/EegFileSource.hpp"
#include "stages/eeg/ElectrodeLabel.hpp"
#include "stages/eeg/Resampler.hpp"
#include "stages/eeg/StreamFormat.hpp"
#include "stages/eeg/TcpMontage.hpp"

namespace streamdx {

namespace {

using json::Json;

// How the recording maps to the montage, and the resampler that will bring it to 250 Hz.
Json montage_json(const EdfHeader& h, const std::vector<std::string>& labels,
                  const MontageKind kind, std::vector<bool>& kept) {
  try {
    const MontagePlan plan = plan_montage(labels, montage_candidates(h, kind), kind);
    for (std::size_t i : plan.used_inputs) kept[i] = true;
    const double in_rate = h.signals[plan.used_inputs.front()].sample_rate_hz;
    Json channels = Json::array();
    for (const MontageChannel& c : plan.channels) {
      Json terms = Json::array();
      for (const MontageTerm& t : c.terms) {
        terms.push_back({{"input", labels[t.input]}, {"sign", t.sign > 0 ? 1 : -1}});
      }
      channels.push_back({{"label", c.label}, {"terms", std::move(terms)}});
    }
    const Resampler r(in_rate, kStreamRateHz, 1);
    return {{"kind", montage_kind_name(plan.kind)},
            {"channels", std::move(channels)},
            {"missing", plan.missing},
            {"input_rate_hz", in_rate},
            {"output_rate_hz", kStreamRateHz},
            {"frame_samples", kStreamFrameSamples},
            {"resampler",
             {{"latency_s", r.latency_s()},
              {"passband_hz", r.passband_edge_hz()},
              {"stopband_hz", r.stopband_edge_hz()},
              {"taps", r.taps()}}}};
  } catch (const std::invalid_argument& e) {
    return {{"error", e.what()}};
  }
}

Json signals_json(const EdfHeader& h, const std::vector<bool>& kept) {
  Json signals = Json::array();
  for (std::size_t i = 0; i < h.signals.size(); ++i) {
    const EdfSignalHeader& s = h.signals[i];
    const auto terms = parse_eeg_label(s.label);
    signals.push_back({{"index", i + 1},
                       {"label", s.label},
                       {"rate_hz", s.sample_rate_hz},
                       {"unit", s.physical_dimension},
                       {"physical_range", {s.physical_min, s.physical_max}},
                       {"annotation", s.is_annotation},
                       {"eeg", terms ? Json(terms->positive + "-" + terms->negative) : Json()},
                       {"kept", static_cast<bool>(kept[i])}});
  }
  return signals;
}

}  // namespace

int run_inspect_command(const std::string& path, Config& config) {
  const auto reader = open_edf(path);
  const EdfHeader& h = reader->header();
  std::vector<std::string> labels;
  for (const EdfSignalHeader& s : h.signals) labels.push_back(s.label);
  std::vector<bool> kept(labels.size(), false);
  Json montage =
      montage_json(h, labels, parse_montage_kind(config.get_string("eeg.montage")), kept);
  Json annotations = Json::array();
  for (const EdfAnnotation& a : reader->annotations()) {
    annotations.push_back({{"onset_s", a.onset_s},
                           {"duration_s", a.duration_s < 0 ? Json() : Json(a.duration_s)},
                           {"text", a.text}});
  }
  const Json out = {{"file", path},
                    {"format", h.kind_name()},
                    {"reader", reader->reader_name()},
                    {"fallback_reason",
                     reader->fallback_reason().empty() ? Json() : Json(reader->fallback_reason())},
                    {"start",
                     {{"date", h.start_date},
                      {"time", h.start_time},
                      {"subsecond_s", reader->start_subsecond_s()}}},
                    {"records", h.records},
                    {"record_duration_s", h.record_duration_s},
                    {"duration_s", h.duration_s()},
                    {"signals", signals_json(h, kept)},
                    {"montage", std::move(montage)},
                    {"annotations", std::move(annotations)}};
  std::fputs(json::text(out).c_str(), stdout);
  return 0;
}

namespace {

class InspectCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("FILE", path_, "EDF, EDF+ or BDF file")->required();
    cmd.add_option("--montage", montage_, "auto, tcp22, tcp20 or none (eeg.montage)");
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    if (!montage_.empty()) config.set_string("eeg.montage", montage_);
    return run_inspect_command(path_, config);
  }

 private:
  std::string path_;
  std::string montage_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<InspectCli> kRegistered{
    {"inspect",
     "Print what streamdx sees in a recording as JSON: header, channels kept and dropped, "
     "montage, rates, duration, annotations",
     120}};

}  // namespace

}  // namespace streamdx
