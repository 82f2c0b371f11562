// Trains the channel LSTM through the scripted module itself (SeizureModelScript.hpp), so the
// saved model runs exactly the arithmetic that was trained. Deterministic for a seed: LibTorch's
// generator is seeded, batches are shuffled with SplitMix64, and one intra-op thread is used
// unless asked otherwise.
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/optim/adamw.h>
#include <torch/script.h>
#include <torch/serialize/archive.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <mutex>
#include <numeric>
#include <stdexcept>

#include "core/Random.hpp"
#include "stages/decoder/DecoderShape.hpp"
#include "stages/decoder/SeizureModelScript.hpp"
#include "stages/decoder/TorchTraining.hpp"

namespace streamdx {
namespace {

using decoder::kFeatures;
using decoder::kInputs;
using decoder::kSteps;
constexpr std::int64_t kFrames = static_cast<std::int64_t>(kSteps * decoder::kFramesPerEpoch);

torch::Tensor uniform(const std::vector<std::int64_t>& shape, double bound) {
  return (torch::rand(shape, torch::kFloat32) * 2.0 - 1.0) * bound;
}

// Per-feature statistics of the training windows after the model's own energy centring.
std::pair<torch::Tensor, torch::Tensor> feature_statistics(const TrainingSet& train,
                                                           const std::string& normalization) {
  if (normalization == "window") return {torch::zeros({kFeatures}), torch::ones({kFeatures})};
  const auto n = static_cast<std::int64_t>(train.count());
  auto f = torch::from_blob(const_cast<float*>(train.windows.data()),  // NOLINT: read only
                            {n, kFrames, static_cast<std::int64_t>(kFeatures)})
               .clone();
  if (normalization == "fixed") {
    auto energy = f.select(2, 0);
    energy -= energy.mean({1}, true);
  }
  const std::vector<std::int64_t> dims = {0, 1};
  torch::Tensor mean = f.mean(dims);
  torch::Tensor sd = ((f - mean) * (f - mean)).mean(dims).sqrt().clamp_min(1e-3);
  return std::make_pair(mean, sd);
}

torch::jit::Module make_module(const TrainingOptions& o, const torch::Tensor& mean,
                               const torch::Tensor& sd) {
  torch::jit::Module m(c10::QualifiedName("__torch__.streamdx.ChannelLstm"));
  m.register_attribute("training", c10::BoolType::get(), true);
  m.register_attribute("streamdx_format", c10::StringType::get(),
                       std::string(decoder::kSeizureModelFormat));
  m.register_attribute("normalization", c10::StringType::get(), o.normalization);
  m.register_attribute("hidden", c10::IntType::get(), static_cast<std::int64_t>(o.hidden));
  m.register_attribute("dropout", c10::FloatType::get(), o.dropout);
  const std::int64_t h = o.hidden;
  const double bound = 1.0 / std::sqrt(static_cast<double>(h));  // PyTorch's LSTM default
  m.register_parameter("w_ih", uniform({4 * h, static_cast<std::int64_t>(kInputs)}, bound), false);
  m.register_parameter("w_hh", uniform({4 * h, h}, bound), false);
  m.register_parameter("b_ih", uniform({4 * h}, bound), false);
  m.register_parameter("b_hh", uniform({4 * h}, bound), false);
  m.register_parameter("w_out", uniform({2, h}, bound), false);
  m.register_parameter("b_out", uniform({2}, bound), false);
  m.register_buffer("feature_mean", mean);
  m.register_buffer("feature_std", sd);
  m.define(std::string(decoder::kSeizureModelScript));
  return m;
}

std::vector<torch::Tensor> parameters_of(const torch::jit::Module& m) {
  std::vector<torch::Tensor> out;
  for (const auto& p : m.parameters()) out.push_back(p);
  return out;
}

void set_requires_grad(std::vector<torch::Tensor>& params) {
  for (auto& p : params) p.requires_grad_(true);
}

// Model class index: 0 = seiz, 1 = bckg (the output order).
torch::Tensor targets(const TrainingSet& s, const std::vector<std::size_t>& idx) {
  auto t = torch::empty({static_cast<std::int64_t>(idx.size())}, torch::kInt64);
  auto* p = t.data_ptr<std::int64_t>();
  for (std::size_t i = 0; i < idx.size(); ++i) p[i] = s.labels[idx[i]] == 1 ? 0 : 1;
  return t;
}

// A gain g on the signal shifts every log-energy feature by 2 ln g and leaves the rest alone
// (the cepstra ignore a constant log-spectrum offset; deltas and diff_energy are differences).
void augment_gain(torch::Tensor& x, double range_db, std::uint64_t seed) {
  if (range_db <= 0) return;
  SplitMix64 rng(seed);
  float* p = x.data_ptr<float>();
  const auto windows = static_cast<std::size_t>(x.size(0));
  for (std::size_t w = 0; w < windows; ++w) {
    const double db = (2 * rng.uniform() - 1) * range_db;
    const auto shift = static_cast<float>(2.0 * std::log(std::pow(10.0, db / 20.0)));
    float* win = p + w * decoder::kWindowValues;
    for (std::size_t f = 0; f < decoder::kWindowValues; f += kFeatures) win[f] += shift;
  }
}

torch::Tensor gather(const TrainingSet& s, const std::vector<std::size_t>& idx) {
  auto x = torch::empty({static_cast<std::int64_t>(idx.size()), static_cast<std::int64_t>(kSteps),
                         static_cast<std::int64_t>(kInputs)},
                        torch::kFloat32);
  float* dst = x.data_ptr<float>();
  for (std::size_t i = 0; i < idx.size(); ++i) {
    std::copy_n(s.windows.data() + idx[i] * decoder::kWindowValues, decoder::kWindowValues,
                dst + i * decoder::kWindowValues);
  }
  return x;
}

std::vector<std::size_t> epoch_order(std::size_t n, std::uint64_t seed, int epoch) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  SplitMix64 rng(seed ^ (std::uint64_t{0x9E3779B97F4A7C15U} * static_cast<std::uint64_t>(epoch)));
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.next() % i]);
  return order;
}

