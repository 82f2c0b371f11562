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
#include "runtime/EprAcquisitionInput.hpp"
#include "stages/epr/EprAcquisition.hpp"
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

// The projections and reference: from BES3T files, or from an acquisition stream (`epr send`:
// stdin, a ZeroMQ endpoint or an .sdxe file), which carries its own reference.
std::pair<ProjectionSet, ReferenceSpectrum> load_input(const EprReconstructOptions& cmd,
                                                       const Config& config) {
  if (!is_acquisition_stream(cmd.projections)) {
    if (cmd.reference.empty()) {
      throw std::invalid_argument("--reference is required with BES3T projections");
    }
    const auto fgrad =
        cmd.fgrad.empty() ? std::nullopt : std::optional<std::filesystem::path>(cmd.fgrad);
    return {load_projections(cmd.projections, fgrad), load_reference(cmd.reference)};
  }
  if (!cmd.reference.empty() || !cmd.fgrad.empty()) {
    throw std::invalid_argument(fmt::format(
        "{}: an acquisition stream carries its reference and gradients; drop --reference and "
        "--fgrad",
        cmd.projections));
  }
  const Acquisition a = receive_acquisition(acquisition_stream_spec(cmd.projections, config));
  return {projections_from(a.header, a.projections), reference_from(a.header)};
}

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

int reconstruct(const EprReconstructOptions& cmd, const Config& config) {
  const auto [set, ref] = load_input(cmd, config);
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
    cmd.add_option("PROJ", o_.projections,
                   "projections, BES3T .DSC; or an acquisition stream (epr send): - for stdin, "
                   "a ZeroMQ endpoint, or an .sdxe file")
        ->required();
    cmd.add_option("--reference", o_.reference,
                   "zero-gradient reference spectrum h, BES3T .DSC (BES3T projections only)");
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
    config_.add_to(cmd);  // [zmq]: peer timeout and CURVE keys for a ZeroMQ acquisition
  }
  int run() override { return reconstruct(o_, config_.load()); }

 private:
  EprReconstructOptions o_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<EprReconstructCli> kRegistered{
    {"reconstruct",
     "Reconstruct a 2D EPR image: non-negative TV with automatic lambda (default) or the Fourier "
     "baseline",
     20, kEprGroup}};

}  // namespace

}  // namespace streamdx
