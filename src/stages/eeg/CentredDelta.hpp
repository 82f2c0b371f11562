#pragma once
// CentredDelta: the regression ("delta") derivative of a sequence of feature rows, streaming.
//
//   d(j) = sum_{k=1..K} k * (x(j+k) - x(j-k)) / (2 * sum_{k=1..K} k^2)
//
// over a window of 2K+1 rows. Rows before the first and after the last are the first and last
// rows repeated (edge replication, numpy's pad mode "edge"), so a sequence of T rows gives T
// outputs. The output for row j is ready once row j+K has arrived: the look-ahead is K rows.
//
// Rows live in a ring of 2K+1 slots and are written in place (next_row(), then push()), so a
// row is never copied on its way in or out; the derivative runs over whole rows, contiguous,
// which the compiler vectorises. The centre row is exposed so that the caller can emit x(j)
// beside d(j), time-aligned.
#include <cstddef>
#include <span>
#include <vector>

namespace streamdx {

class CentredDelta {
 public:
  CentredDelta(std::size_t reach, std::size_t width);

  // Where the next row goes: fill all `width` values, then push().
  [[nodiscard]] std::span<double> next_row() noexcept;
  // Takes the row written into next_row(). True when the row `reach` back is complete:
  // centre() and delta() then describe it (until the next push or drain).
  bool push();
  // After the last push: completes the next pending row, repeating the last row as the future.
  // False when every pushed row has had its output.
  bool drain();

  [[nodiscard]] std::span<const double> centre() const noexcept { return centre_; }
  [[nodiscard]] std::span<const double> delta() const noexcept { return delta_; }
  [[nodiscard]] std::size_t reach() const noexcept { return reach_; }

 private:
  [[nodiscard]] double* slot(std::size_t j) noexcept;  // stored row j (counting replicas)
  void compute();

  std::size_t reach_;
  std::size_t width_;
  double denominator_;
  std::vector<double> ring_;  // (2 reach + 1) slots
  std::size_t stored_ = 0;    // rows stored, counting the replicated ones before row 0
  std::size_t pushed_ = 0;    // real rows pushed
  std::size_t emitted_ = 0;   // outputs completed
  std::span<const double> centre_;
  std::vector<double> delta_;
};

}  // namespace streamdx
