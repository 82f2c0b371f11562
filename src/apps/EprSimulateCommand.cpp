// streamdx epr simulate: projections of a phantom with its ground truth (EprSimulator.hpp).
#include <cstdio>
#include <filesystem>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "gui/EprPlots.hpp"
#include "io/Bes3tFile.hpp"
#include "stages/epr/EprSimulationFiles.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

namespace {

struct EprSimulateOptions {
  std::string out_dir;
  std::string phantom = "disks";
  std::size_t size = 256;
  double fov_cm = 3.0;
  double snr = 50;
  double rho = 0;
  std::uint64_t seed = 1;
  std::string line_shape = "phalanx";  // the measured h, or lorentzian / gaussian / voigt
  std::string reference;  // the measured h (default: the phalanx h under STREAMDX_DATA)
  double lorentz_fwhm = 1.0;
  double gauss_fwhm = 1.0;
  double modulation = 0.0;
  std::size_t projections = 113;
  std::string order = "sequential";
  std::size_t dims = 2;
  double gradient = 168;
};

EprSimulationOptions simulation_options(const EprSimulateOptions& cmd) {
  EprSimulationOptions o;
  o.phantom = cmd.phantom;
  o.truth_grid = {cmd.size, cmd.fov_cm};
  o.snr = cmd.snr;
  o.rho = cmd.rho;
  o.seed = cmd.seed;
  o.projections = cmd.projections;
  o.order = cmd.order;
  o.dimensions = cmd.dims;
  o.gradient = cmd.gradient;
  if (cmd.line_shape == "phalanx") {
    const std::filesystem::path ref =
        cmd.reference.empty() ? default_data_root() / "epr/phalanx-2d/phalanx-20220203-h.DSC"
                              : std::filesystem::path(cmd.reference);
    o.measured_reference = load_reference(ref);
  } else {
    o.line.kind = line_shape_kind(cmd.line_shape);
    o.line.lorentz_fwhm = cmd.lorentz_fwhm;
    o.line.gauss_fwhm = cmd.gauss_fwhm;
    o.line.modulation = cmd.modulation;
  }
  return o;
}

class EprSimulateCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("-o,--out", o_.out_dir, "output directory")->required();
    cmd.add_option("--phantom", o_.phantom, "disks, ellipses or shepp-logan")
        ->capture_default_str();
    cmd.add_option("--size", o_.size, "ground truth grid (pixels per side)")->capture_default_str();
    cmd.add_option("--fov", o_.fov_cm, "ground truth field of view, cm")->capture_default_str();
    cmd.add_option("--snr", o_.snr, "peak projection / noise std (0: no noise)")
        ->capture_default_str();
    cmd.add_option("--rho", o_.rho, "AR(1) correlation of the noise (0: white)")
        ->capture_default_str();
    cmd.add_option("--seed", o_.seed, "seeds the noise")->capture_default_str();
    cmd.add_option("--line-shape", o_.line_shape,
                   "phalanx (the measured h), lorentzian, gaussian or voigt")
        ->capture_default_str();
    cmd.add_option("--reference", o_.reference,
                   "measured h for --line-shape phalanx (default: STREAMDX_DATA's)");
    cmd.add_option("--lorentz-fwhm", o_.lorentz_fwhm, "gauss")->capture_default_str();
    cmd.add_option("--gauss-fwhm", o_.gauss_fwhm, "gauss")->capture_default_str();
    cmd.add_option("--modulation", o_.modulation,
                   "peak-to-peak field modulation, gauss (Bessel model)")
        ->capture_default_str();
    cmd.add_option("--dims", o_.dims,
                   "3: a volume of balls seen along k x k directions on a theta-phi grid (k^2 = "
                   "--projections), as fusillo's")
        ->capture_default_str()
        ->check(CLI::IsMember({2, 3}));
    cmd.add_option("--order", o_.order,
                   "the acquisition order: sequential (0 to 180 degrees) or interleaved "
                   "(bit-reversed: every prefix covers 180 degrees evenly)")
        ->capture_default_str()
        ->check(CLI::IsMember({"sequential", "interleaved"}));
    cmd.add_option("--projections", o_.projections, "angles, evenly over 180 degrees")
        ->capture_default_str();
    cmd.add_option("--gradient", o_.gradient, "G/cm")->capture_default_str();
  }

  int run() override {
    const EprSimulation sim = simulate_epr(simulation_options(o_));
    const std::filesystem::path dir(o_.out_dir);
    std::filesystem::create_directories(dir);
    write_simulation_files(dir, sim,
                           EprSimulationRecord{o_.phantom, o_.size, o_.fov_cm, o_.snr, o_.rho,
                                               o_.seed, o_.gradient, o_.line_shape});
    // A volume is drawn by its central z slice.
    const std::size_t plane = o_.size * o_.size;
    const std::span<const float> shown =
        o_.dims == 3 ? std::span<const float>(sim.truth).subspan(o_.size / 2 * plane, plane)
                     : std::span<const float>(sim.truth);
    draw_png_or_warn([&] {
      write_epr_image_png((dir / "truth.png").string(), shown, o_.size, o_.fov_cm * 10,
                          o_.dims == 3 ? std::string("ground truth: balls, central z slice")
                                       : "ground truth: " + o_.phantom);
    });
    std::printf(
        "wrote %s: proj.DSC/.DTA/.YGF, h.DSC/.DTA, fgrad.txt, truth.f32/.json/.png (B0 %.2f G, "
        "noise sigma %.4g)\n",
        dir.string().c_str(), sim.b0, sim.noise_sigma);
    return 0;
  }

 private:
  EprSimulateOptions o_;
};

const cli::CommandRegistration<EprSimulateCli> kRegistered{
    {"simulate",
     "Write simulated 2D EPR projections (BES3T) of a phantom with its ground truth, on the "
     "phalanx geometry",
     10, kEprGroup}};

}  // namespace

}  // namespace streamdx
