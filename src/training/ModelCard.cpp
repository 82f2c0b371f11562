#include "training/ModelCard.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/Json.hpp"
#include "core/Version.hpp"
#include "io/AtomicFile.hpp"
#include "runtime/ModelLoading.hpp"

namespace streamdx {

namespace {

std::string history_json(const TrainingReport& r) {
  std::string out = "[";
  for (std::size_t i = 0; i < r.history.size(); ++i) {
    const EpochSummary& e = r.history[i];
    out += fmt::format(
        "{}{{\"epoch\": {}, \"train_loss\": {:.6f}, \"validation_loss\": {:.6f}, "
        "\"validation_balanced_accuracy\": {:.4f}}}",
        i ? ", " : "", e.epoch, e.train_loss, e.validation_loss, e.validation_accuracy);
  }
  return out + "]";
}

// Cross-validation's segment-level estimate, for the card (empty when not computed).
std::string out_of_fold_paragraph(const CrossValidation& cv) {
  if (cv.out_of_fold_metrics_json.empty()) return "";
  return fmt::format(
      "Out of fold, at the chosen epoch (each fold's model deciding the segments of its own "
      "held-out block, so every training segment once, by a model that never trained on it; "
      "same segment rule as the test split): `{}`\n\n",
      cv.out_of_fold_metrics_json);
}

std::string or_null(const std::string& json_value) {
  return json_value.empty() ? "null" : json_value;
}

std::string numbers_json(const std::vector<double>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += fmt::format("{}{:.6f}", i ? ", " : "", v[i]);
  return out + "]";
}

// "11, 11, 7, 13": each fold's own best epoch.
std::string fold_best_epochs(const CrossValidation& cv) {
  std::string out;
  for (std::size_t k = 0; k < cv.folds.size(); ++k) {
    out += fmt::format("{}{}", k ? ", " : "", cv.folds[k].best_epoch);
  }
  return out;
}

std::string cross_validation_json(const std::optional<CrossValidation>& cv) {
  if (!cv) return "null";
  std::string histories = "[";
  for (std::size_t k = 0; k < cv->folds.size(); ++k) {
    histories += (k ? ", " : "") + history_json(cv->folds[k]);
  }
  return fmt::format(
      "{{\"folds\": {}, \"chosen_epochs\": {}, \"mean_validation_loss\": {}, "
      "\"mean_validation_balanced_accuracy\": {}, \"fold_best_epochs\": [{}], "
      "\"out_of_fold_segments\": {}, \"fold_histories\": {}]}}",
      cv->folds.size(), cv->best_epoch, numbers_json(cv->mean_validation_loss),
      numbers_json(cv->mean_balanced_accuracy), fold_best_epochs(*cv),
      or_null(cv->out_of_fold_metrics_json), histories);
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

std::string report_json(const std::filesystem::path& file, const std::string& sha256,
                        const TrainingReport& r, const std::string& test,
                        const std::string& validation, const std::optional<DemoCheck>& demo,
                        const std::optional<DemoRhythmSweep>& rhythms) {
  return fmt::format(
      "{{\"file\": {}, \"sha256\": {}, \"architecture\": {}, \"best_epoch\": {}, "
      "\"epochs_run\": {}, \"early_stop\": {}, \"demo\": {}, \"demo_rhythms\": {}, "
      "\"test_bonn_081_100\": {}, "
      "\"validation_segments\": {}, \"history\": {}}}",
      json::quote(file.filename().string()), json::quote(sha256), json::quote(r.architecture),
      r.best_epoch, r.history.size(), r.early_stop ? "true" : "false", demo ? demo->json() : "null",
      rhythms ? rhythms->json() : "null", or_null(test), or_null(validation), history_json(r));
}

// The demo check, for people: what ran and what it flagged, then the same at other rhythms.
std::string demo_paragraph(const std::optional<DemoCheck>& demo,
                           const std::optional<DemoRhythmSweep>& rhythms) {
  if (!demo) return "";
  std::string out = fmt::format(
      "Built-in demo (`streamdx run` with no input: the SYNTHETIC recording of `streamdx "
      "simulate`, {:g} s, {} channels, a {:g} Hz spike-and-wave discharge), "
      "postprocess.min_duration_s = {}: {}.",
      demo->duration_s, demo->channels, demo->discharge_hz, demo->min_duration_s, demo->summary());
  if (rhythms) {
    out += fmt::format(
        " The same discharge at other rhythms (`src/training/DemoRhythmSweep.hpp`): {}.",
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
  std::string comparisons = "[";
  for (std::size_t i = 0; i < c.comparisons.size(); ++i) {
    const ComparisonEntry& e = c.comparisons[i];
    comparisons += (i ? ", " : "") + report_json(e.model_file, sha256_file(e.model_file), e.report,
                                                 e.test_metrics_json, e.validation_metrics_json,
                                                 e.demo, e.demo_rhythms);
  }
  comparisons += "]";
  const std::string json = fmt::format(
      "{{\n  \"format\": \"streamdx model card 1\",\n  \"streamdx_version\": {},\n"
      "  \"libtorch\": {},\n  \"cpu_kernels\": {},\n  \"input\": \"7 x 260: 7 one-second epochs of "
      "10 LFCC frames x 26 "
      "features (docs/FEATURES.md), raw; the model normalises\",\n"
      "  \"output\": \"[P(seiz), P(bckg)] per channel per 1 s epoch\",\n"
      "  \"data\": {},\n  \"training_windows\": {},\n  \"validation_windows\": {},\n"
      "  \"options\": {{\"normalization\": {}, \"hidden\": {}, \"dropout\": {}, "
      "\"learning_rate\": {}, \"weight_decay\": {}, \"batch\": {}, \"max_epochs\": {}, "
      "\"patience\": {}, \"seed\": {}, \"threads\": {}}},\n"
      "  \"model\": {},\n  \"selection_run\": {},\n  \"cross_validation\": {},\n"
      "  \"comparisons\": {}\n}}\n",
      json::quote(version_string()), json::quote(c.torch_version), json::quote(c.cpu_kernels),
      json::quote(c.data), c.training_windows, c.validation_windows, json::quote(o.normalization),
      o.hidden, json::number(o.dropout), json::number(o.learning_rate),
      json::number(o.weight_decay), o.batch, o.max_epochs, o.patience, o.seed, o.threads,
      report_json(c.model_file, model_sha, c.report, c.test_metrics_json, c.validation_metrics_json,
                  c.demo, c.demo_rhythms),
      c.selection ? fmt::format("{{\"best_epoch\": {}, \"history\": {}}}", c.selection->best_epoch,
                                history_json(*c.selection))
                  : "null",
      cross_validation_json(c.cross_validation), comparisons);
  write_file_atomically(model_card_path(c.model_file, ".json"), json);

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
      c.validation_windows, c.report.architecture, json::number(o.learning_rate),
      json::number(o.weight_decay), o.batch, o.patience, o.max_epochs, o.seed, o.threads,
      c.cpu_kernels, selection_sentence(c.report, c.selection, c.cross_validation), model_sha);
  if (c.demo)
    md += "## Built-in demo (a check before any test figure)\n\n" +
          demo_paragraph(c.demo, c.demo_rhythms);
  if (!c.test_metrics_json.empty()) {
    md += "## Bonn test split (segments 081-100, never used to choose anything)\n\n";
    md += "Segment decision: mean P(seiz) over the segment's epochs >= 0.5, from the pipeline's\n";
    md += "own stages (`streamdx evaluate`).\n\n```json\n" + c.test_metrics_json + "\n```\n\n";
    if (!c.validation_metrics_json.empty()) {
      md += std::string(c.selection ? "Validation segments (seen in training after the refit): `"
                                    : "Validation segments: `") +
            c.validation_metrics_json + "`\n\n";
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
        demo_paragraph(e.demo, e.demo_rhythms), or_null(e.test_metrics_json),
        e.cross_validation ? out_of_fold_paragraph(*e.cross_validation) : "");
  }
  write_file_atomically(model_card_path(c.model_file, ".md"), md);
}

}  // namespace streamdx
