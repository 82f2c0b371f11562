// EPR reconstruction speed on the real phalanx data (STREAMDX_DATA/epr/phalanx-2d), onto 256^2:
// the Fourier baseline (deconvolution + FBP) and one iteration of the TV solver's operator work
// (A and A^T), on 1 thread and on every core. bench/epr_reference.py times the same in numpy.
#include <benchmark/benchmark.h>
#include <fftw3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "stages/epr/CorrelatedNoise.hpp"
#include "stages/epr/EprGeometry.hpp"
#include "stages/epr/FourierReconstructor.hpp"
#include "stages/epr/ProjectionOperator.hpp"
#include "stages/epr/ToeplitzTvSolver.hpp"
#include "stages/epr/TvReconstructor.hpp"

namespace {

using namespace streamdx;

struct Phalanx {
  ProjectionSet set;
  ReferenceSpectrum ref;
  double b0 = 0;
  ImageGrid grid;
};

const Phalanx* phalanx() {
  static const Phalanx* data = []() -> const Phalanx* {
    const char* env = std::getenv("STREAMDX_DATA");  // NOLINT(concurrency-mt-unsafe)
    const std::filesystem::path root = env != nullptr ? env : STREAMDX_SOURCE_DIR "/../shared/data";
    const auto dir = root / "epr/phalanx-2d";
    if (!std::filesystem::exists(dir)) return nullptr;
    auto* p = new Phalanx;  // NOLINT(cppcoreguidelines-owning-memory): lives for the process
    p->set =
        load_projections(dir / "phalanx-20220203-proj.DSC", dir / "phalanx-20220203-fgrad.txt");
    p->ref = load_reference(dir / "phalanx-20220203-h.DSC");
    p->b0 = reference_centre(p->ref);
    p->grid = ImageGrid{256, supported_fov_cm(p->set, p->ref)};
    return p;
  }();
  return data;
}

const Phalanx* phalanx_or_skip(benchmark::State& state) {
  const Phalanx* p = phalanx();
  if (p == nullptr) state.SkipWithError("STREAMDX_DATA/epr/phalanx-2d not found");
  return p;
}

unsigned threads_of(const benchmark::State& state) {
  return state.range(0) == 0 ? std::max(1U, std::thread::hardware_concurrency())
                             : static_cast<unsigned>(state.range(0));
}

void BM_FourierBaseline(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const FourierReconstructor fourier(p->set, p->ref, p->b0, p->grid, threads_of(state));
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    auto image = fourier.reconstruct(p->set, fourier.default_width());
    benchmark::DoNotOptimize(image.data());
  }
}

void BM_TvIterationOperators(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const ProjectionOperator a(p->set, p->ref, p->b0, p->grid, estimate_noise(p->set),
                             threads_of(state));
  std::vector<float> u(a.image_size(), 1.0F);
  std::vector<float> d(a.data_size());
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    a.forward(u, d);
    a.adjoint(d, u);
    benchmark::DoNotOptimize(u.data());
  }
}

// The TV solver itself, 10 iterations a run (divide by 10), from the Fourier warm start.
void BM_TvSolverTenIterations(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const unsigned threads = threads_of(state);
  const ProjectionOperator a(p->set, p->ref, p->b0, p->grid, estimate_noise(p->set), threads);
  const auto data = a.prepare_data(p->set.data);
  const FourierReconstructor fourier(p->set, p->ref, p->b0, p->grid, threads);
  const auto start = fourier.reconstruct(p->set, fourier.default_width());
  TvOptions options;
  options.max_iterations = 10;
  options.tolerance = 0;
  options.operator_norm = operator_norm(a);
  const double epsilon = discrepancy_target(data, p->set.projections(), 0.01);
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    auto r = reconstruct_tv(a, data, start, epsilon, options);
    benchmark::DoNotOptimize(r.image.data());
  }
}

// The Toeplitz path (issue 27): one A*A product (two FFTs on 512^2, a quarter of it known zero).
void BM_ToeplitzGram(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const FourierProjectionModel a(p->set, p->ref, p->b0, p->grid, estimate_noise(p->set),
                                 threads_of(state));
  std::vector<float> u(a.image_size(), 1.0F);
  std::vector<float> g(a.image_size());
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    a.gram(u, g);
    benchmark::DoNotOptimize(g.data());
  }
}

