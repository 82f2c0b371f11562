#include "training/CrossValidation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "io/AtomicFile.hpp"

namespace streamdx {

TrainingSet merge_blocks(const std::vector<FoldBlock>& blocks, bool validation_windows,
                         std::size_t except) {
  TrainingSet out;
  std::size_t windows = 0;
  std::size_t labels = 0;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (b == except) continue;
    const TrainingSet& s = validation_windows ? blocks[b].validation : blocks[b].training;
    windows += s.windows.size();
    labels += s.labels.size();
  }
  out.windows.reserve(windows);
  out.labels.reserve(labels);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (b == except) continue;
    const TrainingSet& s = validation_windows ? blocks[b].validation : blocks[b].training;
    out.windows.insert(out.windows.end(), s.windows.begin(), s.windows.end());
    out.labels.insert(out.labels.end(), s.labels.begin(), s.labels.end());
  }
  return out;
}

CrossValidation cross_validate(
    const std::vector<FoldBlock>& blocks, std::vector<TrainingReport> finished,
    const FoldTrainer& train,
    const std::function<void(const std::vector<TrainingReport>&)>& fold_done) {
  if (blocks.size() < 2) throw std::invalid_argument("cross-validation needs at least 2 folds");
  if (finished.size() > blocks.size()) {
    throw std::invalid_argument("cross-validation: more finished folds than folds");
  }
  CrossValidation cv;
  cv.folds = std::move(finished);
  for (std::size_t k = cv.folds.size(); k < blocks.size(); ++k) {
    if (blocks[k].validation.count() == 0) {
      throw std::invalid_argument("cross-validation: a fold has no validation windows");
    }
    cv.folds.push_back(train(merge_blocks(blocks, false, k), blocks[k].validation, k));
    if (cv.folds.back().stopped) {
      cv.folds.pop_back();
      cv.stopped = true;
      return cv;
    }
    if (fold_done) fold_done(cv.folds);
  }
  std::size_t common = std::numeric_limits<std::size_t>::max();
  for (const TrainingReport& f : cv.folds) common = std::min(common, f.history.size());
  // Only epochs that every fold reached are averaged: a fold that stopped early has no loss
  // for the later ones, and leaving it out would average unlike sets.
  const auto folds = static_cast<double>(cv.folds.size());
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t e = 0; e < common; ++e) {
    double loss = 0;
    double accuracy = 0;
    for (const TrainingReport& f : cv.folds) {
      loss += f.history[e].validation_loss;
      accuracy += f.history[e].validation_accuracy;
    }
    cv.mean_validation_loss.push_back(loss / folds);
    cv.mean_balanced_accuracy.push_back(accuracy / folds);
    if (cv.mean_validation_loss.back() < best) {
      best = cv.mean_validation_loss.back();
      cv.best_epoch = static_cast<int>(e) + 1;
    }
  }
  return cv;
}

namespace {
constexpr std::string_view kFoldsHeader = "streamdx finished folds 1";

// strtod reads hex floats exactly (iostreams do not); NaN when the token is not all number.
double hex_float(const std::string& token) {
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  return end == token.c_str() + token.size() && !token.empty() ? v : std::nan("");
}
}  // namespace

void save_finished_folds(const std::filesystem::path& file, const std::string& signature,
                         const std::vector<TrainingReport>& folds) {
  // One line per epoch: fold epoch train_loss validation_loss balanced_accuracy, in hex floats.
  std::string text = fmt::format("{}\n{}\n{}\n", kFoldsHeader, signature, folds.size());
  for (std::size_t k = 0; k < folds.size(); ++k) {
    text += fmt::format("{} {} {} {}\n", k, folds[k].best_epoch, folds[k].early_stop ? 1 : 0,
                        folds[k].history.size());
    for (const EpochSummary& e : folds[k].history) {
      text += fmt::format("{} {:a} {:a} {:a}\n", e.epoch, e.train_loss, e.validation_loss,
                          e.validation_accuracy);
    }
  }
  write_file_atomically(file, text + "end\n");
}

std::vector<TrainingReport> load_finished_folds(const std::filesystem::path& file,
                                                const std::string& signature) {
  std::ifstream in(file);
  if (!in) return {};
  const auto garbled = [&file](const std::string& what) {
    return std::runtime_error(fmt::format("{}: {}", file.string(), what));
  };
  std::string header;
  std::string saved_signature;
  std::getline(in, header);
  std::getline(in, saved_signature);
  if (header != kFoldsHeader) throw garbled("not a streamdx finished-folds file");
  if (saved_signature != signature) {
    throw garbled("finished folds of another training configuration (" + saved_signature + ")");
  }
  std::size_t count = 0;
  if (!(in >> count) || count > 1000) throw garbled("bad fold count");
  std::vector<TrainingReport> folds(count);
  for (std::size_t k = 0; k < count; ++k) {
    std::size_t index = 0;
    int early = 0;
    std::size_t epochs = 0;
    if (!(in >> index >> folds[k].best_epoch >> early >> epochs) || index != k || epochs > 100000) {
      throw garbled(fmt::format("bad record for fold {}", k));
    }
    folds[k].early_stop = early != 0;
    for (std::size_t e = 0; e < epochs; ++e) {
      EpochSummary s;
      std::string train_loss;
      std::string validation_loss;
      std::string accuracy;
      if (!(in >> s.epoch >> train_loss >> validation_loss >> accuracy)) {
        throw garbled(fmt::format("fold {} ends at epoch {} of {}", k, e, epochs));
      }
      s.train_loss = hex_float(train_loss);
      s.validation_loss = hex_float(validation_loss);
      s.validation_accuracy = hex_float(accuracy);
      if (std::isnan(s.train_loss) || std::isnan(s.validation_loss) ||
          std::isnan(s.validation_accuracy)) {
        throw garbled(fmt::format("fold {}, epoch {}: not a number", k, e + 1));
      }
      folds[k].history.push_back(s);
    }
  }
  std::string end;
  if (!(in >> end) || end != "end") throw garbled("truncated (no end line)");
  return folds;
}

}  // namespace streamdx
