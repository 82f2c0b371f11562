// The live reconstruction on a simulated acquisition with a known truth, fed one projection at
// a time: the running back-projection is the Fourier image of what arrived; the TV re-runs are
// published as they end, each with its lambda; the final image is bit for bit the batch solve
// over the same projections; and the image improves as projections arrive.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <thread>

#include "stages/epr/EprAcquisition.hpp"
#include "stages/epr/EprSimulator.hpp"
#include "stages/epr/ImageQuality.hpp"
#include "stages/epr/LiveEprImage.hpp"
#include "support/EprTestData.hpp"

namespace streamdx {
namespace {

using namespace std::chrono_literals;

constexpr ImageGrid kGrid{96, 3.0};

EprSimulation simulate() {
  EprSimulationOptions o = testing::small_voigt_acquisition(kGrid);
  o.phantom = "disks";
  o.snr = 50;
  o.seed = 5;
  return simulate_epr(o);
}

EprReconstructionOptions options() {
  EprReconstructionOptions o;
  o.size = kGrid.n;
  o.fov_cm = kGrid.fov_cm;
  o.threads = 2;
  return o;
}

struct Published {
  wire::EprImageStage stage;
  std::uint64_t sequence;
  std::size_t projections;
  double lambda;
};

double relative_difference(std::span<const float> a, std::span<const float> b) {
  double d = 0;
  double n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    d += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
    n += static_cast<double>(b[i]) * b[i];
  }
  return std::sqrt(d / n);
}

TEST(LiveEprImage, BuildsUpToTheBatchImageBitForBit) {
  const EprSimulation sim = simulate();
  const ProjectionSet& set = sim.projections;
  const wire::EprHeader header = acquisition_header(set, sim.reference);
  const auto deconvolution = std::make_shared<const ProjectionDeconvolution>(
      header, sim.reference, acquisition_projection(set, 0), options());

  LiveEprOptions live;
  live.reconstruction = options();
  live.rerun_every = 15;
  live.idle_s = 0;
  live.rerun_iterations = 40;
  std::mutex mutex;
  std::vector<Published> published;
  std::vector<float> last_backprojection;
  LiveEprImage image(deconvolution, live, [&](const EprImageUpdate& u) {
    const std::lock_guard lock(mutex);
    published.push_back({u.stage, u.sequence, u.projections, u.lambda});
    if (u.stage == wire::EprImageStage::kBackProjection) last_backprojection = *u.image;
  });
  std::vector<float> row(deconvolution->bins());
  for (std::size_t k = 0; k < set.projections(); ++k) {
    const wire::EprProjection p = acquisition_projection(set, k);
    deconvolution->deconvolve(p, row);
    image.add(p, row, monotonic_ns());
  }
  // The projections came faster than a re-run: let the worker start the one now due (finish()
  // would otherwise stop it first).
  for (int i = 0; i < 3000 && image.reruns() == 0; ++i) std::this_thread::sleep_for(10ms);
  const EprReconstruction final_image = image.finish();

  // After the last projection the running image is the batch Fourier image, up to rounding.
  const FourierReconstructor fourier(set, sim.reference, reference_centre(sim.reference), kGrid, 1);
  const auto batch_fourier = fourier.reconstruct(set, deconvolution->width_per_cm());
  EXPECT_LT(relative_difference(last_backprojection, batch_fourier), 1e-5);

  // The final image is the batch solve's, bit for bit.
  const EprReconstruction batch = reconstruct_epr(set, sim.reference, options());
  ASSERT_EQ(final_image.image.size(), batch.image.size());
  EXPECT_EQ(std::memcmp(final_image.image.data(), batch.image.data(), 4 * batch.image.size()), 0);
  EXPECT_EQ(final_image.lambda, batch.lambda);

  // One back-projection per projection, in order; at least one TV re-run, each over at least
  // rerun_every projections with its own lambda; the final last; sequence numbers 0, 1, 2, ...
  std::size_t backprojections = 0;
  std::size_t reruns = 0;
  for (std::size_t i = 0; i < published.size(); ++i) {
    const Published& u = published[i];
    EXPECT_EQ(u.sequence, i);
    if (u.stage == wire::EprImageStage::kBackProjection) {
      EXPECT_EQ(u.projections, ++backprojections);
    } else if (u.stage == wire::EprImageStage::kTv) {
      ++reruns;
      EXPECT_GE(u.projections, live.rerun_every);
      EXPECT_GT(u.lambda, 0);
    }
  }
  EXPECT_EQ(backprojections, set.projections());
  EXPECT_GE(reruns, 1U);
  EXPECT_EQ(reruns, image.reruns());
  EXPECT_EQ(published.back().stage, wire::EprImageStage::kFinal);
  EXPECT_EQ(published.back().projections, set.projections());
}

TEST(LiveEprImage, TheImageImprovesAsProjectionsArrive) {
  const EprSimulation sim = simulate();
  std::vector<double> errors;
  for (const std::size_t part : {15U, 30U, 60U}) {
    ProjectionSet first = sim.projections;
    first.gradients.resize(part);
    first.data.resize(part * first.samples());
    const EprReconstruction r = reconstruct_epr(first, sim.reference, options());
    errors.push_back(nrmse(r.image, sim.truth));
  }
  EXPECT_GT(errors[0], errors[1]);
  EXPECT_GT(errors[1], errors[2]);
}

TEST(LiveEprImage, FinishWithoutProjectionsSaysSo) {
  const EprSimulation sim = simulate();
  const wire::EprHeader header = acquisition_header(sim.projections, sim.reference);
  const auto deconvolution = std::make_shared<const ProjectionDeconvolution>(
      header, sim.reference, acquisition_projection(sim.projections, 0), options());
  LiveEprImage image(deconvolution, LiveEprOptions{}, {});
  EXPECT_THROW(
      {
        try {
          (void)image.finish();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "no projection arrived");
          throw;
        }
      },
      std::runtime_error);
}

