#pragma once
// EprDataset: one EPR measurement as the readers (BES3T, ESP/WinEPR) return it and the writer
// takes it. Values stay float64 as stored, so a reader can be checked bit for bit against another
// tool; the reconstruction converts to float32 itself.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace streamdx {

struct EprAxis {
  std::string name;
  std::string unit;
  std::vector<double> values;  // one per point; empty for an axis that is not there (NODATA)
};

struct EprChannel {
  std::vector<double> real;
  std::vector<double> imag;  // empty for REAL data
};

struct EprDataset {
  std::filesystem::path source;
  std::size_t nx = 1, ny = 1, nz = 1;
  EprAxis x, y, z;
  std::vector<EprChannel> channels;  // each nx * ny * nz values, x fastest
  // Every "KEY value" line of the descriptor or parameter file, as written (quotes removed).
  std::map<std::string, std::string> parameters;

  [[nodiscard]] std::size_t points() const noexcept { return nx * ny * nz; }
  // The parameter as a number when present and numeric.
  [[nodiscard]] std::optional<double> number(const std::string& key) const;
};

// Evenly spaced axis values: first + width * i / (n - 1).
std::vector<double> linear_axis(double first, double width, std::size_t n);

}  // namespace streamdx
