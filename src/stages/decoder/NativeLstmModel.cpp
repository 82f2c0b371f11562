#include "stages/decoder/NativeLstmModel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
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

STREAMDX_WIDE_SIMD_CLONES
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

STREAMDX_WIDE_SIMD_CLONES
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

// The same for four vectors (z + q * z_stride into acc + q * acc_stride): a 4 x 16 register tile,
// each weight load feeding four vectors, the shape of a GEMM micro-kernel. Batches of channels
// and windows go through here four at a time; every lane still sees accumulate_rows' order.
constexpr std::size_t kQuad = 4;
constexpr std::size_t kQuadTile = 16;
using Lanes = float __attribute__((vector_size(kQuadTile * sizeof(float))));
// Unaligned loads and stores are memcpy (inlined: a vector move). Helper functions would pass
// vectors by value, whose ABI differs between the clones.

STREAMDX_WIDE_SIMD_CLONES
void accumulate_rows_quad(const float* __restrict rows, const float* __restrict z,
                          std::size_t z_stride, std::size_t count, std::size_t width,
                          float* __restrict acc, std::size_t acc_stride) {
  float* __restrict a0 = acc;
  float* __restrict a1 = acc + acc_stride;
  float* __restrict a2 = acc + 2 * acc_stride;
  float* __restrict a3 = acc + 3 * acc_stride;
  const float* z0 = z;
  const float* z1 = z + z_stride;
  const float* z2 = z + 2 * z_stride;
  const float* z3 = z + 3 * z_stride;
  std::size_t g0 = 0;
  for (; g0 + kQuadTile <= width; g0 += kQuadTile) {
    // Explicit 16-lane vectors: GCC does not vectorise this loop nest on its own. Each is one
    // AVX-512 register, two AVX2 ones or four SSE ones; the lanes' arithmetic is the same.
    Lanes t0;
    Lanes t1;
    Lanes t2;
    Lanes t3;
    std::memcpy(&t0, a0 + g0, sizeof(Lanes));
    std::memcpy(&t1, a1 + g0, sizeof(Lanes));
    std::memcpy(&t2, a2 + g0, sizeof(Lanes));
    std::memcpy(&t3, a3 + g0, sizeof(Lanes));
    for (std::size_t j = 0; j < count; ++j) {
      Lanes w;
      std::memcpy(&w, rows + j * width + g0, sizeof(Lanes));
      t0 += z0[j] * w;
      t1 += z1[j] * w;
      t2 += z2[j] * w;
      t3 += z3[j] * w;
    }
    std::memcpy(a0 + g0, &t0, sizeof(Lanes));
    std::memcpy(a1 + g0, &t1, sizeof(Lanes));
    std::memcpy(a2 + g0, &t2, sizeof(Lanes));
    std::memcpy(a3 + g0, &t3, sizeof(Lanes));
  }
  for (std::size_t j = 0; j < count && g0 < width; ++j) {
    const float* w = rows + j * width;
    for (std::size_t g = g0; g < width; ++g) {
      a0[g] += z0[j] * w[g];
      a1[g] += z1[j] * w[g];
      a2[g] += z2[j] * w[g];
      a3[g] += z3[j] * w[g];
    }
  }
}

// How many vectors the next call takes at once: 4, 2 or 1.
std::size_t block_of(std::size_t remaining) {
  return remaining >= kQuad ? kQuad : remaining >= 2 ? 2 : 1;
}