TEST(LiveEprImage, AnInterleavedOrderCoversTheAnglesEvenlyAtEveryPrefix) {
  const auto order = acquisition_order(113, "interleaved");
  std::vector<std::size_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t k = 0; k < sorted.size(); ++k) ASSERT_EQ(sorted[k], k);  // a permutation
  // The first 2^j arrivals leave no gap wider than 128 / 2^j angle steps; in angle order the
  // first quarter leaves three quarters of the half-circle empty.
  for (std::size_t prefix : {4U, 16U, 32U}) {
    std::vector<std::size_t> seen(order.begin(), order.begin() + static_cast<long>(prefix));
    std::sort(seen.begin(), seen.end());
    std::size_t widest = seen.front() + 113 - seen.back();  // the gap across 180 degrees
    for (std::size_t k = 1; k < seen.size(); ++k) widest = std::max(widest, seen[k] - seen[k - 1]);
    EXPECT_LE(widest, 128 / prefix) << prefix;
  }
  EXPECT_EQ(acquisition_order(5, "sequential"), (std::vector<std::size_t>{0, 1, 2, 3, 4}));
  EXPECT_THROW((void)acquisition_order(5, "random"), std::invalid_argument);
}

TEST(LiveEprImage, SsimIsOneForTheTruthAndFallsWithNoise) {
  const EprSimulation sim = simulate();
  EXPECT_NEAR(ssim(sim.truth, sim.truth, kGrid.n), 1.0, 1e-12);
  double previous = 1.0;
  for (const double level : {0.02, 0.1, 0.5}) {
    std::vector<float> noisy = sim.truth;
    const float top = *std::max_element(sim.truth.begin(), sim.truth.end());
    for (std::size_t i = 0; i < noisy.size(); ++i) {
      // A fixed, deterministic pattern standing in for noise.
      noisy[i] +=
          static_cast<float>(level) * top * (static_cast<float>((i * 7919) % 13) - 6.0F) / 6.0F;
    }
    const double s = ssim(noisy, sim.truth, kGrid.n);
    EXPECT_LT(s, previous) << level;
    previous = s;
  }
  EXPECT_LT(previous, 0.5);
}

}  // namespace
}  // namespace streamdx
