// streamdx epr reconstruct: one image from projections and the reference, by TV with automatic
// lambda (default) or the Fourier baseline (stages/epr/EprReconstruction.hpp).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "gui/EprPlots.hpp"
#include "io/AtomicFile.hpp"
#include "io/RawFloatFile.hpp"
#include "stages/epr/EprReconstruction.hpp"

namespace streamdx {

namespace {

struct EprReconstructOptions {
  std::string projections;
  std::string reference;
  std::string fgrad;
  std::string out_dir = "streamdx-epr";
  EprReconstructionOptions options;
  bool json = false;
};

void write_pngs(const std::filesystem::path& dir, const EprReconstruction& r,
                const std::string& projections) {
  const std::string title = fmt::format("{}: {} ({} x {}, {:.2f} cm)",
                                        std::filesystem::path(projections).filename().string(),
                                        r.method, r.grid.n, r.grid.n, r.grid.fov_cm);
  draw_png_or_warn([&] {
    write_epr_image_png((dir / "image.png").string(), r.image, r.grid.n, r.grid.fov_cm * 10, title);
  });
  draw_png_or_warn([&] {
    write_epr_residual_png(
        (dir / "residual.png").string(), r.projection_residuals, r.residual_history,
        fmt::format("{}: data residual (whitened) against the noise floor", r.method));
  });
}

int reconstruct(const EprReconstructOptions& cmd) {
  const auto fgrad =
      cmd.fgrad.empty() ? std::nullopt : std::optional<std::filesystem::path>(cmd.fgrad);
  const ProjectionSet set = load_projections(cmd.projections, fgrad);
  const ReferenceSpectrum ref = load_reference(cmd.reference);
  const EprReconstruction r = reconstruct_epr(set, ref, cmd.options);

  const std::filesystem::path dir(cmd.out_dir);
  std::filesystem::create_directories(dir);
  write_f32_file(dir / "image.f32", r.image);
  const std::string json = reconstruction_metadata_json(r, cmd.projections, cmd.reference,
                                                        resolve_threads(cmd.options.threads));
  write_file_atomically(dir / "image.json", json);
  write_pngs(dir, r, cmd.projections);
  if (cmd.json) {
    std::fputs(json.c_str(), stdout);
    return 0;
  }
  std::printf("%s: %s in %.0f ms, residual %.3f x noise, negative mass %.2f %%%s -> %s\n",
              cmd.projections.c_str(), r.method.c_str(), r.timings_ms.at("total"),
              r.residual_over_noise, 100 * r.negative_mass,
              r.method == "tv"
                  ? fmt::format(", lambda {:.4g}, {} iterations", r.lambda, r.iterations).c_str()
                  : "",
              dir.string().c_str());
  return 0;
}

class EprReconstructCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    EprReconstructionOptions& r = o_.options;
    cmd.add_option("PROJ", o_.projections, "projections, BES3T .DSC")->required();
    cmd.add_option("--reference", o_.reference, "zero-gradient reference spectrum h, BES3T .DSC")
        ->required();
    cmd.add_option("--fgrad", o_.fgrad,
                   "gradient vectors, G/cm (text or .npy, one row per axis); default: GRAD and "
                   "the angle axis of PROJ");
    cmd.add_option("--method", r.method, "tv or fourier")->capture_default_str();
    cmd.add_option("-o,--out", o_.out_dir, "output directory")->capture_default_str();
    cmd.add_option("--size", r.size, "pixels per side")->capture_default_str();
    cmd.add_option("--fov", r.fov_cm, "field of view, cm (default: what the sweep supports)");
    cmd.add_option("--width", r.width_per_cm,
                   "fourier apodization width, cycles/cm (default: |g| / Bpp)");
    cmd.add_option("--threads", r.threads, "0: every core")->capture_default_str();
    cmd.add_option("--max-iterations", r.tv.max_iterations, "tv: stop after this many")
        ->capture_default_str();
    cmd.add_option("--tolerance", r.tv.tolerance, "tv stop: relative change per iteration")
        ->capture_default_str();
    cmd.add_option("--step-scale", r.tv.step_scale,
                   "tv: primal step relative to the image scale (speed only)")
        ->capture_default_str();
    cmd.add_option("--model-error", r.model_error,
                   "tv: the operator's relative model error (default: measured on this "
                   "geometry)");
    cmd.add_flag("--json", o_.json, "print the metadata JSON");
  }
  int run() override { return reconstruct(o_); }

 private:
  EprReconstructOptions o_;
};

const cli::CommandRegistration<EprReconstructCli> kRegistered{
    {"reconstruct",
     "Reconstruct a 2D EPR image: non-negative TV with automatic lambda (default) or the Fourier "
     "baseline",
     20, kEprGroup}};

}  // namespace

}  // namespace streamdx
