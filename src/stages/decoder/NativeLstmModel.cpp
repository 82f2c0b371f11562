#include "stages/decoder/NativeLstmModel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "core/SimdClones.hpp"

namespace streamdx {
namespace {

using decoder::kFeatures;
using decoder::kFramesPerEpoch;
using decoder::kInputs;
using decoder::kSteps;

// acc[g] += z[j] * rows[j][g] for every row j, in order (vectorised along g). Tiles of kTile
// accumulators stay in registers over all rows: eight independent vector sums, enough to hide the
// add latency. Every acc[g] sees the same operations in the same order whatever the tiling.
constexpr std::size_t kTile = 64;

STREAMDX_SIMD_CLONES
void accumulate_rows(const float* __restrict rows, const float* __restrict z, std::size_t count,
                     std::size_t width, float* __restrict acc) {
  std::size_t g0 = 0;
  for (; g0 + kTile <= width; g0 += kTile) {
    std::array<float, kTile> tile;
    for (std::size_t g = 0; g < kTile; ++g) tile[g] = acc[g0 + g];
    for (std::size_t j = 0; j < count; ++j) {
      const float zj = z[j];
      const float* w = rows + j * width + g0;
      for (std::size_t g = 0; g < kTile; ++g) tile[g] += zj * w[g];
    }
    for (std::size_t g = 0; g < kTile; ++g) acc[g0 + g] = tile[g];
  }
  for (std::size_t j = 0; j < count && g0 < width; ++j) {  // hidden sizes not a multiple of 16
    const float zj = z[j];
    const float* w = rows + j * width;
    for (std::size_t g = g0; g < width; ++g) acc[g] += zj * w[g];
  }
}

// The same for two vectors z, b at once, so that each weight row is loaded once for both: the
// input projection's rows (128 KB for 32 units) come from L2, whose bandwidth bounds the
// one-vector form. Each acc lane sees exactly the operations accumulate_rows would give it.
constexpr std::size_t kPairTile = 32;

STREAMDX_SIMD_CLONES
void accumulate_rows_pair(const float* __restrict rows, const float* __restrict z,
                          const float* __restrict b, std::size_t count, std::size_t width,
                          float* __restrict acc_z, float* __restrict acc_b) {
  std::size_t g0 = 0;
  for (; g0 + kPairTile <= width; g0 += kPairTile) {
    std::array<float, kPairTile> tz;
    std::array<float, kPairTile> tb;
    for (std::size_t g = 0; g < kPairTile; ++g) {
      tz[g] = acc_z[g0 + g];
      tb[g] = acc_b[g0 + g];
    }
    for (std::size_t j = 0; j < count; ++j) {
      const float zj = z[j];
      const float bj = b[j];
      const float* w = rows + j * width + g0;
      for (std::size_t g = 0; g < kPairTile; ++g) {
        tz[g] += zj * w[g];
        tb[g] += bj * w[g];
      }
    }
    for (std::size_t g = 0; g < kPairTile; ++g) {
      acc_z[g0 + g] = tz[g];
      acc_b[g0 + g] = tb[g];
    }
  }
  for (std::size_t j = 0; j < count && g0 < width; ++j) {
    const float* w = rows + j * width;
    for (std::size_t g = g0; g < width; ++g) {
      acc_z[g] += z[j] * w[g];
      acc_b[g] += b[j] * w[g];
    }
  }
}

// exp(x), clamped to [-87, 88] so that it stays finite and normal: 2^n p(r) with
// r = x - n ln 2 and Cephes' degree-6 expf polynomial (about 1 ulp). Written with plain float
// operations that vectorise, unlike libm's expf; the same operations in both SIMD clones.
inline float exp_clamped(float x) {
  constexpr float kLog2e = 1.44269504F;
  constexpr float kLn2High = 0.693359375F;  // ln 2 split so that n * kLn2High is exact
  constexpr float kLn2Low = -2.12194440e-4F;
  constexpr float kRound = 12582912.0F;  // 1.5 x 2^23: adding it rounds to an integer
  // Value selects, not std::min/max (which return references and keep the loop from vectorising).
  x = x < -87.0F ? -87.0F : x;
  x = x > 88.0F ? 88.0F : x;
  const float n = (x * kLog2e + kRound) - kRound;
  float r = x - n * kLn2High;
  r = r - n * kLn2Low;
  float p = 1.9875691500e-4F;
  p = p * r + 1.3981999507e-3F;
  p = p * r + 8.3334519073e-3F;
  p = p * r + 4.1665795894e-2F;
  p = p * r + 1.6666665459e-1F;
  p = p * r + 5.0000001201e-1F;
  p = p * (r * r) + r + 1.0F;
  const auto scale = std::bit_cast<float>(static_cast<std::int32_t>(
      static_cast<std::uint32_t>(static_cast<std::int32_t>(n) + 127) << 23U));
  return p * scale;
}

STREAMDX_SIMD_CLONES
void sigmoid(float* __restrict v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) v[i] = 1.0F / (1.0F + exp_clamped(-v[i]));
}

STREAMDX_SIMD_CLONES
void tanh_of(const float* in, float* out, std::size_t n) {  // in == out allowed
  for (std::size_t i = 0; i < n; ++i) out[i] = 1.0F - 2.0F / (exp_clamped(2.0F * in[i]) + 1.0F);
}

// One LSTM step's cell update from activated gates [i | f | g | o] (g still to be tanh'd).
STREAMDX_SIMD_CLONES
void update_cell(const float* __restrict gates, float* __restrict c, std::size_t hidden) {
  const float* i = gates;
  const float* f = gates + hidden;
  const float* g = gates + 2 * hidden;
  for (std::size_t k = 0; k < hidden; ++k) c[k] = f[k] * c[k] + i[k] * g[k];
}

void check_size(const std::vector<float>& v, std::size_t expected, const char* name) {
  if (v.size() != expected) {
    throw std::invalid_argument(
        fmt::format("the model's {} has {} values, expected {}", name, v.size(), expected));
  }
}

}  // namespace

