#include "apps/EprCli.hpp"

namespace streamdx {

EprCli::EprCli(CLI::App& app) {
  group_ = app.add_subcommand(
      "epr", "EPR imaging: simulate, reconstruct, compare with ground truth, inspect files");
  group_->require_subcommand(1);

  auto& s = simulate_cmd_;
  simulate_ = group_->add_subcommand("simulate",
                                     "Write simulated 2D EPR projections (BES3T) of a phantom with "
                                     "its ground truth, on the phalanx geometry");
  simulate_->add_option("-o,--out", s.out_dir, "output directory")->required();
  simulate_->add_option("--phantom", s.phantom, "disks, ellipses or shepp-logan")
      ->capture_default_str();
  simulate_->add_option("--size", s.size, "ground truth grid (pixels per side)")
      ->capture_default_str();
  simulate_->add_option("--fov", s.fov_cm, "ground truth field of view, cm")->capture_default_str();
  simulate_->add_option("--snr", s.snr, "peak projection / noise std (0: no noise)")
      ->capture_default_str();
  simulate_->add_option("--rho", s.rho, "AR(1) correlation of the noise (0: white)")
      ->capture_default_str();
  simulate_->add_option("--seed", s.seed)->capture_default_str();
  simulate_
      ->add_option("--line-shape", s.line_shape,
                   "phalanx (the measured h), lorentzian, gaussian or voigt")
      ->capture_default_str();
  simulate_->add_option("--reference", s.reference,
                        "measured h for --line-shape phalanx (default: STREAMDX_DATA's)");
  simulate_->add_option("--lorentz-fwhm", s.lorentz_fwhm, "gauss")->capture_default_str();
  simulate_->add_option("--gauss-fwhm", s.gauss_fwhm, "gauss")->capture_default_str();
  simulate_
      ->add_option("--modulation", s.modulation,
                   "peak-to-peak field modulation, gauss (Bessel model)")
      ->capture_default_str();
  simulate_->add_option("--projections", s.projections)->capture_default_str();
  simulate_->add_option("--gradient", s.gradient, "G/cm")->capture_default_str();

  auto& r = reconstruct_cmd_;
  reconstruct_ = group_->add_subcommand("reconstruct",
                                        "Reconstruct a 2D EPR image: non-negative TV with "
                                        "automatic lambda (default) or the Fourier baseline");
  reconstruct_->add_option("PROJ", r.projections, "projections, BES3T .DSC")->required();
  reconstruct_
      ->add_option("--reference", r.reference, "zero-gradient reference spectrum h, BES3T .DSC")
      ->required();
  reconstruct_->add_option("--fgrad", r.fgrad,
                           "gradient vectors, G/cm (text or .npy, one row per axis); default: "
                           "GRAD and the angle axis of PROJ");
  reconstruct_->add_option("--method", r.options.method, "tv or fourier")->capture_default_str();
  reconstruct_->add_option("-o,--out", r.out_dir, "output directory")->capture_default_str();
  reconstruct_->add_option("--size", r.options.size, "pixels per side")->capture_default_str();
  reconstruct_->add_option("--fov", r.options.fov_cm,
                           "field of view, cm (default: what the sweep supports)");
  reconstruct_->add_option("--width", r.options.width_per_cm,
                           "fourier apodization width, cycles/cm (default: |g| / Bpp)");
  reconstruct_->add_option("--threads", r.options.threads, "0: every core")->capture_default_str();
  reconstruct_->add_option("--max-iterations", r.options.tv.max_iterations)->capture_default_str();
  reconstruct_
      ->add_option("--tolerance", r.options.tv.tolerance, "tv stop: relative change per iteration")
      ->capture_default_str();
  reconstruct_
      ->add_option("--step-scale", r.options.tv.step_scale,
                   "tv: primal step relative to the image scale (speed only)")
      ->capture_default_str();
  reconstruct_->add_option(
      "--model-error", r.options.model_error,
      "tv: the operator's relative model error (default: measured on this geometry)");
  reconstruct_->add_flag("--json", r.json, "print the metadata JSON");

  auto& c = compare_cmd_;
  compare_ = group_->add_subcommand("compare",
                                    "Against a ground truth: the Fourier baseline at its oracle "
                                    "apodization (raw and clipped) and tv");
  compare_->add_option("PROJ", c.projections)->required();
  compare_->add_option("--reference", c.reference)->required();
  compare_->add_option("--truth", c.truth, "truth.f32 (with truth.json beside it)")->required();
  compare_->add_option("--fgrad", c.fgrad);
  compare_->add_option("-o,--out", c.out_dir, "also write compare.json and both images here");
  compare_->add_option("--threads", c.threads)->capture_default_str();
  compare_->add_flag("--json", c.json);

  inspect_ = group_->add_subcommand(
      "inspect", "Print what a BES3T (.DSC) or ESP/WinEPR (.par) file holds, as JSON");
  inspect_->add_option("FILE", inspect_path_)->required();
}

bool EprCli::parsed() const {
  return group_->parsed();
}

int EprCli::run() const {
  if (simulate_->parsed()) return run_epr_simulate(simulate_cmd_);
  if (reconstruct_->parsed()) return run_epr_reconstruct(reconstruct_cmd_);
  if (compare_->parsed()) return run_epr_compare(compare_cmd_);
  if (inspect_->parsed()) return run_epr_inspect(inspect_path_);
  return 2;
}

}  // namespace streamdx
