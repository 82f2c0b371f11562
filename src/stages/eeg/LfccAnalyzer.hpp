#pragma once
// LfccAnalyzer: the per-window part of the LFCC features, for every channel of a frame at once.
// Given one 0.2 s window per channel it computes the 8 absolute features: the time-domain energy
// term (in place of c0) and cepstra c1..c7 of a linear triangular filter bank
// (docs/FEATURES.md; the numbers are in LfccParameters.hpp).
//
// Layout, for SIMD: the FFT runs over all channels in one FFTW call (one plan, made once), and
// everything after it is stored [quantity][channel], so the inner loops run over channels with
// unit stride and the compiler vectorises them. Each channel's arithmetic happens in a fixed
// order whatever the vector width, so results do not depend on the channel count or the CPU's
// SIMD level. Arithmetic is in double; callers round the final features to float32.
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace streamdx {

class LfccAnalyzer {
 public:
  explicit LfccAnalyzer(std::size_t channels);
  ~LfccAnalyzer();
  LfccAnalyzer(LfccAnalyzer&&) noexcept;
  LfccAnalyzer& operator=(LfccAnalyzer&&) noexcept;
  LfccAnalyzer(const LfccAnalyzer&) = delete;
  LfccAnalyzer& operator=(const LfccAnalyzer&) = delete;

  [[nodiscard]] std::size_t channels() const noexcept { return channels_; }

  // Channel c's window for the next analyze(): fill all lfcc::kWindowSamples values.
  [[nodiscard]] std::span<double> window(std::size_t c) noexcept;

  // Computes the absolute features of the windows filled since the last call into
  // `absolute` (channels x lfcc::kAbsolute, channel-major: energy, c1..c7).
  void analyze(std::span<double> absolute);

 private:
  struct Fft;  // the FFTW plan and its aligned buffers
  std::size_t channels_ = 0;
  std::unique_ptr<Fft> fft_;
  // Filter m's bins [first_bin_[m], first_bin_[m] + weights_[m].size()) and their weights, with
  // the window's power normalisation folded in.
  std::vector<std::size_t> first_bin_;
  std::vector<std::vector<double>> weights_;
  std::vector<double> dct_;  // kCepstra x kFilters
  std::vector<double> hamming_;
  std::vector<double> twiddle_re_;  // e^{-2 pi i k / 64}, k < 32
  std::vector<double> twiddle_im_;
  // Scratch, [quantity][channel].
  std::vector<double> power_;   // bins x channels
  std::vector<double> bands_;   // filters x channels (log energies after the log)
  std::vector<double> ceps_;    // cepstra x channels
  std::vector<double> energy_;  // channels
};

}  // namespace streamdx
