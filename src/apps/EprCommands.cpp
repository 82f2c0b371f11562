#include "apps/EprCommands.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "apps/Commands.hpp"
#include "apps/EegCorpus.hpp"
#include "core/Json.hpp"
#include "gui/EprPlots.hpp"
#include "io/AtomicFile.hpp"
#include "io/Bes3tFile.hpp"
#include "io/EspFile.hpp"
#include "io/TextParsing.hpp"
#include "stages/epr/EprSimulator.hpp"
#include "stages/epr/FourierReconstructor.hpp"
#include "stages/epr/ImageQuality.hpp"

namespace streamdx {

namespace fs = std::filesystem;

namespace {

void write_f32(const fs::path& path, std::span<const float> values) {
  write_file_atomically(
      path, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(values.data()),
                                          values.size() * 4));
}

std::vector<float> read_f32(const fs::path& path) {
  const std::string bytes = read_text_file(path);
  if (bytes.size() % 4 != 0)
    throw std::runtime_error(
        fmt::format("{}: {} bytes is not whole float32 values", path.string(), bytes.size()));
  std::vector<float> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

// A PNG is a convenience: a build without Qt still writes the data and says what it skipped.
template <class F>
void try_png(F&& draw) {
  try {
    draw();
  } catch (const std::exception& e) {
    spdlog::warn("{}", e.what());
  }
}

EprDataset as_dataset(const std::vector<float>& field, const std::vector<float>& values,
                      std::size_t ny, const std::vector<double>& y, const std::string& title) {
  EprDataset d;
  d.nx = field.size();
  d.ny = ny;
  d.x = {"Field", "G", {field.begin(), field.end()}};
  if (ny > 1) d.y = {"Angle", "deg", y};
  d.channels.resize(1);
  d.channels[0].real.assign(values.begin(), values.end());
  d.parameters["TITL"] = "'" + title + "'";
  return d;
}

std::string timings_json(const std::map<std::string, double>& timings) {
  std::string out = "{";
  for (const auto& [k, v] : timings)
    out += fmt::format("{}{}: {}", out.size() > 1 ? ", " : "", json::quote(k), json::number(v));
  return out + "}";
}

}  // namespace

int run_epr_simulate(const EprSimulateCommand& cmd) {
  EprSimulationOptions o;
  o.phantom = cmd.phantom;
  o.truth_grid = {cmd.size, cmd.fov_cm};
  o.snr = cmd.snr;
  o.rho = cmd.rho;
  o.seed = cmd.seed;
  o.projections = cmd.projections;
  o.gradient = cmd.gradient;
  if (cmd.line_shape == "phalanx") {
    const fs::path ref = cmd.reference.empty()
                             ? default_data_root() / "epr/phalanx-2d/phalanx-20220203-h.DSC"
                             : fs::path(cmd.reference);
    o.measured_reference = load_reference(ref);
  } else {
    o.line.kind = line_shape_kind(cmd.line_shape);
    o.line.lorentz_fwhm = cmd.lorentz_fwhm;
    o.line.gauss_fwhm = cmd.gauss_fwhm;
    o.line.modulation = cmd.modulation;
  }
  const EprSimulation sim = simulate_epr(o);
  const fs::path dir(cmd.out_dir);
  fs::create_directories(dir);

  std::vector<double> angles = sim.projections.angles();
  for (double& a : angles) a *= 180.0 / std::numbers::pi;
  EprDataset proj = as_dataset(
      sim.projections.field, sim.projections.data, sim.projections.projections(), angles,
      fmt::format("streamdx simulation: {} SNR {} rho {}", cmd.phantom, cmd.snr, cmd.rho));
  proj.parameters["GRAD"] = fmt::format("{:.6f}", cmd.gradient);
  proj.parameters["IMTY"] = "2D";
  write_bes3t(dir / "proj.DSC", proj);
  write_bes3t(dir / "h.DSC", as_dataset(sim.reference.field, sim.reference.h, 1, {},
                                        "streamdx simulation: reference"));
  std::string fgrad;
  for (int axis = 0; axis < 2; ++axis) {
    for (std::size_t k = 0; k < sim.projections.projections(); ++k) {
      fgrad += fmt::format("{}{:.10e}", k == 0 ? "" : " ",
                           sim.projections.gradients[k][static_cast<std::size_t>(axis)]);
    }
    fgrad += '\n';
  }
  write_file_atomically(dir / "fgrad.txt", fgrad);
  write_f32(dir / "truth.f32", sim.truth);
  write_file_atomically(
      dir / "truth.json",
      fmt::format(
          "{{\"n\": {}, \"fov_cm\": {}, \"phantom\": {}, \"snr\": {}, \"rho\": {}, \"seed\": {}, "
          "\"b0_gauss\": {}, \"noise_sigma\": {}, \"line_shape\": {}, \"version\": {}}}\n",
          cmd.size, json::number(cmd.fov_cm), json::quote(cmd.phantom), json::number(cmd.snr),
          json::number(cmd.rho), cmd.seed, json::number(sim.b0), json::number(sim.noise_sigma),
          json::quote(cmd.line_shape), json::quote(version_string())));
  try_png([&] {
    write_epr_image_png((dir / "truth.png").string(), sim.truth, cmd.size, cmd.fov_cm * 10,
                        "ground truth: " + cmd.phantom);
  });
  std::printf(
      "wrote %s: proj.DSC/.DTA/.YGF, h.DSC/.DTA, fgrad.txt, truth.f32/.json/.png (B0 %.2f G, noise "
      "sigma %.4g)\n",
      dir.string().c_str(), sim.b0, sim.noise_sigma);
  return 0;
}

int run_epr_reconstruct(const EprReconstructCommand& cmd) {
  const auto fgrad = cmd.fgrad.empty() ? std::nullopt : std::optional<fs::path>(cmd.fgrad);
  const ProjectionSet set = load_projections(cmd.projections, fgrad);
  const ReferenceSpectrum ref = load_reference(cmd.reference);
  const EprReconstruction r = reconstruct_epr(set, ref, cmd.options);

  const fs::path dir(cmd.out_dir);
  fs::create_directories(dir);
  const std::string stem = "image";
  write_f32(dir / (stem + ".f32"), r.image);
  const std::string json = fmt::format(
      "{{\n  \"version\": {},\n  \"projections\": {},\n  \"reference\": {},\n  \"method\": {},\n"
      "  \"grid\": [{}, {}],\n  \"dtype\": \"float32 little-endian, row 0 at y = -fov/2, x "
      "fastest\",\n"
      "  \"fov_cm\": {},\n  \"pixel_mm\": {},\n  \"b0_gauss\": {},\n  \"noise_sigma\": {},\n  "
      "\"noise_lag1\": {},\n  \"noise_ar_order\": {},\n"
      "  \"lambda\": {},\n  \"epsilon\": {},\n  \"model_error\": {},\n  \"iterations\": {},\n  "
      "\"converged\": {},\n"
      "  \"apodization_per_cm\": {},\n  \"residual_over_noise\": {},\n  "
      "\"residual_ends_over_noise\": {},\n  \"residual_middle_over_noise\": {},\n  "
      "\"negative_mass_fraction\": {},\n"
      "  \"seed\": null,\n  \"model_hash\": null,\n  \"threads\": {},\n  \"timings_ms\": {}\n}}\n",
      json::quote(version_string()), json::quote(cmd.projections), json::quote(cmd.reference),
      json::quote(r.method), r.grid.n, r.grid.n, json::number(r.grid.fov_cm),
      json::number(r.grid.pixel_cm() * 10), json::number(r.b0), json::number(r.noise.sigma),
      json::number(r.noise.lag1), r.noise.ar.size(), json::number(r.lambda),
      json::number(r.epsilon), json::number(r.model_error), r.iterations,
      r.converged ? "true" : "false", json::number(r.width_per_cm),
      json::number(r.residual_over_noise), json::number(r.residual_ends_over_noise),
      json::number(r.residual_middle_over_noise), json::number(r.negative_mass),
      resolve_threads(cmd.options.threads), timings_json(r.timings_ms));
  write_file_atomically(dir / (stem + ".json"), json);
  const std::string title =
      fmt::format("{}: {} ({} x {}, {:.2f} cm)", fs::path(cmd.projections).filename().string(),
                  r.method, r.grid.n, r.grid.n, r.grid.fov_cm);
  try_png([&] {
    write_epr_image_png((dir / (stem + ".png")).string(), r.image, r.grid.n, r.grid.fov_cm * 10,
                        title);
  });
  try_png([&] {
    write_epr_residual_png(
        (dir / "residual.png").string(), r.projection_residuals, r.residual_history,
        fmt::format("{}: data residual (whitened) against the noise floor", r.method));
  });
  if (cmd.json) {
    std::fputs(json.c_str(), stdout);
  } else {
    std::printf("%s: %s in %.0f ms, residual %.3f x noise, negative mass %.2f %%%s -> %s\n",
                cmd.projections.c_str(), r.method.c_str(), r.timings_ms.at("total"),
                r.residual_over_noise, 100 * r.negative_mass,
                r.method == "tv"
                    ? fmt::format(", lambda {:.4g}, {} iterations", r.lambda, r.iterations).c_str()
                    : "",
                dir.string().c_str());
  }
  return 0;
}

int run_epr_compare(const EprCompareCommand& cmd) {
  const auto fgrad = cmd.fgrad.empty() ? std::nullopt : std::optional<fs::path>(cmd.fgrad);
  const ProjectionSet set = load_projections(cmd.projections, fgrad);
  const ReferenceSpectrum ref = load_reference(cmd.reference);
  const std::vector<float> truth = read_f32(cmd.truth);
  fs::path truth_json(cmd.truth);
  truth_json.replace_extension(".json");
  const auto fov = json::find_number(read_text_file(truth_json), "fov_cm");
  if (!fov) throw std::runtime_error(truth_json.string() + ": no fov_cm");
  const auto n =
      static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(truth.size()))));
  if (n * n != truth.size()) throw std::runtime_error(cmd.truth + ": not a square image");

  const unsigned threads = resolve_threads(cmd.threads);
  const double b0 = reference_centre(ref);
  const ImageGrid grid{n, *fov};
  const FourierReconstructor fourier(set, ref, b0, grid, threads);
  // Oracle: the apodization width (cycles/cm) that minimises the error against the truth, on a
  // log grid from 1 to 60, separately for the raw and the clipped image.
  double best = 1e30, best_clipped = 1e30, w_best = 0, w_clipped = 0, neg_best = 0;
  std::vector<float> img_best, img_clipped;
  for (int i = 0; i <= 40; ++i) {
    const double w = std::pow(60.0, i / 40.0);
    auto img = fourier.reconstruct(set, w);
    const double e = nrmse(img, truth);
    const auto c = clipped_at_zero(img);
    const double ec = nrmse(c, truth);
    if (e < best) {
      best = e;
      w_best = w;
      neg_best = negative_mass_fraction(img);
      img_best = img;
    }
    if (ec < best_clipped) {
      best_clipped = ec;
      w_clipped = w;
      img_clipped = c;
    }
  }
  EprReconstructionOptions o;
  o.fov_cm = *fov;
  o.size = n;
  o.threads = threads;
  const EprReconstruction tv = reconstruct_epr(set, ref, o);
  const double e_tv = nrmse(tv.image, truth);

  const std::string json = fmt::format(
      "{{\"projections\": {}, \"fourier_oracle\": {{\"nrmse\": {}, \"width_per_cm\": {}, "
      "\"negative_mass_fraction\": {}}}, "
      "\"fourier_oracle_clipped\": {{\"nrmse\": {}, \"width_per_cm\": {}}}, "
      "\"tv\": {{\"nrmse\": {}, \"lambda\": {}, \"iterations\": {}, \"negative_mass_fraction\": "
      "{}, \"residual_over_noise\": {}, "
      "\"ms\": {}}}, \"tv_over_oracle\": {}, \"tv_over_clipped_oracle\": {}}}\n",
      json::quote(cmd.projections), json::number(best), json::number(w_best),
      json::number(neg_best), json::number(best_clipped), json::number(w_clipped),
      json::number(e_tv), json::number(tv.lambda), tv.iterations, json::number(tv.negative_mass),
      json::number(tv.residual_over_noise), json::number(tv.timings_ms.at("total")),
      json::number(e_tv / best), json::number(e_tv / best_clipped));
  if (!cmd.out_dir.empty()) {
    const fs::path dir(cmd.out_dir);
    fs::create_directories(dir);
    write_file_atomically(dir / "compare.json", json);
    try_png([&] {
      write_epr_image_png((dir / "fourier-oracle.png").string(), img_best, n, *fov * 10,
                          fmt::format("fourier, oracle w = {:.3g}/cm: NRMSE {:.3f}", w_best, best));
    });
    try_png([&] {
      write_epr_image_png((dir / "tv.png").string(), tv.image, n, *fov * 10,
                          fmt::format("tv, automatic lambda: NRMSE {:.3f}", e_tv));
    });
  }
  if (cmd.json) {
    std::fputs(json.c_str(), stdout);
  } else {
    std::printf("%-28s %8s %14s %14s\n", "method", "NRMSE", "setting", "negative mass");
    std::printf("%-28s %8.4f %10.3g /cm %13.2f%%\n", "fourier (oracle w)", best, w_best,
                100 * neg_best);
    std::printf("%-28s %8.4f %10.3g /cm %13.2f%%\n", "fourier (oracle w, clipped)", best_clipped,
                w_clipped, 0.0);
    std::printf("%-28s %8.4f %9s%.3g %13.2f%%\n", "tv (automatic lambda)", e_tv, "lambda ",
                tv.lambda, 100 * tv.negative_mass);
    std::printf(
        "tv / oracle %.3f, tv / clipped oracle %.3f; tv residual %.3f x noise, %u iterations, %.0f "
        "ms\n",
        e_tv / best, e_tv / best_clipped, tv.residual_over_noise, tv.iterations,
        tv.timings_ms.at("total"));
  }
  return 0;
}

