// streamdx inspect FILE: what streamdx sees in a recording, as JSON on stdout.
#include <fmt/format.h>

#include <stdexcept>

#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "io/EdfReader.hpp"
#include "stages/eeg/EegFileSource.hpp"
#include "stages/eeg/ElectrodeLabel.hpp"
#include "stages/eeg/Resampler.hpp"
#include "stages/eeg/TcpMontage.hpp"

namespace streamdx {

int run_inspect_command(const std::string& path, Config& config) {
  using json::number;
  using json::quote;
  const auto reader = open_edf(path);
  const EdfHeader& h = reader->header();
  std::vector<std::string> labels;
  for (const EdfSignalHeader& s : h.signals) labels.push_back(s.label);
  const MontageKind kind = parse_montage_kind(config.get_string("eeg.montage"));
  const std::vector<bool> is_signal = montage_candidates(h, kind);

  std::string montage;
  std::vector<bool> kept(labels.size(), false);
  double in_rate = 0;
  try {
    const MontagePlan plan = plan_montage(labels, is_signal, kind);
    for (std::size_t i : plan.used_inputs) kept[i] = true;
    in_rate = h.signals[plan.used_inputs.front()].sample_rate_hz;
    std::string channels;
    for (std::size_t c = 0; c < plan.channels.size(); ++c) {
      std::string terms;
      for (const MontageTerm& t : plan.channels[c].terms) {
        terms += fmt::format("{}{{\"input\": {}, \"sign\": {}}}", terms.empty() ? "" : ", ",
                             quote(labels[t.input]), t.sign > 0 ? 1 : -1);
      }
      channels += fmt::format("{}\n      {{\"label\": {}, \"terms\": [{}]}}", c ? "," : "",
                              quote(plan.channels[c].label), terms);
    }
    const double out_rate = config.get_double("eeg.sample_rate_hz");
    const Resampler r(in_rate, out_rate, 1);
    montage = fmt::format(
        "{{\"kind\": {}, \"channels\": [{}\n    ],\n    \"input_rate_hz\": {}, \"output_rate_hz\": "
        "{}, \"frame_samples\": {}, "
        "\"resampler\": {{\"latency_s\": {}, \"passband_hz\": {}, \"stopband_hz\": {}, \"taps\": "
        "{}}}}}",
        quote(montage_kind_name(plan.kind)), channels, number(in_rate), number(out_rate),
        config.get_int("eeg.frame_samples"), number(r.latency_s()), number(r.passband_edge_hz()),
        number(r.stopband_edge_hz()), r.taps());
  } catch (const std::invalid_argument& e) {
    montage = fmt::format("{{\"error\": {}}}", quote(e.what()));
  }

  std::string signals;
  for (std::size_t i = 0; i < h.signals.size(); ++i) {
    const EdfSignalHeader& s = h.signals[i];
    const auto terms = parse_eeg_label(s.label);
    signals += fmt::format(
        "{}\n    {{\"index\": {}, \"label\": {}, \"rate_hz\": {}, \"unit\": {}, "
        "\"physical_range\": [{}, {}], "
        "\"annotation\": {}, \"eeg\": {}, \"kept\": {}}}",
        i ? "," : "", i + 1, quote(s.label), number(s.sample_rate_hz), quote(s.physical_dimension),
        number(s.physical_min), number(s.physical_max), s.is_annotation,
        terms ? quote(terms->positive + "-" + terms->negative) : "null", kept[i]);
  }
  std::string annotations;
  for (const EdfAnnotation& a : reader->annotations()) {
    annotations += fmt::format("{}\n    {{\"onset_s\": {}, \"duration_s\": {}, \"text\": {}}}",
                               annotations.empty() ? "" : ",", number(a.onset_s),
                               a.duration_s < 0 ? "null" : number(a.duration_s), quote(a.text));
  }
  fmt::print(
      "{{\n  \"file\": {},\n  \"format\": {},\n  \"reader\": {},\n  \"fallback_reason\": {},\n"
      "  \"start\": {{\"date\": {}, \"time\": {}, \"subsecond_s\": {}}},\n"
      "  \"records\": {},\n  \"record_duration_s\": {},\n  \"duration_s\": {},\n"
      "  \"signals\": [{}\n  ],\n  \"montage\": {},\n  \"annotations\": [{}\n  ]\n}}\n",
      quote(path), quote(h.kind_name()), quote(reader->reader_name()),
      reader->fallback_reason().empty() ? "null" : quote(reader->fallback_reason()),
      quote(h.start_date), quote(h.start_time), number(reader->start_subsecond_s()), h.records,
      number(h.record_duration_s), number(h.duration_s()), signals, montage, annotations);
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