NativeLstmModel::NativeLstmModel(const LstmWeights& w)
    : centre_energy_(w.normalization == "fixed"), hidden_(w.hidden), gates_(4 * w.hidden) {
  if (!supports(w.normalization)) {
    throw std::invalid_argument(fmt::format(
        "the native engine runs the fixed and absolute normalisations, not '{}'", w.normalization));
  }
  if (hidden_ == 0) throw std::invalid_argument("the model's LSTM has no hidden units");
  check_size(w.w_ih, gates_ * kInputs, "w_ih");
  check_size(w.w_hh, gates_ * hidden_, "w_hh");
  check_size(w.b_ih, gates_, "b_ih");
  check_size(w.b_hh, gates_, "b_hh");
  check_size(w.w_out, decoder::kClasses * hidden_, "w_out");
  check_size(w.b_out, decoder::kClasses, "b_out");
  check_size(w.feature_mean, kFeatures, "feature_mean");
  check_size(w.feature_std, kFeatures, "feature_std");

  const auto column = [&](std::size_t input, std::vector<float>& into) {
    for (std::size_t g = 0; g < gates_; ++g) into.push_back(w.w_ih[g * kInputs + input]);
  };
  for (std::size_t j = 0; j < kInputs; ++j) {
    mean_.push_back(w.feature_mean[j % kFeatures]);
    std_.push_back(w.feature_std[j % kFeatures]);
    if (centre_energy_ && j % kFeatures == 0) {
      column(j, energy_t_);
    } else {
      projected_.push_back(j);
      column(j, projected_t_);
    }
  }
  recurrent_t_.resize(hidden_ * gates_);
  for (std::size_t g = 0; g < gates_; ++g) {
    for (std::size_t k = 0; k < hidden_; ++k)
      recurrent_t_[k * gates_ + g] = w.w_hh[g * hidden_ + k];
  }
  for (std::size_t g = 0; g < gates_; ++g) bias_.push_back(w.b_ih[g] + w.b_hh[g]);
  w_out_ = w.w_out;
  b_out_ = w.b_out;
  z_.resize(2 * kInputs);
  gate_values_.resize(gates_);
  h_.resize(hidden_);
  c_.resize(hidden_);
}

