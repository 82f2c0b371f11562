#include "training/ModelCard.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/Json.hpp"
#include "core/Version.hpp"
#include "io/AtomicFile.hpp"
#include "runtime/ModelLoading.hpp"

namespace streamdx {

namespace {

using json::Json;

Json history_json(const TrainingReport& r) {
  Json out = Json::array();
  for (const EpochSummary& e : r.history) {
    out.push_back({{"epoch", e.epoch},
                   {"train_loss", json::rounded(e.train_loss, 6)},
                   {"validation_loss", json::rounded(e.validation_loss, 6)},
                   {"validation_balanced_accuracy", json::rounded(e.validation_accuracy, 4)}});
  }
  return out;
}

// Cross-validation's segment-level estimate, for the card (empty when not computed).
std::string out_of_fold_paragraph(const CrossValidation& cv) {
  if (cv.out_of_fold_metrics.is_null()) return "";
  return fmt::format(
      "Out of fold, at the chosen epoch (each fold's model deciding the segments of its own "
      "held-out block, so every training segment once, by a model that never trained on it; "
      "same segment rule as the test split): `{}`\n\n",
      json::line(cv.out_of_fold_metrics));
}

Json rounded_all(const std::vector<double>& v) {
  Json out = Json::array();
  for (const double x : v) out.push_back(json::rounded(x, 6));
  return out;
}

// "11, 11, 7, 13": each fold's own best epoch.
std::string fold_best_epochs(const CrossValidation& cv) {
  std::string out;
  for (std::size_t k = 0; k < cv.folds.size(); ++k) {
    out += fmt::format("{}{}", k ? ", " : "", cv.folds[k].best_epoch);
  }
  return out;
}

Json cross_validation_json(const std::optional<CrossValidation>& cv) {
  if (!cv) return nullptr;
  Json best = Json::array();
  Json histories = Json::array();
  for (const TrainingReport& fold : cv->folds) {
    best.push_back(fold.best_epoch);
    histories.push_back(history_json(fold));
  }
  return {{"folds", cv->folds.size()},
          {"chosen_epochs", cv->best_epoch},
          {"mean_validation_loss", rounded_all(cv->mean_validation_loss)},
          {"mean_validation_balanced_accuracy", rounded_all(cv->mean_balanced_accuracy)},
          {"fold_best_epochs", std::move(best)},
          {"out_of_fold_segments", cv->out_of_fold_metrics},
          {"fold_histories", std::move(histories)}};
}

// How the epoch count was chosen, one sentence for the card.
std::string selection_sentence(const TrainingReport& report,
                               const std::optional<TrainingReport>& selection,
                               const std::optional<CrossValidation>& cv) {
  if (cv) {
    const auto at = static_cast<std::size_t>(std::max(cv->best_epoch, 1) - 1);
    const auto epochs = [](std::size_t n) {
      return fmt::format("{} epoch{}", n, n == 1 ? "" : "s");
    };
    return fmt::format(
        "{}-fold cross-validation chose {}: the lowest validation loss averaged over the "
        "folds ({:.4f}, balanced accuracy {:.4f}; the folds alone were best at epochs {}). The "
        "model was then trained on every fold for {}.",
        cv->folds.size(), epochs(static_cast<std::size_t>(cv->best_epoch)),
        cv->mean_validation_loss.at(at), cv->mean_balanced_accuracy.at(at), fold_best_epochs(*cv),
        epochs(report.history.size()));
  }
  if (selection) {
    return fmt::format(
        "Early stopping chose {} epochs (of {} run); the model was then "
        "trained again on training + validation windows for {} epochs.",
        selection->best_epoch, selection->history.size(), report.history.size());
  }
  return fmt::format("Best epoch {} of {} run.", report.best_epoch, report.history.size());
}

Json report_json(const std::filesystem::path& file, const std::string& sha256,
                 const TrainingReport& r, const Json& test, const Json& validation,
                 const std::optional<DemoCheck>& demo,
                 const std::optional<DemoRhythmSweep>& rhythms) {
  return {{"file", file.filename().string()},
          {"sha256", sha256},
          {"architecture", r.architecture},
          {"best_epoch", r.best_epoch},
          {"epochs_run", r.history.size()},
          {"early_stop", r.early_stop},
          {"demo", demo ? demo->json() : Json()},
          {"demo_rhythms", rhythms ? rhythms->json() : Json()},
          {"test_bonn_081_100", test},
          {"validation_segments", validation},
          {"history", history_json(r)}};
}

Json card_json(const ModelCard& c, const std::string& model_sha) {
  const TrainingOptions& o = c.options;
  Json comparisons = Json::array();
  for (const ComparisonEntry& e : c.comparisons) {
    comparisons.push_back(report_json(e.model_file, sha256_file(e.model_file), e.report,
                                      e.test_metrics, e.validation_metrics, e.demo,
                                      e.demo_rhythms));
  }
  return {{"format", "streamdx model card 1"},
          {"streamdx_version", version_string()},
          {"libtorch", c.torch_version},
          {"cpu_kernels", c.cpu_kernels},
          {"input",
           "7 x 260: 7 one-second epochs of 10 LFCC frames x 26 features (docs/FEATURES.md), raw; "
           "the model normalises"},
          {"output", "[P(seiz), P(bckg)] per channel per 1 s epoch"},
          {"data", c.data},
          {"training_windows", c.training_windows},
          {"validation_windows", c.validation_windows},
          {"options",
           {{"normalization", o.normalization},
            {"hidden", o.hidden},
            {"dropout", o.dropout},
            {"learning_rate", o.learning_rate},
            {"weight_decay", o.weight_decay},
            {"batch", o.batch},
            {"max_epochs", o.max_epochs},
            {"patience", o.patience},
            {"seed", o.seed},
            {"threads", o.threads}}},
          {"model", report_json(c.model_file, model_sha, c.report, c.test_metrics,
                                c.validation_metrics, c.demo, c.demo_rhythms)},
          {"selection_run", c.selection ? Json{{"best_epoch", c.selection->best_epoch},
                                               {"history", history_json(*c.selection)}}
                                        : Json()},
          {"cross_validation", cross_validation_json(c.cross_validation)},
          {"comparisons", std::move(comparisons)}};
}

// The demo check, for people: what ran and what it flagged, then the same at other rhythms.
std::string demo_paragraph(const std::optional<DemoCheck>& demo,
                           const std::optional<DemoRhythmSweep>& rhythms) {
  if (!demo) return "";
  const std::string discharge =
      demo->pattern == "fixed"
          ? fmt::format("a {:g} Hz spike-and-wave discharge", demo->discharge_hz)
          : std::string("an evolving focal seizure, 7 Hz onset to 2 Hz spike-and-wave");
  std::string out = fmt::format(
      "Built-in demo (`streamdx run` with no input: the SYNTHETIC recording of `streamdx "
      "simulate`, {:g} s, {} channels, {}), postprocess.min_duration_s = {}: {}.",
      demo->duration_s, demo->channels, discharge, demo->min_duration_s, demo->summary());
  if (rhythms) {
    out += fmt::format(
        " A steady spike-and-wave discharge at several rhythms "
        "(`src/training/DemoRhythmSweep.hpp`): {}.",
        rhythms->summary());
  }
  return out + "\n\n";
}

}  // namespace

std::filesystem::path model_card_path(const std::filesystem::path& model, const std::string& ext) {
  std::filesystem::path p = model;
  return p.replace_extension(ext);
}

void write_model_card(const ModelCard& c) {
  const std::string model_sha = sha256_file(c.model_file);
  const TrainingOptions& o = c.options;
  write_file_atomically(model_card_path(c.model_file, ".json"),
                        json::text(card_json(c, model_sha)));

  std::string md = fmt::format(
      "# Model card: {}\n\n"
      "Written by `streamdx train` (streamdx {}, LibTorch {}). The numbers below are in\n"
      "`{}` too, with the full training history.\n\n"
      "- **Task:** seizure vs background, per channel, per 1 s epoch (channel-based LSTM).\n"
      "- **Input:** 7 s windows of LFCC features (7 x 10 frames x 26, docs/FEATURES.md).\n"
      "- **Data:** {}.\n"
      "- **Windows:** {} for training, {} for validation.\n"
      "- **Architecture:** {}.\n"
      "- **Training:** AdamW, learning rate {}, weight decay {}, batch {}, class-weighted NLL,\n"
      "  early stopping on the validation loss (patience {}, at most {} epochs); seed {},\n"
      "  {} LibTorch thread(s); CPU kernels: {}. {}\n"
      "- **SHA-256 of the weights file:** `{}`.\n\n",
      c.model_file.filename().string(), version_string(), c.torch_version,
      model_card_path(c.model_file, ".json").filename().string(), c.data, c.training_windows,
      c.validation_windows, c.report.architecture, o.learning_rate, o.weight_decay, o.batch,
      o.patience, o.max_epochs, o.seed, o.threads, c.cpu_kernels,
      selection_sentence(c.report, c.selection, c.cross_validation), model_sha);
  if (c.demo)
    md += "## Built-in demo (a check before any test figure)\n\n" +
          demo_paragraph(c.demo, c.demo_rhythms);
  if (!c.test_metrics.is_null()) {
    md += "## Bonn test split (segments 081-100, never used to choose anything)\n\n";
    md += "Segment decision: mean P(seiz) over the segment's epochs >= 0.5, from the pipeline's\n";
    md +=
        "own stages (`streamdx evaluate`).\n\n```json\n" + json::line(c.test_metrics) + "\n```\n\n";
    if (!c.validation_metrics.is_null()) {
      md += std::string(c.selection ? "Validation segments (seen in training after the refit): `"
                                    : "Validation segments: `") +
            json::line(c.validation_metrics) + "`\n\n";
    }
  }
  if (c.cross_validation) {
    md += "## Cross-validation\n\n";
    const CrossValidation& cv = *c.cross_validation;
    md += out_of_fold_paragraph(cv);
    md +=
        "Validation windows (the 1 s epoch grid) of each fold, averaged over the folds, at each "
        "epoch that every fold ran:\n\n"
        "| epoch | mean validation loss | mean balanced accuracy |\n|---:|---:|---:|\n";
    for (std::size_t e = 0; e < cv.mean_validation_loss.size(); ++e) {
      md += fmt::format("| {}{} | {:.4f} | {:.4f} |\n", e + 1,
                        static_cast<int>(e + 1) == cv.best_epoch ? " (chosen)" : "",
                        cv.mean_validation_loss[e], cv.mean_balanced_accuracy[e]);
    }
    md += "\n";
  }
  for (const ComparisonEntry& e : c.comparisons) {
    md += fmt::format(
        "## Compared: {}\n\nTrained on the same data with the same options, except: "
        "{}. {}\n\n{}```json\n{}\n```\n\n{}",
        e.model_file.filename().string(), e.report.architecture,
        selection_sentence(e.report, std::nullopt, e.cross_validation),
        demo_paragraph(e.demo, e.demo_rhythms), json::line(e.test_metrics),
        e.cross_validation ? out_of_fold_paragraph(*e.cross_validation) : "");
  }
  write_file_atomically(model_card_path(c.model_file, ".md"), md);
}

}  // namespace streamdx
