#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "apps/CommandLine.hpp"
#include "training/BonnStitcher.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

namespace {

// A long test recording stitched from Bonn segments (apps/BonnStitcher.hpp).
struct StitchCommand {
  std::string bonn;
  std::string out;
  int first = 81;
  int last = 100;
  std::uint64_t seed = 1;
  std::size_t channels = 1;
  std::size_t seizure_channels = 0;
  std::size_t events = 3;
  double background_s = 600;
};

}  // namespace

int run_stitch_command(const StitchCommand& cmd) {
  StitchOptions o;
  o.bonn_root =
      cmd.bonn.empty() ? default_data_root() / "eeg" / "bonn" : std::filesystem::path(cmd.bonn);
  o.first_segment = cmd.first;
  o.last_segment = cmd.last;
  o.seed = cmd.seed;
  o.channels = cmd.channels;
  o.seizure_channels = cmd.seizure_channels;
  o.events = cmd.events;
  o.background_s = cmd.background_s;
  const std::filesystem::path out(cmd.out);
  if (out.extension() != ".edf") throw std::invalid_argument("stitch: -o must name an .edf file");
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  const StitchedRecording rec = stitch_bonn(o);
  write_stitched(rec, o, out);
  spdlog::info(
      "{}: {:.1f} s, {} channels, {} seizure events, stitched from Bonn segments "
      "{:03}-{:03} (seed {})",
      out.string(), rec.duration_s, rec.channels.size(), rec.seizures.size(), o.first_segment,
      o.last_segment, o.seed);
  return 0;
}

namespace {

class StitchCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("-o,--out", o_.out, "OUT.edf (OUT.csv_bi and OUT.json beside it)")->required();
    cmd.add_option("--bonn", o_.bonn, "Bonn data root (default STREAMDX_DATA/eeg/bonn)");
    cmd.add_option("--first", o_.first, "first segment")->capture_default_str();
    cmd.add_option("--last", o_.last, "last segment")->capture_default_str();
    cmd.add_option("--seed", o_.seed, "random seed: which segments, in which order, where")
        ->capture_default_str();
    cmd.add_option("--channels", o_.channels, "each draws its own segments")->capture_default_str();
    cmd.add_option("--seizure-channels", o_.seizure_channels,
                   "channels carrying set E during an event, the rest set D (0: all)")
        ->capture_default_str();
    cmd.add_option("--events", o_.events, "seizure events to place among the background")
        ->capture_default_str();
    cmd.add_option("--background", o_.background_s, "seconds of background, at least")
        ->capture_default_str();
  }
  int run() override { return run_stitch_command(o_); }

 private:
  StitchCommand o_;
};

const cli::CommandRegistration<StitchCli> kRegistered{
    {"stitch",
     "Write a long test recording stitched from Bonn segments (background from sets A-D, "
     "seizures from E, 0.5 s cross-fades) as EDF+ with its csv_bi reference",
     110}};

}  // namespace

}  // namespace streamdx
