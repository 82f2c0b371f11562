// streamdx epr train-reservoir: evolves and trains the reservoir deconvolver
// (stages/epr/ReservoirEvolution.hpp) on simulated projections with the measured line shape,
// and writes the model with its card.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "io/AtomicFile.hpp"
#include "stages/epr/ReservoirEvolution.hpp"
#include "training/EegCorpus.hpp"

namespace streamdx {

namespace {

struct TrainReservoirOptions {
  std::string out = "models/epr-reservoir.json";
  std::string reference;   // the measured h (default: the phalanx h under STREAMDX_DATA)
  std::string checkpoint;  // default: OUT with .ga.json
  bool resume = false;
  ReservoirTrainingOptions training;
};

// The card beside the model, for people: what it was trained on and how it evolved.
std::string card_markdown(const ReservoirModel& m, const std::string& reference) {
  std::string s = fmt::format(
      "# EPR reservoir deconvolver\n\n"
      "Written by `streamdx epr train-reservoir` ({}). An echo-state network reads a derivative\n"
      "projection in both directions; a ridge readout of its states gives the deconvolved\n"
      "profile (docs/EPR.md, \"Reservoir deconvolver\").\n\n"
      "- line shape: `{}`, on the phalanx geometry (113 angles, 2000 samples, 168 G/cm)\n"
      "- data: {}\n"
      "- settings: `{}`\n"
      "- reservoir: {} units, spectral radius {:.3f}, input scale {:.4f}, leak {:.3f}, density "
      "{:.4f}, seed {}; ridge {:.3g}\n"
      "- validation error (relative, deconvolved profiles): {:.4f}\n\n"
      "| generation | best | median |\n|---|---|---|\n",
      m.card.value("version", ""), reference, m.card.value("training_data", ""),
      json::line(m.card.at("settings")), m.shape.units, m.shape.radius, m.shape.input_scale,
      m.shape.leak, m.shape.density, m.shape.seed, m.ridge, m.card.value("validation_error", 0.0));
  for (const auto& h : m.card.at("fitness_history")) {
    s += fmt::format("| {} | {:.4f} | {:.4f} |\n", h.at("generation").get<int>(),
                     h.at("best").get<double>(), h.at("median").get<double>());
  }
  return s;
}

class EprTrainReservoirCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("-o,--out", o_.out, "the model file (a card .md is written beside it)")
        ->capture_default_str();
    cmd.add_option("--reference", o_.reference, "measured h (default: STREAMDX_DATA's phalanx h)");
    cmd.add_option("--seed", o_.training.seed, "seeds everything")->capture_default_str();
    cmd.add_option("--population", o_.training.population, "candidates per generation")
        ->capture_default_str();
    cmd.add_option("--generations", o_.training.generations, "generations")->capture_default_str();
    cmd.add_option("--train-phantoms", o_.training.train_phantoms, "random phantoms to train on")
        ->capture_default_str();
    cmd.add_option("--projections-per-phantom", o_.training.projections_per_phantom,
                   "projections of each phantom used")
        ->capture_default_str();
    cmd.add_option("--max-units", o_.training.max_units, "the largest reservoir tried")
        ->capture_default_str();
    cmd.add_option("--threads", o_.training.threads, "candidates evaluated at once (0: 1)")
        ->capture_default_str();
    cmd.add_option("--checkpoint", o_.checkpoint,
                   "the GA's state after each generation "
                   "(default: OUT.ga.json)");
    cmd.add_flag("--resume", o_.resume, "continue from the checkpoint");
  }

  int run() override {
    const std::filesystem::path ref_path =
        o_.reference.empty() ? default_data_root() / "epr/phalanx-2d/phalanx-20220203-h.DSC"
                             : std::filesystem::path(o_.reference);
    ReservoirTrainingOptions t = o_.training;
    t.geometry.measured_reference = load_reference(ref_path);
    t.checkpoint = o_.checkpoint.empty() ? std::filesystem::path(o_.out + ".ga.json")
                                         : std::filesystem::path(o_.checkpoint);
    t.resume = o_.resume;
    const std::filesystem::path out(o_.out);
    if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
    const auto t0 = std::chrono::steady_clock::now();
    ReservoirModel model = evolve_reservoir(t, [](const ReservoirProgress& p) {
      const std::size_t width = 24;
      const std::size_t filled = width * p.evaluated / std::max<std::size_t>(1, p.population);
      std::fprintf(stderr, "\rgeneration %zu/%zu [%s%s] %zu/%zu  best %.4f ", p.generation + 1,
                   p.generations, std::string(filled, '#').c_str(),
                   std::string(width - filled, '.').c_str(), p.evaluated, p.population, p.best);
      if (p.evaluated == p.population) std::fputc('\n', stderr);
    });
    model.card["reference"] = ref_path.filename().string();
    model.card["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    save_reservoir_model(model, out);
    std::filesystem::path card = out;
    card.replace_extension(".md");
    write_file_atomically(card, card_markdown(model, ref_path.filename().string()));
    std::printf("wrote %s and %s: %zu units, validation error %.4f\n", out.string().c_str(),
                card.string().c_str(), model.shape.units,
                model.card.value("validation_error", 0.0));
    return 0;
  }

 private:
  TrainReservoirOptions o_;
};

const cli::CommandRegistration<EprTrainReservoirCli> kRegistered{
    {"train-reservoir",
     "Evolve (genetic algorithm) and train the reservoir deconvolver on simulated projections "
     "with a measured line shape",
     60, kEprGroup}};

}  // namespace

}  // namespace streamdx
