#pragma once
// The live EPR pipeline, in the same runner as EEG (core/Pipeline.hpp):
//
//   epr-source -> epr-deconvolve -> epr-image
//
// - epr-source (EprProjectionSource.hpp): projections as they arrive, one frame each;
// - epr-deconvolve: each projection, the moment it arrives, as a filtered row on the image's
//   bins (stages/epr/ProjectionDeconvolution.hpp);
// - epr-image: the row back-projected into the running image, which is published at once; TV
//   re-runs in the background; the final solve at the end (stages/epr/LiveEprImage.hpp). It
//   publishes every image on the display feed (sdx.epr.image) when one is configured. The final
//   image's files (EprOutputs.hpp) are written when the run is over.
//
// `epr run` is this pipeline; `epr reconstruct` is the same pipeline without the live re-runs
// and the feed: its image is the final solve, the same either way (bit for bit).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/Config.hpp"
#include "runtime/EprProjectionSource.hpp"
#include "stages/epr/LiveEprImage.hpp"

namespace streamdx {

struct EprRunSettings {
  LiveEprOptions live;
  std::string display;       // the image feed's endpoint; empty: none
  double wait_viewer_s = 0;  // wait this long for a viewer on the feed before starting
  std::filesystem::path out_dir = "streamdx-epr";
  bool write_outputs = true;
};

// [epr] of `config`, as the reconstruction and the live re-runs read it.
EprRunSettings epr_run_settings(const Config& config);

struct EprRunOutcome {
  int exit_code = 0;
  std::string error;                       // one line, when exit_code != 0
  std::optional<EprReconstruction> image;  // the final solve over what arrived
  std::optional<wire::EprHeader> header;
  bool partial = false;  // the acquisition failed part-way: `image` is of what arrived
  std::string ended;     // "end of stream", "stopped by signal", or the failure
  std::size_t projections = 0;
  std::size_t tv_reruns = 0;
  std::size_t images_published = 0;
  std::uint64_t images_dropped = 0;  // by the display feed (no viewer could take them)
  // Per projection: from its arrival to its updated image's publication, ms.
  std::vector<double> update_latency_ms;
};

EprRunOutcome run_epr_pipeline(const EprInput& input, const EprRunSettings& settings,
                               const Config& config);

}  // namespace streamdx