struct Evaluation {
  double loss = 0;
  double balanced_accuracy = 0;
};

Evaluation evaluate(torch::jit::Module& m, const TrainingSet& s, const torch::Tensor& weights) {
  const torch::NoGradGuard no_grad;
  m.train(false);
  double loss_sum = 0;
  double weight_sum = 0;
  std::int64_t hit[2] = {0, 0};
  std::int64_t count[2] = {0, 0};
  constexpr std::size_t kBatch = 512;
  for (std::size_t at = 0; at < s.count(); at += kBatch) {
    std::vector<std::size_t> idx(std::min(kBatch, s.count() - at));
    std::iota(idx.begin(), idx.end(), at);
    const auto y = targets(s, idx);
    const auto logp = m.forward({gather(s, idx)}).toTensor();
    const auto w = weights.index_select(0, y);
    loss_sum += -(logp.gather(1, y.unsqueeze(1)).squeeze(1) * w).sum().item<double>();
    weight_sum += w.sum().item<double>();
    const auto pred = logp.argmax(1);
    for (std::int64_t c = 0; c < 2; ++c) {
      const auto is_c = y == c;
      count[c] += is_c.sum().item<std::int64_t>();
      hit[c] += (is_c & (pred == c)).sum().item<std::int64_t>();
    }
  }
  m.train(true);
  Evaluation e;
  e.loss = loss_sum / std::max(weight_sum, 1e-12);
  double recall = 0;
  int classes = 0;
  for (int c = 0; c < 2; ++c) {
    if (count[c] == 0) continue;
    recall += static_cast<double>(hit[c]) / static_cast<double>(count[c]);
    ++classes;
  }
  e.balanced_accuracy = classes ? recall / classes : 0;
  return e;
}

// Training state that a checkpoint carries besides the weights and the optimiser.
struct LoopState {
  int epoch = 1;          // the epoch in progress (1-based)
  std::size_t batch = 0;  // batches of it already done
  double loss_sum = 0;    // its running training loss
  int best_epoch = 0;
  double best_loss = std::numeric_limits<double>::infinity();
  std::vector<EpochSummary> history;
};

void atomic_save(const std::string& path, const std::function<void(const std::string&)>& save) {
  const std::string part = path + ".part";
  save(part);
  std::filesystem::rename(part, path);
}

torch::Tensor scalar(double v) {
  return torch::tensor(v, torch::kFloat64);
}