// What the Toeplitz path does a few times a solve, not each iteration: building the model (its
// 512^2 kernel from one ridge table per projection), and preparing the data against an estimate
// (the wrapped tails and the baseline corrected, A* p summed onto the image).
void BM_ToeplitzModelSetup(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const NoiseModel noise = estimate_noise(p->set);
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    const FourierProjectionModel a(p->set, p->ref, p->b0, p->grid, noise, threads_of(state));
    benchmark::DoNotOptimize(&a);
  }
}

void BM_ToeplitzPrepare(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const unsigned threads = threads_of(state);
  const FourierProjectionModel a(p->set, p->ref, p->b0, p->grid, estimate_noise(p->set), threads);
  const FourierReconstructor fourier(p->set, p->ref, p->b0, p->grid, threads);
  const auto estimate = fourier.reconstruct(p->set, fourier.default_width());
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    const FourierData data = a.prepare(p->set.data, estimate);
    benchmark::DoNotOptimize(data.adjoint.data());
  }
}

// The Toeplitz TV solver, range(1) iterations a run from the Fourier start; the data are
// prepared once (iteration 0) in either, so (t(50) - t(10)) / 40 is one iteration.
void BM_ToeplitzTvSolver(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const unsigned threads = threads_of(state);
  const FourierProjectionModel a(p->set, p->ref, p->b0, p->grid, estimate_noise(p->set), threads);
  const FourierReconstructor fourier(p->set, p->ref, p->b0, p->grid, threads);
  const auto start = fourier.reconstruct(p->set, fourier.default_width());
  TvOptions options;
  options.max_iterations = static_cast<unsigned>(state.range(1));
  options.tolerance = 0;
  options.operator_norm = operator_norm(a);
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    auto r = reconstruct_tv(a, p->set.data, start, 0.01, options);
    benchmark::DoNotOptimize(r.image.data());
  }
}

// The yardstick the Toeplitz times are expressed in: one plain FFTW 2D real transform pair
// (r2c + c2r, float, FFTW_ESTIMATE, one thread) on the 512^2 grid A*A is embedded in.
void BM_FftPair512(benchmark::State& state) {
  const int n = 512;
  auto* real = fftwf_alloc_real(static_cast<std::size_t>(n) * n);
  auto* spec = fftwf_alloc_complex(static_cast<std::size_t>(n) * (n / 2 + 1));
  const fftwf_plan forward = fftwf_plan_dft_r2c_2d(n, n, real, spec, FFTW_ESTIMATE);
  const fftwf_plan inverse = fftwf_plan_dft_c2r_2d(n, n, spec, real, FFTW_ESTIMATE);
  std::fill_n(real, static_cast<std::size_t>(n) * n, 1.0F);
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    fftwf_execute(forward);
    fftwf_execute(inverse);
    benchmark::DoNotOptimize(real);
  }
  fftwf_destroy_plan(forward);
  fftwf_destroy_plan(inverse);
  fftwf_free(spec);
  fftwf_free(real);
}

void BM_Radon(benchmark::State& state) {
  const Phalanx* p = phalanx_or_skip(state);
  if (p == nullptr) return;
  const ProjectionOperator a(p->set, p->ref, p->b0, p->grid, NoiseModel::white(1.0),
                             threads_of(state));
  std::vector<float> u(a.image_size(), 1.0F);
  std::vector<float> sino(a.projector().angles() * a.projector().bins());
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    a.projector().forward(u, sino, threads_of(state));
    a.projector().adjoint(sino, u, threads_of(state));
    benchmark::DoNotOptimize(u.data());
  }
}

}  // namespace

// Arg: threads (0 = every core).
BENCHMARK(BM_FourierBaseline)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TvIterationOperators)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TvSolverTenIterations)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ToeplitzModelSetup)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ToeplitzPrepare)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FftPair512)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ToeplitzGram)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
// Args: threads, iterations.
BENCHMARK(BM_ToeplitzTvSolver)
    ->Args({1, 10})
    ->Args({1, 50})
    ->Args({0, 10})
    ->Args({0, 50})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Radon)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
