#include "stages/epr/ToeplitzConvolver.hpp"

#include <fftw3.h>

#include <algorithm>
#include <new>
#include <stdexcept>

#include "core/ParallelFor.hpp"
#include "stages/epr/RealFft.hpp"

namespace streamdx {

namespace {

constexpr std::size_t kRowsPerTask = 16;
// Columns handled together: one 64-byte cache line of complex floats per row read.
constexpr std::size_t kColumnBlock = 8;

template <class T>
struct FftwArray {
  T* data = nullptr;
  explicit FftwArray(std::size_t count) : data(static_cast<T*>(fftwf_malloc(sizeof(T) * count))) {
    if (data == nullptr) throw std::bad_alloc();
  }
  FftwArray(const FftwArray&) = delete;
  FftwArray& operator=(const FftwArray&) = delete;
  ~FftwArray() { fftwf_free(data); }
};

fftwf_complex* as_fftw(std::complex<float>* p) {
  return reinterpret_cast<fftwf_complex*>(p);
}

}  // namespace

struct ToeplitzConvolver::Plans {
  fftwf_plan row_forward = nullptr;     // r2c, length 2n
  fftwf_plan row_inverse = nullptr;     // c2r, length 2n
  fftwf_plan column_forward = nullptr;  // c2c, length 2n
  fftwf_plan column_inverse = nullptr;
};

ToeplitzConvolver::ToeplitzConvolver(std::size_t n, std::span<const float> kernel, unsigned threads)
    : n_(n), threads_(std::max(1U, threads)), plans_(std::make_unique<Plans>()) {
  const std::size_t m = 2 * n;
  if (n == 0 || kernel.size() != m * m) {
    throw std::invalid_argument("ToeplitzConvolver: the kernel must hold (2n)^2 values");
  }
  {
    FftwArray<float> real(m);
    FftwArray<std::complex<float>> spec(m);
    FftwArray<std::complex<float>> column(m);
    const std::lock_guard lock(fftw_planner_mutex());
    const int len = static_cast<int>(m);
    plans_->row_forward = fftwf_plan_dft_r2c_1d(len, real.data, as_fftw(spec.data), FFTW_ESTIMATE);
    plans_->row_inverse = fftwf_plan_dft_c2r_1d(len, as_fftw(spec.data), real.data, FFTW_ESTIMATE);
    plans_->column_forward = fftwf_plan_dft_1d(len, as_fftw(column.data), as_fftw(column.data),
                                               FFTW_FORWARD, FFTW_ESTIMATE);
    plans_->column_inverse = fftwf_plan_dft_1d(len, as_fftw(column.data), as_fftw(column.data),
                                               FFTW_BACKWARD, FFTW_ESTIMATE);
    if (plans_->row_forward == nullptr || plans_->row_inverse == nullptr ||
        plans_->column_forward == nullptr || plans_->column_inverse == nullptr) {
      throw std::bad_alloc();
    }
  }
  // The kernel's spectrum: rows, then every column in full, scaled by 1 / (2n)^2.
  const std::size_t bins = n + 1;
  std::vector<std::complex<float>> rows(m * bins);
  parallel_for(m, threads_, [&](std::size_t r) {
    FftwArray<float> real(m);
    FftwArray<std::complex<float>> spec(bins);
    std::copy_n(kernel.data() + r * m, m, real.data);
    fftwf_execute_dft_r2c(plans_->row_forward, real.data, as_fftw(spec.data));
    std::copy_n(spec.data, bins, rows.data() + r * bins);
  });
  kernel_spectrum_.resize(bins * m);
  const float scale = 1.0F / static_cast<float>(m * m);
  parallel_for(bins, threads_, [&](std::size_t c) {
    FftwArray<std::complex<float>> column(m);
    for (std::size_t r = 0; r < m; ++r) column.data[r] = rows[r * bins + c];
    fftwf_execute_dft(plans_->column_forward, as_fftw(column.data), as_fftw(column.data));
    for (std::size_t r = 0; r < m; ++r) kernel_spectrum_[c * m + r] = column.data[r] * scale;
  });
  spectrum_.resize(n * bins);
}

ToeplitzConvolver::~ToeplitzConvolver() {
  const std::lock_guard lock(fftw_planner_mutex());
  fftwf_destroy_plan(plans_->row_forward);
  fftwf_destroy_plan(plans_->row_inverse);
  fftwf_destroy_plan(plans_->column_forward);
  fftwf_destroy_plan(plans_->column_inverse);
}

namespace {

// Runs row(r, real, spec) for r < rows, in fixed tasks of rows, each task with its own aligned
// buffers of 2n reals and n + 1 bins.
template <class Row>
void for_each_row(std::size_t rows, std::size_t n, unsigned threads, Row&& row) {
  const std::size_t tasks = (rows + kRowsPerTask - 1) / kRowsPerTask;
  parallel_for(tasks, threads, [&](std::size_t t) {
    FftwArray<float> real(2 * n);
    FftwArray<std::complex<float>> spec(n + 1);
    std::fill(real.data + n, real.data + 2 * n, 0.0F);  // the zero padding
    for (std::size_t r = t * kRowsPerTask; r < std::min(rows, (t + 1) * kRowsPerTask); ++r) {
      row(r, real.data, spec.data);
    }
  });
}

}  // namespace

void ToeplitzConvolver::rows_forward(std::span<const float> u, std::size_t rows) const {
  const std::size_t bins = n_ + 1;
  for_each_row(rows, n_, threads_, [&](std::size_t r, float* real, std::complex<float>* spec) {
    std::copy_n(u.data() + r * n_, n_, real);
    fftwf_execute_dft_r2c(plans_->row_forward, real, as_fftw(spec));
    std::copy_n(spec, bins, spectrum_.data() + r * bins);
  });
}

// Each column: the n rows that hold data (the padded rows are zero), forward, times the
// kernel's spectrum, back, and the n rows that are kept.
void ToeplitzConvolver::columns(std::span<const std::complex<float>> multiplier) const {
  const std::size_t m = 2 * n_;
  const std::size_t bins = n_ + 1;
  const std::size_t blocks = (bins + kColumnBlock - 1) / kColumnBlock;
  parallel_for(blocks, threads_, [&](std::size_t b) {
    const std::size_t c0 = b * kColumnBlock;
    const std::size_t width = std::min(kColumnBlock, bins - c0);
    FftwArray<std::complex<float>> cols(kColumnBlock * m);
    for (std::size_t r = 0; r < n_; ++r) {
      const std::complex<float>* row = spectrum_.data() + r * bins + c0;
      for (std::size_t k = 0; k < width; ++k) cols.data[k * m + r] = row[k];
    }
    for (std::size_t k = 0; k < width; ++k) {
      std::complex<float>* col = cols.data + k * m;
      std::fill(col + n_, col + m, std::complex<float>(0));
      fftwf_execute_dft(plans_->column_forward, as_fftw(col), as_fftw(col));
      const std::complex<float>* mult = multiplier.data() + (c0 + k) * m;
      for (std::size_t r = 0; r < m; ++r) col[r] *= mult[r];
      fftwf_execute_dft(plans_->column_inverse, as_fftw(col), as_fftw(col));
    }
    for (std::size_t r = 0; r < n_; ++r) {
      std::complex<float>* row = spectrum_.data() + r * bins + c0;
      for (std::size_t k = 0; k < width; ++k) row[k] = cols.data[k * m + r];
    }
  });
}

void ToeplitzConvolver::rows_inverse(std::span<float> out, std::size_t rows) const {
  const std::size_t bins = n_ + 1;
  for_each_row(rows, n_, threads_, [&](std::size_t r, float* real, std::complex<float>* spec) {
    std::copy_n(spectrum_.data() + r * bins, bins, spec);
    fftwf_execute_dft_c2r(plans_->row_inverse, as_fftw(spec), real);
    std::copy_n(real, n_, out.data() + r * n_);
  });
}

void ToeplitzConvolver::apply(std::span<const float> u, std::span<float> out) const {
  if (u.size() != n_ * n_ || out.size() != n_ * n_) {
    throw std::invalid_argument("ToeplitzConvolver: an image of the wrong size");
  }
  rows_forward(u, n_);
  columns(kernel_spectrum_);
  rows_inverse(out, n_);
}

}  // namespace streamdx