void save_checkpoint(const std::string& path, const TrainingOptions& o, torch::jit::Module& m,
                     const std::vector<torch::Tensor>& best, torch::optim::AdamW& opt,
                     const LoopState& s) {
  torch::serialize::OutputArchive a;
  std::size_t i = 0;
  for (const auto& p : m.named_parameters()) {
    a.write("param." + p.name, p.value.detach());
    a.write("best." + p.name, best[i++]);
  }
  torch::serialize::OutputArchive opt_archive;
  opt.save(opt_archive);
  a.write("optimizer", opt_archive);
  a.write("rng", at::detail::getDefaultCPUGenerator().get_state());
  a.write("hidden", scalar(o.hidden));
  a.write("epoch", scalar(s.epoch));
  a.write("batch", scalar(static_cast<double>(s.batch)));
  a.write("loss_sum", scalar(s.loss_sum));
  a.write("best_epoch", scalar(s.best_epoch));
  a.write("best_loss", scalar(s.best_loss));
  auto h = torch::zeros({static_cast<std::int64_t>(s.history.size()), 4}, torch::kFloat64);
  for (std::size_t k = 0; k < s.history.size(); ++k) {
    const auto r = static_cast<std::int64_t>(k);
    h[r][0] = s.history[k].epoch;
    h[r][1] = s.history[k].train_loss;
    h[r][2] = s.history[k].validation_loss;
    h[r][3] = s.history[k].validation_accuracy;
  }
  a.write("history", h);
  atomic_save(path, [&](const std::string& p) { a.save_to(p); });
}

double read_scalar(torch::serialize::InputArchive& a, const std::string& key) {
  torch::Tensor t;
  a.read(key, t);
  return t.item<double>();
}

LoopState load_checkpoint(const std::string& path, const TrainingOptions& o, torch::jit::Module& m,
                          std::vector<torch::Tensor>& best, torch::optim::AdamW& opt) {
  torch::serialize::InputArchive a;
  try {
    a.load_from(path);
  } catch (const c10::Error& e) {
    throw std::runtime_error(fmt::format("{}: not a streamdx training checkpoint", path));
  }
  if (static_cast<int>(read_scalar(a, "hidden")) != o.hidden) {
    throw std::runtime_error(
        fmt::format("{}: checkpoint of a model with another hidden size", path));
  }
  {
    const torch::NoGradGuard no_grad;
    std::size_t i = 0;
    for (const auto& p : m.named_parameters()) {
      torch::Tensor t;
      a.read("param." + p.name, t);
      p.value.copy_(t);
      a.read("best." + p.name, t);
      best[i++].copy_(t);
    }
  }
  torch::serialize::InputArchive opt_archive;
  a.read("optimizer", opt_archive);
  opt.load(opt_archive);
  torch::Tensor rng;
  a.read("rng", rng);
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  {
    const std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(rng);
  }
  LoopState s;
  s.epoch = static_cast<int>(read_scalar(a, "epoch"));
  s.batch = static_cast<std::size_t>(read_scalar(a, "batch"));
  s.loss_sum = read_scalar(a, "loss_sum");
  s.best_epoch = static_cast<int>(read_scalar(a, "best_epoch"));
  s.best_loss = read_scalar(a, "best_loss");
  torch::Tensor h;
  a.read("history", h);
  for (std::int64_t k = 0; k < h.size(0); ++k) {
    s.history.push_back(EpochSummary{static_cast<int>(h[k][0].item<double>()),
                                     h[k][1].item<double>(), h[k][2].item<double>(),
                                     h[k][3].item<double>()});
  }
  return s;
}

void check_training_inputs(const TrainingSet& train, const TrainingSet& validation,
                           const TrainingOptions& o) {
  if (train.count() == 0 || validation.count() == 0) {
    throw std::runtime_error("training needs windows in both the training and validation sets");
  }
  if (o.normalization != "fixed" && o.normalization != "window" && o.normalization != "absolute" &&
      o.normalization != "background") {
    throw std::invalid_argument(fmt::format(
        "normalisation '{}': expected fixed, window, absolute or background", o.normalization));
  }
}

// Classes weighted inversely to their frequency (seizure windows are the minority).
torch::Tensor class_weights(const TrainingSet& train) {
  std::int64_t seizures = 0;
  for (const auto l : train.labels) seizures += l == 1 ? 1 : 0;
  const auto n = static_cast<double>(train.count());
  return torch::tensor({n / (2.0 * std::max<double>(1, static_cast<double>(seizures))),
                        n / (2.0 * std::max<double>(1, n - static_cast<double>(seizures)))},
                       torch::kFloat32);
}

struct Batch {
  const TrainingSet& set;
  const std::vector<std::size_t>& idx;
  const torch::Tensor& weights;
};

// One optimiser step on a batch, gain-augmented; returns its loss.
double train_step(torch::jit::Module& m, torch::optim::AdamW& opt, const Batch& b,
                  double gain_augment_db, std::uint64_t augment_seed) {
  torch::Tensor x = gather(b.set, b.idx);
  augment_gain(x, gain_augment_db, augment_seed);
  const auto logp = m.forward({x}).toTensor();
  const auto loss = torch::nll_loss(logp, targets(b.set, b.idx), b.weights);
  opt.zero_grad();
  loss.backward();
  opt.step();
  return loss.item<double>();
}

