// The seizure model end to end through the streamdx binary: deterministic and resumable
// training, training on a TUSZ-layout corpus, the committed model's card, gain robustness,
// and bad model files. Needs LibTorch (the plugin); skips without it.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/EdfBytes.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

using testing::read_file;

using testing::run_streamdx;

std::vector<std::string> train_args(const std::filesystem::path& bonn,
                                    const std::filesystem::path& out,
                                    std::vector<std::string> extra = {}) {
  // A configuration small enough for CI: 8 segments a set, 3 epochs, 8 units.
  std::vector<std::string> a = {
      "train", "--bonn",   bonn.string(), "-o",       out.string(), "--train-segments",
      "8",     "--epochs", "3",           "--hidden", "8",          "--log-level",
      "warn",  "--phases", "1",           "--folds",  "1"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// Runs `streamdx ARGS` with its hidden test hook: after `epochs` finished epochs (fold runs
// included) the process sends itself SIGINT, as a user's Ctrl-C arrives. Deterministic: the
// stop always lands, at the same point of training.
testing::ChildExit interrupt_after_epochs(std::vector<std::string> args, int epochs) {
  args.insert(args.end(), {"--interrupt-after-epochs", std::to_string(epochs)});
  return run_streamdx(args);
}

TEST(ModelTraining, SameSeedSameBitsOtherSeedOtherBits) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("train-determinism");
  // The same file name in each directory: TorchScript archives are named after their file.
  for (const char* run : {"a", "b", "c"}) {
    const auto r = run_streamdx(train_args(
        bonn, dir / run / "m", {"--seed", std::string(run) == std::string("c") ? "2" : "1"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::string a = read_file(dir / "a" / "m.pt");
  ASSERT_GT(a.size(), 1000U);
  EXPECT_EQ(read_file(dir / "b" / "m.pt"), a) << "same seed, same data: bit-identical weights";
  EXPECT_NE(read_file(dir / "c" / "m.pt"), a) << "another seed must give other weights";
  const json::Json card = json::read_file(dir / "a" / "m.json");
  EXPECT_EQ(card["options"]["seed"], 1) << json::line(card);
  EXPECT_EQ(card["model"]["sha256"].get<std::string>().size(), 64U);
  EXPECT_TRUE(card["model"]["test_bonn_081_100"].contains("abcd_vs_e"));
  // The demo check is on record beside the test figures, judged by the card's own events.
  EXPECT_EQ(card["model"]["demo"]["recording"], "streamdx simulate (SYNTHETIC)");
  EXPECT_EQ(card["model"]["demo"]["channels"], 22);
  EXPECT_NE(read_file(dir / "a" / "m.md").find("## Built-in demo"), std::string::npos);
  EXPECT_TRUE(card["model"]["demo_rhythms"]["passed"].is_number());
  EXPECT_NE(
      read_file(dir / "a" / "m.md").find("A steady spike-and-wave discharge at several rhythms"),
      std::string::npos);
}

TEST(ModelTraining, CtrlCSavesACheckpointAndResumingGivesTheSameWeights) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("train-resume");
  const std::vector<std::string> longer = {"--train-segments", "40",  "--epochs", "6",
                                           "--patience",       "100", "--hidden", "8",
                                           "--phases",         "1",   "--folds",  "1"};
  auto args = [&](const std::string& sub, std::vector<std::string> extra) {
    std::vector<std::string> a = {
        "train", "--bonn", bonn.string(), "-o", (dir / sub / "m").string(), "--log-level", "warn"};
    a.insert(a.end(), longer.begin(), longer.end());
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const auto whole = run_streamdx(args("whole", {}));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;

  // Interrupted once the first epoch has finished: the checkpoint is mid-way through the second.
  const auto ckpt = dir / "cut" / "m.pt.ckpt";
  const testing::ChildExit cut = interrupt_after_epochs(args("cut", {}), 1);
  ASSERT_EQ(cut.exit_code, 130) << cut.err;
  ASSERT_TRUE(std::filesystem::exists(ckpt));
  EXPECT_NE(cut.err.find("continue with --resume"), std::string::npos) << cut.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "cut" / "m.pt")) << "no model from a stopped run";

  const auto resumed = run_streamdx(args("cut", {"--resume", ckpt.string()}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_file(dir / "cut" / "m.pt"), read_file(dir / "whole" / "m.pt"));
  EXPECT_FALSE(std::filesystem::exists(ckpt)) << "a finished run removes its checkpoint";
}

// --folds: the folds choose the epoch count, the model trains on all of them; a stop after a
// finished fold keeps that fold (FILE.folds) and resuming gives the uninterrupted run's bits.
TEST(ModelTraining, CrossValidatedTrainingResumesFromFinishedFoldsToTheSameWeights) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("train-folds");
  auto args = [&](const std::string& sub, std::vector<std::string> extra,
                  const std::string& folds = "2") {
    std::vector<std::string> a = {
        "train",       "--bonn",   bonn.string(), "-o",         (dir / sub / "m").string(),
        "--log-level", "warn",     "--folds",     folds,        "--train-segments",
        "20",          "--epochs", "4",           "--patience", "100",
        "--hidden",    "8",        "--phases",    "1"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const auto whole = run_streamdx(args("whole", {}));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const json::Json card = json::read_file(dir / "whole" / "m.json");
  const json::Json& cv = card["cross_validation"];
  EXPECT_EQ(cv["folds"], 2) << json::line(cv);
  EXPECT_GE(cv["chosen_epochs"].get<int>(), 1);
  EXPECT_NE(card["data"].get<std::string>().find(
                "in 2 cross-validation folds of 10 consecutive segments"),
            std::string::npos);
  // Out of fold: every one of the 20 training segments a set, once; 20 of them from set E.
  EXPECT_EQ(cv["out_of_fold_segments"]["abcd_vs_e"]["seizure_segments"], 20);
  EXPECT_EQ(cv["out_of_fold_segments"]["abcd_vs_e"]["non_seizure_segments"], 80);
  for (const auto& entry : std::filesystem::directory_iterator(dir / "whole")) {
    EXPECT_EQ(entry.path().string().find(".epoch"), std::string::npos)
        << "a fold's epoch snapshot was left behind: " << entry.path();
  }
  const std::string md = read_file(dir / "whole" / "m.md");
  EXPECT_NE(md.find("2-fold cross-validation chose"), std::string::npos) << md;
  EXPECT_EQ(md.find("Validation segments"), std::string::npos)
      << "no in-sample validation figures: every segment trained the final model";

  // The first fold's 4 epochs finish, then the stop lands in the second fold's second epoch.
  const auto folds = dir / "cut" / "m.pt.folds";
  const testing::ChildExit cut = interrupt_after_epochs(args("cut", {}), 5);
  ASSERT_EQ(cut.exit_code, 130) << cut.err;
  ASSERT_TRUE(std::filesystem::exists(folds)) << "no finished-folds file after the first fold";
  EXPECT_NE(read_file(folds).find("streamdx finished folds"), std::string::npos);

  const auto resumed =
      run_streamdx(args("cut", {"--resume", (dir / "cut" / "m.pt.ckpt").string()}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_file(dir / "cut" / "m.pt"), read_file(dir / "whole" / "m.pt"));
  EXPECT_FALSE(std::filesystem::exists(folds)) << "a finished run removes its folds file";

  const auto other = run_streamdx(args("cut", {}, "3"));
  EXPECT_NE(other.exit_code, 0) << "20 segments do not split into 3 folds";
  EXPECT_NE(other.err.find("--train-segments must be a multiple of --folds"), std::string::npos)
      << other.err;
}

// A TUSZ-layout corpus: 5 recordings of 30 s, 19 referential channels at 250 Hz, each with a
// csv_bi marking 10-20 s as seizure, under DIR/corpus.
void write_test_corpus(const std::filesystem::path& dir) {
  const std::vector<std::string> electrodes{"FP1", "FP2", "F3", "F4", "C3", "C4", "P3",
                                            "P4",  "O1",  "O2", "F7", "F8", "T3", "T4",
                                            "T5",  "T6",  "A1", "A2", "CZ"};
  for (int rec = 0; rec < 5; ++rec) {
    const auto sub = dir / "corpus" / ("patient" + std::to_string(rec));
    std::filesystem::create_directories(sub);
    std::vector<testing::EdfBytesSignal> signals;
    for (std::size_t e = 0; e < electrodes.size(); ++e) {
      testing::EdfBytesSignal s;
      s.label = "EEG " + electrodes[e] + "-REF";
      s.samples_per_record = 250;
      for (int i = 0; i < 250 * 30; ++i) {
        const double t = i / 250.0;
        const double amp = (t >= 10 && t < 20) ? 300.0 : 30.0;  // a loud stretch
        s.digital.push_back(static_cast<std::int16_t>(
            amp * std::sin(2 * 3.14159265 * (3.0 + static_cast<double>(e)) * t + rec)));
      }
      signals.push_back(std::move(s));
    }
    testing::write_edf(sub / "rec.edf", signals, 30, 1.0);
    std::ofstream(sub / "rec.csv_bi") << "# version = csv_v1.0.0\n# bname = rec\n"
                                         "# duration = 30.00 secs\n#\n"
                                         "channel,start_time,stop_time,label,confidence\n"
                                         "TERM,10.0000,20.0000,seiz,1.0000\n";
  }
}

TEST(ModelTraining, TrainsOnATuszLayoutCorpusWithCsvBiLabels) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("train-corpus");
  write_test_corpus(dir);
  const auto r = run_streamdx({"train", "--corpus", (dir / "corpus").string(), "-o",
                               (dir / "model" / "m").string(), "--epochs", "1", "--hidden", "4",
                               "--phases", "1", "--folds", "1", "--stretch-augment", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 4 recordings train, 1 validates; 30 one-second epochs x 22 channels each, of which the
  // 10 epochs of 10-20 s are seizure.
  EXPECT_NE(r.err.find("2640 training windows (880 seizure), 660 validation windows (220 seizure)"),
            std::string::npos)
      << r.err;
  // Stretched by 15 %: the training recordings are also read as 30 / 1.15 = 26.1 s
  // and 30 * 1.15 = 34.5 s, so 26 and 34 more epochs each; validation is not stretched.
  const auto stretched =
      run_streamdx({"train", "--corpus", (dir / "corpus").string(), "-o",
                    (dir / "stretched" / "m").string(), "--epochs", "1", "--hidden", "4",
                    "--phases", "1", "--folds", "1", "--stretch-augment", "15"});
  ASSERT_EQ(stretched.exit_code, 0) << stretched.err;
  EXPECT_NE(stretched.err.find("7920 training windows"), std::string::npos) << stretched.err;
  EXPECT_NE(stretched.err.find("660 validation windows (220 seizure)"), std::string::npos)
      << stretched.err;
  EXPECT_NE(read_file(dir / "stretched" / "m.json").find("also read at 1.15x and 1/1.15x speed"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "model" / "m.pt"));
  EXPECT_NE(read_file(dir / "model" / "m.json").find("annotated corpus"), std::string::npos);

  // Cross-validated: recording i validates in fold i mod 5, and all five train the model.
  const auto folded =
      run_streamdx({"train", "--corpus", (dir / "corpus").string(), "-o",
                    (dir / "folded" / "m").string(), "--epochs", "2", "--hidden", "4", "--phases",
                    "1", "--folds", "5", "--stretch-augment", "0"});
  ASSERT_EQ(folded.exit_code, 0) << folded.err;
  EXPECT_NE(folded.err.find("3300 training windows (1100 seizure), 3300 validation windows"),
            std::string::npos)
      << folded.err;
  const json::Json card = json::read_file(dir / "folded" / "m.json");
  EXPECT_NE(card["data"].get<std::string>().find("5 recordings in 5 cross-validation folds"),
            std::string::npos);
  EXPECT_EQ(card["cross_validation"]["folds"], 5);
  const auto too_many = run_streamdx({"train", "--corpus", (dir / "corpus").string(), "-o",
                                      (dir / "folded" / "x").string(), "--folds", "6"});
  EXPECT_NE(too_many.exit_code, 0);
  EXPECT_NE(too_many.err.find("5 recordings for 6 folds"), std::string::npos) << too_many.err;
}

// A user's own annotated corpus beside Bonn: its recordings join the folds.
TEST(ModelTraining, AddsAUsersCorpusToBonn) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("train-add-corpus");
  write_test_corpus(dir);
  const std::vector<std::string> common = {"--bonn",   bonn.string(), "--train-segments", "5",
                                           "--folds",  "5",           "--epochs",         "1",
                                           "--hidden", "4",           "--phases",         "1"};
  auto args = [&](const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> a = {"train", "-o", (dir / out / "m").string()};
    a.insert(a.end(), common.begin(), common.end());
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const auto alone = run_streamdx(args("alone", {}));
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  const auto added = run_streamdx(args("added", {"--add-corpus", (dir / "corpus").string()}));
  ASSERT_EQ(added.exit_code, 0) << added.err;
  // The corpus adds its 5 x 30 epochs x 22 channels = 3300 windows to training (all folds).
  const auto windows = [](const std::string& err) {
    const std::size_t at = err.find(" training windows");
    std::size_t from = err.rfind(' ', at - 1);
    return std::stoul(err.substr(from + 1, at - from - 1));
  };
  EXPECT_EQ(windows(added.err), windows(alone.err) + 3300) << added.err;
  EXPECT_NE(read_file(dir / "added" / "m.json").find("plus the annotated corpus"),
            std::string::npos);
  const auto both = run_streamdx({"train", "--corpus", (dir / "corpus").string(), "--add-corpus",
                                  (dir / "corpus").string(), "-o", (dir / "x" / "m").string()});
  EXPECT_NE(both.exit_code, 0);
}

TEST(CommittedModel, EvaluateReproducesItsCardAndItsHash) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const std::string models = std::string(STREAMDX_SOURCE_DIR) + "/models/";
  const auto r = run_streamdx({"evaluate", "--bonn", bonn.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::Json out = json::parse(r.out, "evaluate");
  const json::Json card = json::read_file(models + "seizure-lstm.json");
  EXPECT_EQ(out["sha256"], card["model"]["sha256"]);
  for (const char* task : {"abcd_vs_e", "a_vs_e"}) {
    for (const char* metric : {"accuracy", "sensitivity", "specificity", "auroc"}) {
      EXPECT_EQ(out["metrics"][task][metric], card["model"]["test_bonn_081_100"][task][metric])
          << task << " " << metric;
    }
  }
  // The demo and its rhythm sweep, recomputed from the model, as the trainer recorded them.
  for (const char* key : {"demo", "demo_rhythms"}) {
    EXPECT_FALSE(card["model"][key].is_null()) << key << " is not in the card";
    EXPECT_EQ(out[key], card["model"][key]) << key << ": " << json::line(out[key]);
  }
}

// Every test segment scaled by 0.1 and by 10 keeps its decision.
TEST(CommittedModel, GainOfPointOneOrTenChangesNoDecision) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("gain");
  const auto base = run_streamdx(
      {"evaluate", "--bonn", bonn.string(), "--decisions", (dir / "base.json").string()});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  const std::string reference = read_file(dir / "base.json");
  for (const double gain : {0.1, 10.0}) {
    const auto root = dir / std::to_string(gain);
    for (const auto& set : std::filesystem::directory_iterator(bonn)) {
      if (!set.is_directory()) continue;
      std::filesystem::create_directories(root / set.path().filename());
      for (const auto& f : std::filesystem::directory_iterator(set.path())) {
        const std::string name = f.path().filename().string();
        if (name.size() < 8 || std::stoi(name.substr(1, 3)) < 81) continue;
        std::ifstream in(f.path());
        std::ofstream out(root / set.path().filename() / name);
        out.precision(10);
        for (double v = 0; in >> v;) out << v * gain << "\n";
      }
    }
    const auto scaled = run_streamdx(
        {"evaluate", "--bonn", root.string(), "--decisions", (dir / "scaled.json").string()});
    ASSERT_EQ(scaled.exit_code, 0) << scaled.err;
    const std::string got = read_file(dir / "scaled.json");
    // Decisions, segment by segment (scores may differ in the last digits).
    std::size_t a = 0;
    std::size_t b = 0;
    int segments = 0;
    while ((a = reference.find("\"seizure\": ", a)) != std::string::npos) {
      b = got.find("\"seizure\": ", b);
      ASSERT_NE(b, std::string::npos);
      EXPECT_EQ(reference.substr(a, 15), got.substr(b, 15))
          << "gain " << gain << ", segment " << segments;
      ++a;
      ++b;
      ++segments;
    }
    EXPECT_EQ(segments, 100);
  }
}

TEST(CommittedModel, BadModelFilesFailAtStartWithTheirName) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("bad-model");
  const auto missing = run_streamdx({"evaluate", "--model", (dir / "none.pt").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("none.pt: model file not found"), std::string::npos) << missing.err;
  std::ofstream(dir / "garbage.pt") << "this is not a model";
  const auto garbage = run_streamdx({"evaluate", "--model", (dir / "garbage.pt").string()});
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_NE(garbage.err.find("garbage.pt: not a TorchScript model"), std::string::npos)
      << garbage.err;
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// CPU and CUDA posteriors of the committed model agree within 1e-5 on the Bonn test split.
TEST(CommittedModel, CudaPosteriorsMatchTheCpu) {
  STREAMDX_TORCH_OR_SKIP();
  const auto version = testing::run_streamdx({"version", "--json"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  if (version.out.find("\"libtorch_cuda\": true") == std::string::npos) {
    GTEST_SKIP() << "no GPU visible to LibTorch: " << version.out;
  }
  STREAMDX_DATA_OR_SKIP(bonn, "eeg/bonn");
  const auto dir = testing::scratch_dir("cuda-vs-cpu");
  std::vector<std::vector<double>> scores;
  for (const char* device : {"cpu", "cuda"}) {
    const auto path = dir / (std::string(device) + ".json");
    const auto r = testing::run_streamdx({"evaluate", "--bonn", bonn.string(), "--set",
                                          std::string("decoder.device=") + device, "--decisions",
                                          path.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(std::string("\"device\": \"") + device), std::string::npos) << r.out;
    std::ifstream in(path);
    std::vector<double> s;
    for (std::string line; std::getline(in, line);) {
      const auto at = line.find("\"score\": ");
      if (at != std::string::npos) s.push_back(std::stod(line.substr(at + 9)));
    }
    scores.push_back(s);
  }
  ASSERT_EQ(scores[0].size(), 100U);
  ASSERT_EQ(scores[1].size(), scores[0].size());
  for (std::size_t i = 0; i < scores[0].size(); ++i) {
    EXPECT_NEAR(scores[1][i], scores[0][i], 1e-5) << "segment " << i;
  }
}

}  // namespace
}  // namespace streamdx
