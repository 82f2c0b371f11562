#pragma once
// What an EPR run leaves in its output folder, each file written atomically (a reader never
// sees half an image): image.f32 (float32, x fastest), image.json (what the image is, every
// figure of the solve, and how the run went), image.png and residual.png.
#include <filesystem>
#include <string>

#include "io/EprWireMessages.hpp"
#include "stages/epr/EprReconstruction.hpp"

namespace streamdx {

struct EprRunOutcome;

// How the run went, for image.json: projections, TV re-runs, update latency, how it ended.
struct EprLiveFigures {
  const EprRunOutcome& outcome;
  std::string ended;      // "end of stream", "stopped by signal", or the failure
  std::string reference;  // as the user named it, or the stream's source
  unsigned threads = 0;
};

json::Json epr_run_metadata(const EprReconstruction& r, const std::string& input,
                            const wire::EprHeader& header, const EprLiveFigures& live);

// `stem`: "image" (image.f32, image.json, image.png, residual.png), or "image-partial" after a
// failure (image-partial.f32, ...).
void write_epr_outputs(const std::filesystem::path& dir, const std::string& stem,
                       const EprReconstruction& r, const std::string& input,
                       const wire::EprHeader& header, const EprLiveFigures& live);

}  // namespace streamdx
