#pragma once
// ReservoirEvolution: trains the reservoir deconvolver (ReservoirDeconvolver.hpp). A genetic
// algorithm evolves the reservoir's hyper-parameters (size, spectral radius, input scaling,
// leak rate, sparsity, and the readout's ridge); each candidate's readout is fitted by ridge
// regression on simulated training projections, and its fitness is the error of its deconvolved
// profiles on other, validation, projections.
//
// Training data: random ellipse phantoms (never the disks or Shepp-Logan the quality figures
// use) on the given acquisition geometry and line shape, white noise at the given SNRs, each
// projection's mean removed as the instrument does. Targets are the exact profiles (the
// phantom's closed-form projection integrated over each field sample).
//
// Deterministic under the seed: the population, each generation's breeding and every
// reservoir are drawn from it, and candidates are evaluated independently, so any thread count
// gives the same model. Resumable: after each generation the population is written to a
// checkpoint; run again with resume and it continues from there, to the same result.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <vector>

#include "stages/epr/EprSimulator.hpp"
#include "stages/epr/ReservoirDeconvolver.hpp"

namespace streamdx {

struct ReservoirTrainingOptions {
  std::uint64_t seed = 1;
  std::size_t population = 12;
  std::size_t generations = 8;
  std::size_t train_phantoms = 4;
  std::size_t validation_phantoms = 2;
  std::size_t projections_per_phantom = 12;
  std::vector<double> snrs = {20, 50, 200};
  std::size_t stride = 4;       // the readout is fitted on every stride-th step
  std::size_t max_units = 200;  // the size gene spans 20 .. max_units
  unsigned threads = 0;
  std::filesystem::path checkpoint;  // empty: none
  bool resume = false;
  // The acquisition simulated: geometry and line shape (measured_reference, or `line`).
  EprSimulationOptions geometry;
};

struct ReservoirCandidate {
  std::array<double, 6> genes{};                             // each in [0, 1]
  std::uint64_t seed = 0;                                    // the reservoir's
  double fitness = std::numeric_limits<double>::infinity();  // validation error, lower is better
};

struct ReservoirProgress {
  std::size_t generation = 0;  // 0-based
  std::size_t generations = 0;
  std::size_t evaluated = 0;  // in this generation
  std::size_t population = 0;
  double best = 0;  // so far
};

ReservoirShape shape_of(const ReservoirCandidate& c, std::size_t max_units);
double ridge_of(const ReservoirCandidate& c);

// Training pairs for phantoms first .. first + count - 1 (ReservoirDeconvolver.hpp's scales).
ReservoirExamples simulate_reservoir_examples(const ReservoirTrainingOptions& o,
                                              std::uint64_t first, std::size_t count);

ReservoirModel evolve_reservoir(const ReservoirTrainingOptions& o,
                                const std::function<void(const ReservoirProgress&)>& progress = {});

}  // namespace streamdx