void NativeLstmModel::encode_epochs(std::span<const float> epochs, std::size_t count,
                                    std::span<float> encodings) {
  const std::size_t size = encoding_size();
  if (epochs.size() != count * kInputs || encodings.size() != count * size) {
    throw std::invalid_argument("NativeLstmModel::encode_epochs: spans do not match the count");
  }
  const std::size_t inputs = projected_.size();
  const auto normalise = [&](std::size_t n, float* z) {
    const float* x = epochs.data() + n * kInputs;
    for (std::size_t k = 0; k < inputs; ++k) {
      const std::size_t j = projected_[k];
      z[k] = (x[j] - mean_[j]) / std_[j];
    }
    float* out = encodings.data() + n * size;
    std::copy(bias_.begin(), bias_.end(), out);
    for (std::size_t f = 0; f < kEnergies; ++f) out[gates_ + f] = x[f * kFeatures];
    return out;
  };
  std::size_t n = 0;
  for (; n + 2 <= count; n += 2) {
    float* a = normalise(n, z_.data());
    float* b = normalise(n + 1, z_.data() + kInputs);
    accumulate_rows_pair(projected_t_.data(), z_.data(), z_.data() + kInputs, inputs, gates_, a, b);
  }
  if (n < count) {
    float* a = normalise(n, z_.data());
    accumulate_rows(projected_t_.data(), z_.data(), inputs, gates_, a);
  }
}

void NativeLstmModel::decode_windows(std::span<const float> encodings, std::size_t batch,
                                     std::span<float> posteriors) {
  const std::size_t size = encoding_size();
  if (encodings.size() != batch * kSteps * size || posteriors.size() != batch * decoder::kClasses) {
    throw std::invalid_argument("NativeLstmModel::decode_windows: spans do not match the batch");
  }
  const std::size_t h = hidden_;
  std::array<float, kEnergies> z{};
  for (std::size_t b = 0; b < batch; ++b) {
    const float* window = encodings.data() + b * kSteps * size;
    float energy_mean = 0;
    if (centre_energy_) {
      float sum = 0;
      for (std::size_t t = 0; t < kSteps; ++t) {
        for (std::size_t f = 0; f < kEnergies; ++f) sum += window[t * size + gates_ + f];
      }
      energy_mean = sum / static_cast<float>(kSteps * kFramesPerEpoch);
    }
    std::fill(h_.begin(), h_.end(), 0.0F);
    std::fill(c_.begin(), c_.end(), 0.0F);
    float* gates = gate_values_.data();
    for (std::size_t t = 0; t < kSteps; ++t) {
      const float* step = window + t * size;
      std::copy_n(step, gates_, gates);
      if (centre_energy_) {
        for (std::size_t f = 0; f < kEnergies; ++f) {
          z[f] = ((step[gates_ + f] - energy_mean) - mean_[0]) / std_[0];
        }
        accumulate_rows(energy_t_.data(), z.data(), kEnergies, gates_, gates);
      }
      accumulate_rows(recurrent_t_.data(), h_.data(), h, gates_, gates);
      sigmoid(gates, 2 * h);                     // input and forget gates
      tanh_of(gates + 2 * h, gates + 2 * h, h);  // cell candidate
      sigmoid(gates + 3 * h, h);                 // output gate
      update_cell(gates, c_.data(), h);
      tanh_of(c_.data(), h_.data(), h);
      for (std::size_t k = 0; k < h; ++k) h_[k] *= gates[3 * h + k];
    }
    std::array<float, decoder::kClasses> logit{};
    for (std::size_t cls = 0; cls < decoder::kClasses; ++cls) {
      float sum = 0;
      for (std::size_t k = 0; k < h; ++k) sum += w_out_[cls * h + k] * h_[k];
      logit[cls] = sum + b_out_[cls];
    }
    const float top = std::max(logit[0], logit[1]);
    const float e0 = std::exp(logit[0] - top);
    const float e1 = std::exp(logit[1] - top);
    posteriors[b * 2] = e0 / (e0 + e1);
    posteriors[b * 2 + 1] = e1 / (e0 + e1);
  }
}

}  // namespace streamdx