int run_epr_inspect(const std::string& path) {
  const fs::path p(path);
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const EprDataset d = ext == ".par" ? read_esp(p) : read_bes3t(p);
  std::string channels;
  for (std::size_t c = 0; c < d.channels.size(); ++c) {
    const auto& ch = d.channels[c];
    const auto [lo, hi] = std::minmax_element(ch.real.begin(), ch.real.end());
    channels +=
        fmt::format("{}{{\"complex\": {}, \"min\": {}, \"max\": {}}}", c ? ", " : "",
                    ch.imag.empty() ? "false" : "true", json::number(*lo), json::number(*hi));
  }
  auto axis = [](const EprAxis& a) {
    if (a.values.empty()) return std::string("null");
    return fmt::format("{{\"name\": {}, \"unit\": {}, \"first\": {}, \"last\": {}}}",
                       json::quote(a.name), json::quote(a.unit), json::number(a.values.front()),
                       json::number(a.values.back()));
  };
  std::printf(
      "{\"file\": %s, \"points\": [%zu, %zu, %zu], \"x\": %s, \"y\": %s, \"channels\": [%s]}\n",
      json::quote(path).c_str(), d.nx, d.ny, d.nz, axis(d.x).c_str(), axis(d.y).c_str(),
      channels.c_str());
  return 0;
}

}  // namespace streamdx
