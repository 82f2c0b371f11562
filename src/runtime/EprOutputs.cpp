#include "runtime/EprOutputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "core/Percentile.hpp"
#include "gui/EprPlots.hpp"
#include "io/AtomicFile.hpp"
#include "io/RawFloatFile.hpp"
#include "runtime/EprLivePipeline.hpp"

namespace streamdx {

namespace {

// A volume's three central slices and its maximum intensity projection along z, as images.
std::vector<std::pair<std::string, std::vector<float>>> volume_views(const EprReconstruction& r) {
  const std::size_t n = r.grid.n;
  const std::size_t h = n / 2;
  auto at = [&](std::size_t i, std::size_t j, std::size_t k) {
    return r.image[(k * n + j) * n + i];
  };
  std::vector<float> xy(n * n), xz(n * n), yz(n * n), mip(n * n, 0.0F);
  for (std::size_t b = 0; b < n; ++b) {
    for (std::size_t a = 0; a < n; ++a) {
      xy[b * n + a] = at(a, b, h);
      xz[b * n + a] = at(a, h, b);
      yz[b * n + a] = at(h, a, b);
      for (std::size_t k = 0; k < n; ++k) mip[b * n + a] = std::max(mip[b * n + a], at(a, b, k));
    }
  }
  return {{"slice-xy", std::move(xy)},
          {"slice-xz", std::move(xz)},
          {"slice-yz", std::move(yz)},
          {"mip-z", std::move(mip)}};
}

void write_pngs(const std::filesystem::path& dir, const std::string& stem,
                const EprReconstruction& r, const std::string& input) {
  const std::string name = std::filesystem::path(input).filename().string();
  if (r.grid.dimensions == 3) {
    // Each view is drawn with its first axis across and its second up: xy, xz and yz.
    for (const auto& v : volume_views(r)) {
      const std::string title = fmt::format("{}: {} {} ({}^3, {:.2f} cm)", name, r.method, v.first,
                                            r.grid.n, r.grid.fov_cm);
      const std::string file = fmt::format("{}-{}.png", stem, v.first);
      draw_png_or_warn([&] {
        // "slice-xz" is drawn with x across and z up; the maximum along z as x across, y up.
        const std::string axes = v.first.starts_with("slice-") ? v.first.substr(6) : "xy";
        write_epr_image_png((dir / file).string(), v.second, r.grid.n, r.grid.fov_cm * 10, title,
                            axes);
      });
    }
  } else {
    const std::string title = fmt::format("{}: {} ({} x {}, {:.2f} cm)", name, r.method, r.grid.n,
                                          r.grid.n, r.grid.fov_cm);
    draw_png_or_warn([&] {
      write_epr_image_png((dir / (stem + ".png")).string(), r.image, r.grid.n, r.grid.fov_cm * 10,
                          title);
    });
  }
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