// accumulate_rows for n (1, 2 or 4) vectors, z and acc strided.
void accumulate_rows_n(const float* rows, const float* z, std::size_t z_stride, std::size_t count,
                       std::size_t width, float* acc, std::size_t acc_stride, std::size_t n) {
  if (n == kQuad) {
    accumulate_rows_quad(rows, z, z_stride, count, width, acc, acc_stride);
  } else if (n == 2) {
    accumulate_rows_pair(rows, z, z + z_stride, count, width, acc, acc + acc_stride);
  } else {
    accumulate_rows(rows, z, count, width, acc);
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

inline float sigmoid_of(float x) {
  return 1.0F / (1.0F + exp_clamped(-x));
}
inline float tanh_of(float x) {
  return 1.0F - 2.0F / (exp_clamped(2.0F * x) + 1.0F);
}

// z = (x - mean) / std, input by input. Divisions, not reciprocal multiplies, to stay TorchScript's
// arithmetic; the wide clones divide 16 lanes at a time (about a seventh of the encoder's time
// went here with the baseline's 4).
STREAMDX_WIDE_SIMD_CLONES
void normalise_inputs(const float* __restrict x, const float* __restrict mean,
                      const float* __restrict std, float* __restrict z, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) z[j] = (x[j] - mean[j]) / std[j];
}

// One LSTM step of one window from its gate pre-activations [i | f | g | o]: the cell and the
// hidden state, in one vectorised pass.
STREAMDX_WIDE_SIMD_CLONES
void lstm_step(const float* __restrict gates, float* __restrict c, float* __restrict h,
               std::size_t hidden) {
  for (std::size_t k = 0; k < hidden; ++k) {
    const float i = sigmoid_of(gates[k]);
    const float f = sigmoid_of(gates[hidden + k]);
    const float g = tanh_of(gates[2 * hidden + k]);
    const float o = sigmoid_of(gates[3 * hidden + k]);
    c[k] = f * c[k] + i * g;
    h[k] = tanh_of(c[k]) * o;
  }
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
        "the native engine runs the fixed, absolute and background normalisations, not '{}'",
        w.normalization));
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
  // "fixed": an energy input's z is e / std - (m + mean) / std, m its window's mean. The first
  // term is projected with the other inputs; the second, one number per window, is added
  // through the energy columns' sum when decoding.
  energy_sum_.assign(gates_, 0.0F);
  for (std::size_t j = 0; j < kInputs; ++j) {
    const bool energy = centre_energy_ && j % kFeatures == 0;
    mean_.push_back(energy ? 0.0F : w.feature_mean[j % kFeatures]);
    std_.push_back(w.feature_std[j % kFeatures]);
    column(j, projected_t_);
    for (std::size_t g = 0; g < gates_ && energy; ++g) energy_sum_[g] += w.w_ih[g * kInputs + j];
  }
  energy_mean_ = w.feature_mean[0];
  energy_std_ = w.feature_std[0];
  recurrent_t_.resize(hidden_ * gates_);
  for (std::size_t g = 0; g < gates_; ++g) {
    for (std::size_t k = 0; k < hidden_; ++k)
      recurrent_t_[k * gates_ + g] = w.w_hh[g * hidden_ + k];
  }
  for (std::size_t g = 0; g < gates_; ++g) bias_.push_back(w.b_ih[g] + w.b_hh[g]);
  w_out_ = w.w_out;
  b_out_ = w.b_out;
  z_.resize(kQuad * kInputs);
  gate_values_.resize(kQuad * gates_);
  h_.resize(kQuad * hidden_);
  c_.resize(kQuad * hidden_);
}

void NativeLstmModel::encode_epochs(std::span<const float> epochs, std::size_t count,
                                    std::span<float> encodings) {
  const std::size_t size = encoding_size();
  if (epochs.size() != count * kInputs || encodings.size() != count * size) {
    throw std::invalid_argument("NativeLstmModel::encode_epochs: spans do not match the count");
  }
  const auto normalise = [&](std::size_t n, float* z) {
    const float* x = epochs.data() + n * kInputs;
    normalise_inputs(x, mean_.data(), std_.data(), z, kInputs);
    float* out = encodings.data() + n * size;
    std::copy(bias_.begin(), bias_.end(), out);
    for (std::size_t f = 0; f < kEnergies; ++f) out[gates_ + f] = x[f * kFeatures];
    return out;
  };
  for (std::size_t n = 0; n < count;) {
    const std::size_t block = block_of(count - n);
    float* acc = nullptr;
    for (std::size_t q = 0; q < block; ++q) {
      float* out = normalise(n + q, z_.data() + q * kInputs);
      if (q == 0) acc = out;
    }
    accumulate_rows_n(projected_t_.data(), z_.data(), kInputs, kInputs, gates_, acc, size, block);
    n += block;
  }
}

