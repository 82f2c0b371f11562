#pragma once
// NativeLstmModel: the committed seizure model's computation (kSeizureModelScript, normalisation
// "fixed" or "absolute") in plain C++ for the CPU, from the weights of its TorchScript file.
//
// Why not LibTorch on the CPU: a window's LSTM input at step t depends only on epoch t (the
// "fixed" normalisation's one window-dependent term, the log energy's window mean, enters
// linearly through ten inputs per step), so each epoch's input projection W_ih z + b is computed
// once, when it completes, instead of in each of the 7 windows that contain it. That removes
// six sevenths of the model's arithmetic; the per-call dispatch of a TorchScript graph goes too.
//
// Encoding of one epoch of one channel: the 4 x hidden gate pre-activations from every input,
// the log energies taken as e / std (the "fixed" normalisation's z is e / std - (m + mean) / std,
// m the window's mean energy), then the epoch's 10 raw log energies. Decoding a window: the
// window's one term, (m + mean) / std times the energy columns' sum, is subtracted, and the
// recurrence runs over the 7 steps.
//
// Arithmetic order is fixed and independent of the batch, so posteriors do not depend on how
// windows are grouped; the two SIMD clones (core/SimdClones.hpp) give the same bits. They agree
// with LibTorch's to about 1e-7 (tests/stages/decoder/NativeLstmModelTest.cpp), and the model
// loader checks agreement on every model it loads (runtime/ModelLoading.cpp).
#include <vector>

#include "stages/decoder/LstmWeights.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx {

class NativeLstmModel final : public SeizureModel {
 public:
  // Throws std::invalid_argument for shapes that do not fit, or for the "window" normalisation
  // (not decomposable by epoch: the TorchScript engine runs those models).
  explicit NativeLstmModel(const LstmWeights& weights);

  [[nodiscard]] static bool supports(const std::string& normalization) {
    return normalization == "fixed" || normalization == "absolute" || normalization == "background";
  }

  [[nodiscard]] std::size_t encoding_size() const override { return gates_ + kEnergies; }
  void encode_epochs(std::span<const float> epochs, std::size_t count,
                     std::span<float> encodings) override;
  void decode_windows(std::span<const float> encodings, std::size_t batch,
                      std::span<float> posteriors) override;
  void decode_steps(const StepPointers& steps, std::size_t window_stride, std::size_t batch,
                    std::span<float> posteriors) override;
  [[nodiscard]] std::string device() const override { return "cpu"; }
  [[nodiscard]] std::string engine() const override { return "native"; }

 private:
  // Windows first .. first + n - 1 (n = 1, 2 or 4) of a decode_steps() call.
  void decode_block(const StepPointers& steps, std::size_t window_stride, std::size_t first,
                    std::size_t n, float* posteriors);

  static constexpr std::size_t kEnergies = decoder::kFramesPerEpoch;  // input f * kFeatures

  bool centre_energy_;  // "fixed": the log energy relative to its window mean
  std::size_t hidden_;
  std::size_t gates_;               // 4 x hidden
  std::vector<float> projected_t_;  // W_ih transposed: kInputs rows of gates_
  std::vector<float> energy_sum_;   // the energy inputs' W_ih columns summed (fixed only)
  float energy_mean_ = 0;           // the log energy's training mean and deviation
  float energy_std_ = 1;
  std::vector<float> recurrent_t_;  // W_hh transposed: hidden rows of gates_
  std::vector<float> bias_;         // b_ih + b_hh
  std::vector<float> mean_;         // per input (kInputs), from feature_mean
  std::vector<float> std_;          // per input, from feature_std
  std::vector<float> w_out_;
  std::vector<float> b_out_;
  // Scratch for up to four epochs or windows at once, so that no call allocates.
  std::vector<float> z_;
  std::vector<float> gate_values_;
  std::vector<float> h_;
  std::vector<float> c_;
};

}  // namespace streamdx
