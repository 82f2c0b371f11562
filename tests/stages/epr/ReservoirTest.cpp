// The reservoir deconvolver: the echo-state network is reproducible and forgets, its ridge
// readout learns what it should, the genetic algorithm is deterministic under its seed and
// resumes to the same model, and the model file round-trips or is refused in one line.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/Random.hpp"
#include "stages/epr/EchoStateNetwork.hpp"
#include "stages/epr/ReservoirDeconvolver.hpp"
#include "stages/epr/ReservoirEvolution.hpp"

namespace streamdx {
namespace {

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("streamdx-reservoir-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(EchoStateNetwork, TheSameSeedGivesTheSameStatesAndAnImpulseFadesAway) {
  ReservoirShape shape;
  shape.units = 50;
  shape.radius = 0.8;
  shape.seed = 7;
  std::vector<float> impulse(300, 0.0F);
  impulse[0] = 1.0F;
  const auto a = EchoStateNetwork(shape).run(impulse);
  const auto b = EchoStateNetwork(shape).run(impulse);
  EXPECT_EQ(a, b);
  shape.seed = 8;
  EXPECT_NE(a, EchoStateNetwork(shape).run(impulse));
  // Forward states (features 2 .. 2 + units) respond at once and have forgotten by t = 299,
  // apart from the bias's fixed point: compare with a run of zeros.
  const std::size_t f = 2 * shape.units + 2;
  shape.seed = 7;
  const auto zero = EchoStateNetwork(shape).run(std::vector<float>(300, 0.0F));
  auto distance = [&](std::size_t t) {
    double d = 0;
    for (std::size_t i = 2; i < 2 + shape.units; ++i)
      d += std::pow(a[t * f + i] - zero[t * f + i], 2);
    return std::sqrt(d);
  };
  EXPECT_GT(distance(0), 1e-3);
  EXPECT_LT(distance(299), 1e-6 * distance(0));
}

TEST(ReservoirReadout, LearnsAShortFilterAndGeneralises) {
  ReservoirShape shape;
  shape.units = 60;
  shape.radius = 0.7;
  shape.input_scale = 0.2;
  shape.leak = 0.9;
  shape.density = 0.2;
  const EchoStateNetwork network(shape);
  SplitMix64 rng(3);
  auto examples = [&](std::size_t count) {
    ReservoirExamples e;
    for (std::size_t k = 0; k < count; ++k) {
      std::vector<float> u(400), y(400);
      for (std::size_t t = 0; t < u.size(); ++t) u[t] = static_cast<float>(rng.normal());
      // y_t = u_(t+1) - u_(t-1): needs both directions.
      for (std::size_t t = 1; t + 1 < u.size(); ++t) y[t] = u[t + 1] - u[t - 1];
      e.inputs.push_back(u);
      e.targets.push_back(y);
    }
    return e;
  };
  const auto train = examples(6);
  const auto test = examples(2);
  const auto readout = fit_readout(network, train, 1e-8, 1);
  EXPECT_LT(readout_error(network, readout, test), 0.25);
  const std::vector<double> nothing(network.features(), 0.0);
  EXPECT_DOUBLE_EQ(readout_error(network, nothing, test), 1.0);
}

ReservoirTrainingOptions tiny_training() {
  ReservoirTrainingOptions o;
  o.population = 4;
  o.generations = 2;
  o.train_phantoms = 2;
  o.validation_phantoms = 1;
  o.projections_per_phantom = 4;
  o.max_units = 40;
  o.geometry.truth_grid = {32, 3.0};
  o.geometry.projections = 16;
  o.geometry.samples = 300;
  o.geometry.sweep = 240;
  o.geometry.gradient = 60;
  o.geometry.line.kind = LineShape::Kind::Lorentzian;
  o.geometry.line.lorentz_fwhm = 4.0;
  return o;
}

TEST(ReservoirEvolution, DeterministicOnAnyThreadsAndResumesToTheSameModel) {
  const auto dir = temp_dir("ga");
  ReservoirTrainingOptions o = tiny_training();
  o.threads = 1;
  const ReservoirModel straight = evolve_reservoir(o);
  o.threads = 2;
  const ReservoirModel two = evolve_reservoir(o);
  EXPECT_EQ(straight.readout, two.readout);
  // Stop after one generation, then resume for the second.
  o.checkpoint = dir / "ga.json";
  o.generations = 1;
  evolve_reservoir(o);
  ASSERT_TRUE(std::filesystem::exists(o.checkpoint));
  o.generations = 2;
  o.resume = true;
  std::size_t seen = 0;
  const ReservoirModel resumed = evolve_reservoir(o, [&](const ReservoirProgress& p) {
    EXPECT_EQ(p.generation, 1U);  // generation 0 is not run again
    ++seen;
  });
  EXPECT_GT(seen, 0U);
  EXPECT_EQ(straight.shape.seed, resumed.shape.seed);
  EXPECT_EQ(straight.readout, resumed.readout);
  EXPECT_EQ(straight.card.at("fitness_history"), resumed.card.at("fitness_history"));
  // The fitness never gets worse: the elites are kept.
  const auto& h = straight.card.at("fitness_history");
  EXPECT_LE(h.at(1).at("best").get<double>(), h.at(0).at("best").get<double>());
  // Another training's checkpoint is refused.
  o.seed = 99;
  EXPECT_THROW(evolve_reservoir(o), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(ReservoirModelFile, RoundTripsAndABrokenOneIsNamed) {
  const auto dir = temp_dir("file");
  ReservoirModel m;
  m.shape.units = 3;
  m.shape.seed = 42;
  m.readout = {1, 2, 3, 4, 5, 6, 7, 8};
  m.card = {{"validation_error", 0.25}};
  save_reservoir_model(m, dir / "m.json");
  const ReservoirModel back = load_reservoir_model(dir / "m.json");
  EXPECT_EQ(back.readout, m.readout);
  EXPECT_EQ(back.shape.seed, 42U);
  std::ofstream(dir / "bad.json") << R"({"format": "streamdx-epr-reservoir", "reservoir": {}})";
  try {
    load_reservoir_model(dir / "bad.json");
    FAIL() << "a broken model was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "other.json") << R"({"format": "something else"})";
  EXPECT_THROW(load_reservoir_model(dir / "other.json"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace streamdx