void NativeLstmModel::decode_windows(std::span<const float> encodings, std::size_t batch,
                                     std::span<float> posteriors) {
  const std::size_t size = encoding_size();
  if (encodings.size() != batch * kSteps * size) {
    throw std::invalid_argument("NativeLstmModel::decode_windows: spans do not match the batch");
  }
  StepPointers steps{};
  for (std::size_t t = 0; t < kSteps; ++t) steps[t] = encodings.data() + t * size;
  decode_steps(steps, kSteps * size, batch, posteriors);
}

void NativeLstmModel::decode_steps(const StepPointers& steps, std::size_t window_stride,
                                   std::size_t batch, std::span<float> posteriors) {
  if (posteriors.size() != batch * decoder::kClasses) {
    throw std::invalid_argument("NativeLstmModel::decode_steps: posteriors do not match the batch");
  }
  for (std::size_t b = 0; b < batch;) {
    const std::size_t block = block_of(batch - b);
    decode_block(steps, window_stride, b, block, posteriors.data() + b * 2);
    b += block;
  }
}

// n windows (1, 2 or 4) in lockstep: the recurrence is a chain of dependent steps, so stepping
// several windows together is what keeps the arithmetic units busy.
void NativeLstmModel::decode_block(const StepPointers& steps, std::size_t window_stride,
                                   std::size_t first, std::size_t n, float* posteriors) {
  const std::size_t h = hidden_;
  // Window first + q's encoding at step t.
  const auto step_of = [&](std::size_t q, std::size_t t) {
    return steps[t] + (first + q) * window_stride;
  };
  std::array<float, kQuad> energy_shift{};  // (m + mean) / std, m the window's mean energy
  for (std::size_t q = 0; q < n && centre_energy_; ++q) {
    float sum = 0;
    for (std::size_t t = 0; t < kSteps; ++t) {
      for (std::size_t f = 0; f < kEnergies; ++f) sum += step_of(q, t)[gates_ + f];
    }
    const float m = sum / static_cast<float>(kSteps * kFramesPerEpoch);
    energy_shift[q] = (m + energy_mean_) / energy_std_;
  }
  std::fill(h_.begin(), h_.end(), 0.0F);
  std::fill(c_.begin(), c_.end(), 0.0F);
  for (std::size_t t = 0; t < kSteps; ++t) {
    for (std::size_t q = 0; q < n; ++q) {
      const float* step = step_of(q, t);
      float* gates = gate_values_.data() + q * gates_;
      const float shift = energy_shift[q];
      for (std::size_t g = 0; g < gates_; ++g) gates[g] = step[g] - shift * energy_sum_[g];
    }
    // The state starts at zero, so the first step has no recurrent term.
    if (t > 0) {
      accumulate_rows_n(recurrent_t_.data(), h_.data(), h, h, gates_, gate_values_.data(), gates_,
                        n);
    }
    for (std::size_t q = 0; q < n; ++q) {
      lstm_step(gate_values_.data() + q * gates_, c_.data() + q * h, h_.data() + q * h, h);
    }
  }
  for (std::size_t q = 0; q < n; ++q) {
    const float* hq = h_.data() + q * h;
    std::array<float, decoder::kClasses> logit{};
    for (std::size_t cls = 0; cls < decoder::kClasses; ++cls) {
      float sum = 0;
      for (std::size_t k = 0; k < h; ++k) sum += w_out_[cls * h + k] * hq[k];
      logit[cls] = sum + b_out_[cls];
    }
    const float top = std::max(logit[0], logit[1]);
    const float e0 = std::exp(logit[0] - top);
    const float e1 = std::exp(logit[1] - top);
    posteriors[q * 2] = e0 / (e0 + e1);
    posteriors[q * 2 + 1] = e1 / (e0 + e1);
  }
}

}  // namespace streamdx
