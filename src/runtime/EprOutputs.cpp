#include "runtime/EprOutputs.hpp"

#include <fmt/format.h>

#include "core/Percentile.hpp"
#include "gui/EprPlots.hpp"
#include "io/AtomicFile.hpp"
#include "io/RawFloatFile.hpp"
#include "runtime/EprLivePipeline.hpp"

namespace streamdx {

namespace {

void write_pngs(const std::filesystem::path& dir, const std::string& stem,
                const EprReconstruction& r, const std::string& input) {
  const std::string title =
      fmt::format("{}: {} ({} x {}, {:.2f} cm)", std::filesystem::path(input).filename().string(),
                  r.method, r.grid.n, r.grid.n, r.grid.fov_cm);
  draw_png_or_warn([&] {
    write_epr_image_png((dir / (stem + ".png")).string(), r.image, r.grid.n, r.grid.fov_cm * 10,
                        title);
  });
  draw_png_or_warn([&] {
    write_epr_residual_png(
        (dir / (stem == "image" ? std::string("residual.png") : stem + "-residual.png")).string(),
        r.projection_residuals, r.residual_history,
        fmt::format("{}: data residual (whitened) against the noise floor", r.method));
  });
}

}  // namespace

json::Json epr_run_metadata(const EprReconstruction& r, const std::string& input,
                            const wire::EprHeader& header, const EprLiveFigures& live) {
  const EprRunOutcome& o = live.outcome;
  json::Json j = reconstruction_metadata(r, input, live.reference, resolve_threads(live.threads));
  const auto& lat = o.update_latency_ms;
  j["live"] = {
      {"projections", o.projections},
      {"expected_projections", header.projections},
      {"complete", header.projections == 0 || o.projections == header.projections},
      {"ended", live.ended},
      {"tv_reruns", o.tv_reruns},
      {"images_published", o.images_published},
      {"update_latency_ms",
       {{"p50", json::rounded(percentile(lat, 0.5), 3)},
        {"p99", json::rounded(percentile(lat, 0.99), 3)},
        {"max", json::rounded(lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()), 3)}}}};
  return j;
}

void write_epr_outputs(const std::filesystem::path& dir, const std::string& stem,
                       const EprReconstruction& r, const std::string& input,
                       const wire::EprHeader& header, const EprLiveFigures& live) {
  std::filesystem::create_directories(dir);
  write_f32_file(dir / (stem + ".f32"), r.image);
  write_file_atomically(dir / (stem + ".json"),
                        json::text(epr_run_metadata(r, input, header, live)));
  write_pngs(dir, stem, r, input);
}

}  // namespace streamdx
