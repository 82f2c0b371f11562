#include "apps/EprRunOptions.hpp"

#include "runtime/ModelLoading.hpp"

namespace streamdx {

void EprRunOptions::add_to(CLI::App& cmd) {
  cmd.add_option("INPUT", input_.spec,
                 "projections, BES3T .DSC (replayed one at a time); or an acquisition stream "
                 "(epr send): - for stdin, a ZeroMQ endpoint, or an .sdxe file")
      ->required();
  cmd.add_option("--reference", input_.reference,
                 "zero-gradient reference spectrum h, BES3T .DSC (BES3T projections only)");
  cmd.add_option("--fgrad", input_.fgrad,
                 "gradient vectors, G/cm (text or .npy, one row per axis); default: GRAD and the "
                 "angle axis of the projections");
  cmd.add_option("-o,--out", out_dir_, "output directory")->capture_default_str();
  cmd.add_option("--method", method_, "tv, fourier or reservoir [epr.method]");
  cmd.add_option("--reservoir", reservoir_model_,
                 "--method reservoir: the trained model [epr.reservoir_model]");
  cmd.add_option("--operator", tv_operator_,
                 "2D tv: toeplitz (A*A by FFT) or projector (Joseph's, each iteration) "
                 "[epr.operator]");
  cmd.add_option("--size", size_, "pixels per side [epr.size; 3D: epr.size_3d]");
  cmd.add_option("--fov", fov_cm_, "field of view, cm (default: what the sweep supports)");
  cmd.add_option("--width", width_per_cm_,
                 "fourier apodization width, cycles/cm (default: |g| / Bpp)");
  cmd.add_option("--threads", threads_, "0: every core [epr.threads]");
  cmd.add_option("--max-iterations", max_iterations_,
                 "tv: the final solve stops after this many [epr.max_iterations; 3D: "
                 "epr.max_iterations_3d]");
  cmd.add_option("--tolerance", tolerance_,
                 "tv stop: relative change per iteration [epr.tolerance]");
  cmd.add_option("--step-scale", step_scale_,
                 "tv: primal step relative to the image scale (speed only)");
  cmd.add_option("--model-error", model_error_,
                 "tv: the operator's relative model error (default: measured on this geometry)");
  cmd.add_option("--interval", interval_s_,
                 "BES3T input: seconds between projections, as an instrument paces them "
                 "[epr.interval_s]")
      ->check(CLI::Range(0.0, 86400.0));
}

EprRunSettings EprRunOptions::settings(const Config& config) const {
  EprRunSettings s = epr_run_settings(config);
  EprReconstructionOptions& r = s.live.reconstruction;
  if (method_) r.method = *method_;
  if (tv_operator_) r.tv_operator = *tv_operator_;
  if (reservoir_model_) r.reservoir_model = resolve_model_path(*reservoir_model_);
  if (size_) r.size = r.size_3d = *size_;
  r.fov_cm = fov_cm_;
  r.width_per_cm = width_per_cm_;
  if (threads_) r.threads = *threads_;
  if (max_iterations_) r.tv.max_iterations = r.max_iterations_3d = *max_iterations_;
  if (tolerance_) r.tv.tolerance = *tolerance_;
  if (step_scale_) r.tv.step_scale = *step_scale_;
  r.model_error = model_error_;
  s.out_dir = out_dir_;
  return s;
}

EprInput EprRunOptions::input(const Config& config) const {
  EprInput in = input_;
  in.interval_s = interval_s_.value_or(config.get_double("epr.interval_s"));
  return in;
}

}  // namespace streamdx
