// streamdx epr compare: against a ground truth, the Fourier baseline at its oracle apodization
// (raw and clipped) and TV with its automatic lambda (stages/epr/EprComparison.hpp).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "core/Json.hpp"
#include "gui/EprPlots.hpp"
#include "io/AtomicFile.hpp"
#include "io/RawFloatFile.hpp"
#include "stages/epr/EprComparison.hpp"

namespace streamdx {

namespace {

struct EprCompareOptions {
  std::string projections;
  std::string reference;
  std::string fgrad;
  std::string truth;  // truth.f32 with its truth.json (simulate writes both)
  std::string out_dir;
  unsigned threads = 0;
  std::string tv_operator = "toeplitz";
  std::size_t first = 0;  // projections used, in acquisition order (0: all)
  bool json = false;
};

void write_outputs(const std::filesystem::path& dir, const EprComparison& c,
                   const std::string& json) {
  std::filesystem::create_directories(dir);
  write_file_atomically(dir / "compare.json", json);
  if (c.dimensions == 3) return;  // the volume itself: epr reconstruct writes it with its views
  draw_png_or_warn([&] {
    write_epr_image_png((dir / "fourier-oracle.png").string(), c.fourier_image, c.n, c.fov_cm * 10,
                        fmt::format("fourier, oracle w = {:.3g}/cm: NRMSE {:.3f}",
                                    c.fourier_width_per_cm, c.fourier_nrmse));
  });
  draw_png_or_warn([&] {
    write_epr_image_png((dir / "tv.png").string(), c.tv.image, c.n, c.fov_cm * 10,
                        fmt::format("tv, automatic lambda: NRMSE {:.3f}", c.tv_nrmse));
  });
}

void print_table(const EprComparison& c) {
  if (c.dimensions == 3) {
    std::printf(
        "tv (automatic lambda), %zu^3: NRMSE %.4f, SSIM %.3f (mean over z slices), lambda "
        "%.3g, %u iterations, %.0f ms\n",
        c.n, c.tv_nrmse, c.tv_ssim, c.tv.lambda, c.tv.iterations, c.tv.timings_ms.at("total"));
    return;
  }
  std::printf("%-28s %8s %14s %14s\n", "method", "NRMSE", "setting", "negative mass");
  std::printf("%-28s %8.4f %10.3g /cm %13.2f%%\n", "fourier (oracle w)", c.fourier_nrmse,
              c.fourier_width_per_cm, 100 * c.fourier_negative_mass);
  std::printf("%-28s %8.4f %10.3g /cm %13.2f%%\n", "fourier (oracle w, clipped)", c.clipped_nrmse,
              c.clipped_width_per_cm, 0.0);
  std::printf("%-28s %8.4f %9s%.3g %13.2f%%\n", "tv (automatic lambda)", c.tv_nrmse, "lambda ",
              c.tv.lambda, 100 * c.tv.negative_mass);
  std::printf(
      "tv / oracle %.3f, tv / clipped oracle %.3f; tv residual %.3f x noise, %u iterations, %.0f "
      "ms\n",
      c.tv_nrmse / c.fourier_nrmse, c.tv_nrmse / c.clipped_nrmse, c.tv.residual_over_noise,
      c.tv.iterations, c.tv.timings_ms.at("total"));
}

int compare(const EprCompareOptions& cmd) {
  const auto fgrad =
      cmd.fgrad.empty() ? std::nullopt : std::optional<std::filesystem::path>(cmd.fgrad);
  ProjectionSet set = load_projections(cmd.projections, fgrad);
  if (cmd.first > 0 && cmd.first < set.projections()) {
    // The image part-way through the acquisition: its first projections, in acquisition order.
    set.gradients.resize(cmd.first);
    set.data.resize(cmd.first * set.samples());
  }
  const ReferenceSpectrum ref = load_reference(cmd.reference);
  const std::vector<float> truth = read_f32_file(cmd.truth);
  std::filesystem::path truth_json(cmd.truth);
  truth_json.replace_extension(".json");
  const json::Json meta = json::read_file(truth_json);
  if (!meta.contains("fov_cm") || !meta["fov_cm"].is_number()) {
    throw std::runtime_error(truth_json.string() + ": no fov_cm");
  }
  const EprComparison c = compare_with_truth(set, ref, truth, meta["fov_cm"].get<double>(),
                                             cmd.threads, cmd.tv_operator);
  const std::string json = comparison_json(c, cmd.projections);
  if (!cmd.out_dir.empty()) write_outputs(cmd.out_dir, c, json);
  if (cmd.json) {
    std::fputs(json.c_str(), stdout);
  } else {
    print_table(c);
  }
  return 0;
}

class EprCompareCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("PROJ", o_.projections, "projections, BES3T .DSC")->required();
    cmd.add_option("--reference", o_.reference, "zero-gradient reference spectrum h, BES3T .DSC")
        ->required();
    cmd.add_option("--truth", o_.truth, "truth.f32 (with truth.json beside it)")->required();
    cmd.add_option("--fgrad", o_.fgrad,
                   "gradient vectors, G/cm (text or .npy, one row per axis); default: GRAD and "
                   "the angle axis of PROJ");
    cmd.add_option("-o,--out", o_.out_dir, "also write compare.json and both images here");
    cmd.add_option("--threads", o_.threads, "0: every core")->capture_default_str();
    cmd.add_option("--operator", o_.tv_operator, "2D tv: toeplitz or projector")
        ->check(CLI::IsMember({"toeplitz", "projector"}))
        ->capture_default_str();
    cmd.add_option("--first", o_.first,
                   "use only the first N projections, in acquisition order (0: all)")
        ->capture_default_str();
    cmd.add_flag("--json", o_.json, "print the comparison as JSON");
  }
  int run() override { return compare(o_); }

 private:
  EprCompareOptions o_;
};

const cli::CommandRegistration<EprCompareCli> kRegistered{
    {"compare",
     "Against a ground truth: the Fourier baseline at its oracle apodization (raw and clipped) "
     "and tv",
     30, kEprGroup}};

}  // namespace

}  // namespace streamdx
