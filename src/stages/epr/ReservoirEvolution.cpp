#include "stages/epr/ReservoirEvolution.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>
#include <stdexcept>

#include "core/ParallelFor.hpp"
#include "core/Random.hpp"
#include "core/Version.hpp"
#include "io/AtomicFile.hpp"
#include "stages/epr/EprPhantom.hpp"

namespace streamdx {

namespace {

constexpr std::size_t kElites = 2;
constexpr std::size_t kTournament = 3;
constexpr double kMutationRate = 0.3;
constexpr double kMutationStd = 0.1;
constexpr const char* kCheckpointFormat = "streamdx-epr-reservoir-ga";

// 3 to 7 ellipses of random size, place, angle and density, inside the inscribed circle.
Phantom random_phantom(SplitMix64& rng, double fov_cm) {
  const double r = 0.45 * fov_cm;
  Phantom p;
  p.name = "random ellipses";
  const auto count = 3 + static_cast<std::size_t>(rng.uniform() * 5);
  for (std::size_t i = 0; i < count; ++i) {
    Ellipse e;
    e.a = r * (0.08 + 0.3 * rng.uniform());
    e.b = r * (0.08 + 0.3 * rng.uniform());
    e.angle = std::numbers::pi * rng.uniform();
    const double radius = (r - std::max(e.a, e.b)) * std::sqrt(rng.uniform());
    const double phi = 2 * std::numbers::pi * rng.uniform();
    e.cx = radius * std::cos(phi);
    e.cy = radius * std::sin(phi);
    e.value = 0.3 + 0.7 * rng.uniform();
    p.ellipses.push_back(e);
  }
  return p;
}

json::Json settings_json(const ReservoirTrainingOptions& o) {
  return {{"seed", o.seed},
          {"population", o.population},
          {"train_phantoms", o.train_phantoms},
          {"validation_phantoms", o.validation_phantoms},
          {"projections_per_phantom", o.projections_per_phantom},
          {"snrs", o.snrs},
          {"stride", o.stride},
          {"max_units", o.max_units}};
}

json::Json candidate_json(const ReservoirCandidate& c) {
  return {{"genes", c.genes},
          {"seed", c.seed},
          {"fitness", std::isfinite(c.fitness) ? json::Json(c.fitness) : json::Json(nullptr)}};
}

ReservoirCandidate candidate_from(const json::Json& j) {
  ReservoirCandidate c;
  const auto genes = j.at("genes").get<std::vector<double>>();
  if (genes.size() != c.genes.size()) throw std::runtime_error("a candidate without 6 genes");
  std::copy(genes.begin(), genes.end(), c.genes.begin());
  c.seed = j.at("seed").get<std::uint64_t>();
  if (!j.at("fitness").is_null()) c.fitness = j.at("fitness").get<double>();
  return c;
}

void sort_by_fitness(std::vector<ReservoirCandidate>& pop) {
  std::stable_sort(pop.begin(), pop.end(),
                   [](const auto& a, const auto& b) { return a.fitness < b.fitness; });
}

// The next generation from a population sorted by fitness: the elites kept, the rest bred by
// tournament, blend crossover and Gaussian mutation, from generation `g`'s own random stream.
std::vector<ReservoirCandidate> breed(const std::vector<ReservoirCandidate>& pop,
                                      std::uint64_t seed, std::size_t g) {
  SplitMix64 rng(seed ^ (0x9E3779B97F4A7C15ULL * (g + 1)));
  auto pick = [&] {
    std::size_t best = pop.size();
    for (std::size_t t = 0; t < kTournament; ++t) {
      const auto i =
          std::min(pop.size() - 1,
                   static_cast<std::size_t>(rng.uniform() * static_cast<double>(pop.size())));
      best = std::min(best, i);  // sorted: the lower index is the fitter
    }
    return best;
  };
  std::vector<ReservoirCandidate> next(
      pop.begin(), pop.begin() + static_cast<std::ptrdiff_t>(std::min(kElites, pop.size())));
  while (next.size() < pop.size()) {
    const auto& a = pop[pick()];
    const auto& b = pop[pick()];
    ReservoirCandidate child;
    for (std::size_t i = 0; i < child.genes.size(); ++i) {
      double v = a.genes[i] + (-0.25 + 1.5 * rng.uniform()) * (b.genes[i] - a.genes[i]);
      if (rng.uniform() < kMutationRate) v += kMutationStd * rng.normal();
      child.genes[i] = std::clamp(v, 0.0, 1.0);
    }
    child.seed = rng.next();
    next.push_back(child);
  }
  return next;
}

}  // namespace

ReservoirShape shape_of(const ReservoirCandidate& c, std::size_t max_units) {
  ReservoirShape s;
  s.units = 20 + static_cast<std::size_t>(std::lround(
                     c.genes[0] * static_cast<double>(std::max<std::size_t>(max_units, 20) - 20)));
  s.radius = 0.1 + 1.2 * c.genes[1];
  s.input_scale = std::pow(10.0, -2 + 2.5 * c.genes[2]);
  s.leak = 0.05 + 0.95 * c.genes[3];
  s.density = std::min(1.0, std::pow(10.0, -2 + 1.5 * c.genes[4]));
  s.seed = c.seed;
  return s;
}

double ridge_of(const ReservoirCandidate& c) {
  return std::pow(10.0, -9 + 7 * c.genes[5]);
}

ReservoirExamples simulate_reservoir_examples(const ReservoirTrainingOptions& o,
                                              std::uint64_t first, std::size_t count) {
  EprSimulationOptions base = o.geometry;
  base.snr = 0;
  base.phantom = "ellipses";
  const EprSimulation sim = simulate_epr(base);
  const ProjectionSet& set = sim.projections;
  const std::size_t m = set.samples();
  const double step = set.field_step();
  const double gain = reference_gain(sim.reference, sim.b0, step, m);
  ReservoirExamples out;
  for (std::uint64_t p = first; p < first + count; ++p) {
    SplitMix64 rng(o.seed * 0x100000001B3ULL + p);
    const Phantom phantom = random_phantom(rng, base.truth_grid.fov_cm);
    std::vector<float> data = analytic_projections(phantom, set, sim.reference, sim.b0);
    double peak = 0;
    for (const float v : data) peak = std::max(peak, static_cast<double>(std::abs(v)));
    const double sigma = peak / o.snrs[p % o.snrs.size()];
    for (float& v : data) v = static_cast<float>(v + sigma * rng.normal());
    double scale = 0;
    for (std::size_t k = 0; k < set.projections(); ++k) {
      double mean = 0;
      for (std::size_t l = 0; l < m; ++l) mean += data[k * m + l];
      mean /= static_cast<double>(m);
      for (std::size_t l = 0; l < m; ++l) {
        data[k * m + l] = static_cast<float>(data[k * m + l] - mean);
        scale = std::max(scale, static_cast<double>(std::abs(data[k * m + l])));
      }
    }
    const std::size_t every =
        std::max<std::size_t>(1, set.projections() / o.projections_per_phantom);
    for (std::size_t k = p % every, taken = 0;
         k < set.projections() && taken < o.projections_per_phantom; k += every, ++taken) {
      std::vector<float> u(m);
      std::vector<float> y(m);
      const double mu = set.strength(k);
      for (std::size_t l = 0; l < m; ++l) {
        const double b = set.field[l];
        const double s_hi = (sim.b0 - (b - step / 2)) / mu;
        const double s_lo = (sim.b0 - (b + step / 2)) / mu;
        const double q = projection_integral(phantom, set.angle(k), s_lo, s_hi) / step;
        u[l] = static_cast<float>(data[k * m + l] / scale);
        y[l] = static_cast<float>(q * gain / scale);
      }
      out.inputs.push_back(std::move(u));
      out.targets.push_back(std::move(y));
    }
  }
  return out;
}

namespace {

// Generation g's population, scored, with the history so far: enough to resume after it.
void write_checkpoint(const ReservoirTrainingOptions& o, std::size_t g,
                      const std::vector<ReservoirCandidate>& pop, const json::Json& history) {
  json::Json c = {{"format", kCheckpointFormat},
                  {"settings", settings_json(o)},
                  {"generation", g},
                  {"population", json::Json::array()},
                  {"history", history}};
  for (const auto& cand : pop) c["population"].push_back(candidate_json(cand));
  write_file_atomically(o.checkpoint, json::text(c));
}

// The checkpoint's next generation when resuming (its history and first generation set), else
// a seeded random population.
std::vector<ReservoirCandidate> starting_population(const ReservoirTrainingOptions& o,
                                                    json::Json& history,
                                                    std::size_t& first_generation) {
  std::vector<ReservoirCandidate> pop;
  if (o.resume && !o.checkpoint.empty() && std::filesystem::exists(o.checkpoint)) {
    const json::Json c = json::read_file(o.checkpoint);
    if (c.value("format", "") != kCheckpointFormat || c.at("settings") != settings_json(o)) {
      throw std::runtime_error(o.checkpoint.string() +
                               ": a checkpoint of another training (format or settings differ)");
    }
    for (const auto& j : c.at("population")) pop.push_back(candidate_from(j));
    history = c.at("history");
    first_generation = c.at("generation").get<std::size_t>() + 1;
    if (first_generation < o.generations) pop = breed(pop, o.seed, first_generation);
    return pop;
  }
  SplitMix64 rng(o.seed);
  pop.resize(o.population);
  for (auto& c : pop) {
    for (double& g : c.genes) g = rng.uniform();
    c.seed = rng.next();
  }
  return pop;
}

}  // namespace

ReservoirModel evolve_reservoir(const ReservoirTrainingOptions& o,
                                const std::function<void(const ReservoirProgress&)>& progress) {
  if (o.population < kElites + 1 || o.generations == 0 || o.snrs.empty()) {
    throw std::invalid_argument(
        "reservoir training needs a population of 3 or more, a generation and an SNR");
  }
  const ReservoirExamples train = simulate_reservoir_examples(o, 0, o.train_phantoms);
  const ReservoirExamples validation = simulate_reservoir_examples(o, 1000, o.validation_phantoms);
  json::Json history = json::Json::array();
  std::size_t first_generation = 0;
  std::vector<ReservoirCandidate> pop = starting_population(o, history, first_generation);
  std::mutex progress_mutex;
  for (std::size_t g = first_generation; g < o.generations; ++g) {
    std::size_t evaluated = 0;
    double best_so_far = std::numeric_limits<double>::infinity();
    for (const auto& c : pop) best_so_far = std::min(best_so_far, c.fitness);
    parallel_for(pop.size(), o.threads == 0 ? 1U : o.threads, [&](std::size_t i) {
      ReservoirCandidate& c = pop[i];
      if (!std::isfinite(c.fitness)) {
        try {
          const EchoStateNetwork network(shape_of(c, o.max_units));
          const auto readout = fit_readout(network, train, ridge_of(c), o.stride);
          c.fitness = readout_error(network, readout, validation);
        } catch (const std::runtime_error&) {
          c.fitness = std::numeric_limits<double>::infinity();
        }
      }
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        best_so_far = std::min(best_so_far, c.fitness);
        progress({g, o.generations, ++evaluated, pop.size(), best_so_far});
      }
    });
    sort_by_fitness(pop);
    history.push_back({{"generation", g},
                       {"best", pop.front().fitness},
                       {"median", pop[pop.size() / 2].fitness},
                       {"best_genes", pop.front().genes}});
    if (!o.checkpoint.empty()) write_checkpoint(o, g, pop, history);
    if (g + 1 < o.generations) pop = breed(pop, o.seed, g + 1);
  }
  const ReservoirCandidate& best = pop.front();
  ReservoirModel model;
  model.shape = shape_of(best, o.max_units);
  model.ridge = ridge_of(best);
  model.readout = fit_readout(EchoStateNetwork(model.shape), train, model.ridge, o.stride);
  model.card = {{"trained_by", "streamdx epr train-reservoir"},
                {"version", version_string()},
                {"settings", settings_json(o)},
                {"generations", o.generations},
                {"training_data",
                 "random ellipse phantoms (3 to 7 ellipses, seeded), the acquisition's geometry "
                 "and line shape, white noise at the SNRs, each projection's mean removed; "
                 "validation on other such phantoms"},
                {"validation_error", best.fitness},
                {"fitness_history", history}};
  return model;
}

}  // namespace streamdx