// After epoch s: its snapshot (when asked for) and a checkpoint that resumes at the next epoch.
void save_epoch_files(const TrainingOptions& o, torch::jit::Module& m,
                      const std::vector<torch::Tensor>& best, torch::optim::AdamW& opt,
                      const LoopState& s) {
  if (!o.snapshot_prefix.empty()) {
    m.train(false);  // saved as the model file is: dropout off
    atomic_save(fmt::format("{}{}.pt", o.snapshot_prefix, s.epoch),
                [&](const std::string& p) { m.save(p); });
    m.train(true);
  }
  if (!o.checkpoint_path.empty()) {
    LoopState next = s;
    ++next.epoch;
    next.batch = 0;
    next.loss_sum = 0;
    save_checkpoint(o.checkpoint_path, o, m, best, opt, next);
  }
}

}  // namespace

TrainingReport train_seizure_model(const TrainingSet& train, const TrainingSet& validation,
                                   const TrainingOptions& o,
                                   const std::function<void(const TrainingProgress&)>& progress,
                                   const std::function<bool()>& stop_requested) {
  check_training_inputs(train, validation, o);
  at::set_num_threads(o.threads);
  at::manual_seed(o.seed);

  const auto [mean, sd] = feature_statistics(train, o.normalization);
  torch::jit::Module m = make_module(o, mean, sd);
  std::vector<torch::Tensor> params = parameters_of(m);
  set_requires_grad(params);
  std::vector<torch::Tensor> best;
  for (const auto& p : params) best.push_back(p.detach().clone());
  torch::optim::AdamW opt(params,
                          torch::optim::AdamWOptions(o.learning_rate).weight_decay(o.weight_decay));

  const torch::Tensor weights = class_weights(train);

  LoopState s;
  if (!o.resume_path.empty()) s = load_checkpoint(o.resume_path, o, m, best, opt);

  TrainingReport report;
  report.architecture = fmt::format(
      "normalisation {}; gain augmentation +-{} dB; LSTM(260 -> {}), 1 layer, last step; "
      "dropout {}; linear({} -> 2); log-softmax [seiz, bckg]",
      o.normalization, o.gain_augment_db, o.hidden, o.dropout, o.hidden);
  const auto batch = static_cast<std::size_t>(o.batch);
  const std::size_t batches = (train.count() + batch - 1) / batch;
  m.train(true);
  for (; s.epoch <= o.max_epochs; ++s.epoch, s.batch = 0, s.loss_sum = 0) {
    const std::vector<std::size_t> order = epoch_order(train.count(), o.seed, s.epoch);
    for (; s.batch < batches; ++s.batch) {
      if (stop_requested()) {
        if (!o.checkpoint_path.empty()) save_checkpoint(o.checkpoint_path, o, m, best, opt, s);
        report.stopped = true;
        break;
      }
      const std::size_t from = s.batch * batch;
      const std::vector<std::size_t> idx(
          order.begin() + static_cast<std::ptrdiff_t>(from),
          order.begin() + static_cast<std::ptrdiff_t>(std::min(from + batch, order.size())));
      const std::uint64_t augment_seed =
          o.seed * 1000003U + static_cast<std::uint64_t>(s.epoch) * 65537U + s.batch;
      s.loss_sum += train_step(m, opt, {train, idx, weights}, o.gain_augment_db, augment_seed);
      progress(TrainingProgress{s.epoch, o.max_epochs, s.batch + 1, batches,
                                s.loss_sum / static_cast<double>(s.batch + 1)});
    }
    if (report.stopped) break;
    const Evaluation v = evaluate(m, validation, weights);
    s.history.push_back(EpochSummary{s.epoch, s.loss_sum / static_cast<double>(batches), v.loss,
                                     v.balanced_accuracy});
    if (v.loss < s.best_loss || o.keep_last) {
      s.best_loss = v.loss;
      s.best_epoch = s.epoch;
      const torch::NoGradGuard no_grad;
      for (std::size_t i = 0; i < params.size(); ++i) best[i].copy_(params[i]);
    }
    save_epoch_files(o, m, best, opt, s);
    if (!o.keep_last && s.epoch - s.best_epoch >= o.patience) {
      report.early_stop = true;
      break;
    }
  }
  report.history = s.history;
  report.best_epoch = s.best_epoch;

  // The model file: the best epoch's weights, in evaluation mode.
  {
    const torch::NoGradGuard no_grad;
    for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(best[i]);
  }
  for (auto& p : params) p.requires_grad_(false);
  m.train(false);
  if (!o.model_path.empty() && s.best_epoch > 0 && !report.stopped) {
    atomic_save(o.model_path, [&](const std::string& p) { m.save(p); });
  }
  return report;
}

}  // namespace streamdx
