#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "apps/BonnStitcher.hpp"
#include "apps/Commands.hpp"
#include "apps/EegCorpus.hpp"

namespace streamdx {

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

}  // namespace streamdx
