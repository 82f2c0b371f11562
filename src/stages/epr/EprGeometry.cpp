#include "stages/epr/EprGeometry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "io/Bes3tFile.hpp"
#include "io/NpyReader.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

// Values read with the wrong byte order (BSEQ) come out as numbers near 1e±300, or NaN: refused,
// naming the likely cause, before they become an all-zero image.
std::vector<float> checked_floats(const std::vector<double>& v, const std::filesystem::path& file,
                                  std::size_t row_length) {
  constexpr double kImplausible = 1e30;
  std::vector<float> out(v.size());
  double largest = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw_file_error(file, fmt::format("value {} at point {} of row {} is not finite", v[i],
                                         i % row_length, i / row_length));
    }
    if (std::abs(v[i]) > kImplausible) {
      throw_file_error(file, fmt::format("value {} at point {} of row {} is not a plausible "
                                         "reading: is the byte order (BSEQ) right?",
                                         v[i], i % row_length, i / row_length));
    }
    largest = std::max(largest, std::abs(v[i]));
    out[i] = static_cast<float>(v[i]);
  }
  if (largest > 0 && largest < 1.0 / kImplausible) {
    throw_file_error(file, fmt::format("every value is below {:g} in magnitude: is the byte order "
                                       "(BSEQ) right?",
                                       1.0 / kImplausible));
  }
  return out;
}

std::vector<float> field_axis(const EprDataset& d) {
  const auto& x = d.x.values;
  if (x.size() < 16)
    throw_file_error(d.source, fmt::format("{} field points are too few to deconvolve", x.size()));
  const double step = (x.back() - x.front()) / static_cast<double>(x.size() - 1);
  if (!(step > 0)) throw_file_error(d.source, "the field axis does not increase");
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::abs(x[i] - (x.front() + step * static_cast<double>(i))) > 1e-3 * step) {
      throw_file_error(d.source, fmt::format("the field axis is not evenly spaced (point {})", i));
    }
  }
  return {x.begin(), x.end()};
}

// Gradient table: rows = axes (2 or 3), columns = projections. Text: whitespace-separated rows.
std::vector<std::vector<double>> read_gradient_rows(const std::filesystem::path& path) {
  std::vector<std::vector<double>> rows;
  if (path.extension() == ".npy") {
    const NpyArray a = read_npy(path);
    if (a.shape.size() != 2) throw_file_error(path, "expected a 2D array (axes x projections)");
    for (std::size_t r = 0; r < a.shape[0]; ++r) {
      rows.emplace_back(a.values.begin() + static_cast<long>(r * a.shape[1]),
                        a.values.begin() + static_cast<long>((r + 1) * a.shape[1]));
    }
    return rows;
  }
  const std::string text = read_text_file(path);
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::vector<double> row;
    std::size_t p = 0;
    while ((p = line.find_first_not_of(" \t\r,", p)) != std::string::npos) {
      const auto q = line.find_first_of(" \t\r,", p);
      row.push_back(parse_number(line.substr(p, q == std::string::npos ? std::string::npos : q - p),
                                 path.string(), line_no));
      p = q;
    }
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

ProjectionSet load_projections(const std::filesystem::path& dsc,
                               const std::optional<std::filesystem::path>& fgrad) {
  const EprDataset d = read_bes3t(dsc);
  if (d.channels.size() != 1 || !d.channels[0].imag.empty()) {
    throw_file_error(dsc, "projections must be one REAL channel (IKKF REAL)");
  }
  if (d.nz != 1) throw_file_error(dsc, "ZPTS > 1: 3D projection stacks are not supported yet");
  ProjectionSet set;
  set.source = dsc;
  set.field = field_axis(d);
  set.data = checked_floats(d.channels[0].real, dsc, d.nx);
  const std::size_t n = d.ny;
  if (fgrad) {
    const auto rows = read_gradient_rows(*fgrad);
    if (rows.size() < 2 || rows.size() > 3)
      throw_file_error(*fgrad, fmt::format("{} rows; expected 2 or 3 (one per axis)", rows.size()));
    for (const auto& r : rows) {
      if (r.size() != n)
        throw_file_error(*fgrad, fmt::format("{} gradients for {} projections in {}", r.size(), n,
                                             dsc.filename().string()));
    }
    for (std::size_t i = 0; i < n; ++i) {
      // A z component within rounding of nothing is a 2D acquisition written with three rows.
      const bool in_plane =
          rows.size() == 2 ||
          std::abs(rows[2][i]) <= 1e-6 * std::hypot(rows[0][i], rows[1][i], rows[2][i]);
      set.gradients.push_back({rows[0][i], rows[1][i], in_plane ? 0.0 : rows[2][i]});
    }
  } else {
    if (const auto it = d.parameters.find("IMTY"); it != d.parameters.end() && it->second == "3D") {
      throw_file_error(dsc, "IMTY 3D: give the 3D gradient vectors with --fgrad (three rows)");
    }
    const auto grad = d.number("GRAD");
    if (!grad || !(*grad > 0))
      throw_file_error(dsc, "missing key GRAD (G/cm); give the gradients with --fgrad");
    if (d.y.values.size() != n)
      throw_file_error(dsc, "no projection angles (y axis); give the gradients with --fgrad");
    for (const double deg : d.y.values) {
      const double t = deg * std::numbers::pi / 180.0;
      set.gradients.push_back({*grad * std::cos(t), *grad * std::sin(t), 0.0});
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double mu = set.strength(i);
    if (!(mu > 0) || !std::isfinite(mu))
      throw_file_error(dsc, fmt::format("projection {} has no gradient (|g| = {})", i, mu));
  }
  return set;
}

ReferenceSpectrum load_reference(const std::filesystem::path& dsc) {
  const EprDataset d = read_bes3t(dsc);
  if (d.channels.empty() || d.ny != 1 || d.nz != 1)
    throw_file_error(dsc, "the reference must be one 1D spectrum");
  ReferenceSpectrum ref;
  ref.source = dsc;
  ref.field = field_axis(d);
  ref.h = checked_floats(d.channels[0].real, dsc, d.nx);
  return ref;
}

std::vector<float> integrate_to_absorption(std::span<const float> derivative, double step,
                                           double edge) {
  const std::size_t n = derivative.size();
  std::vector<double> a(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += derivative[i] * step;
    a[i] = sum;
  }
  const std::size_t m =
      std::max<std::size_t>(1, static_cast<std::size_t>(edge * static_cast<double>(n)));
  double left = 0;
  double right = 0;
  for (std::size_t i = 0; i < m; ++i) {
    left += a[i];
    right += a[n - 1 - i];
  }
  left /= static_cast<double>(m);
  right /= static_cast<double>(m);
  const double x0 = (static_cast<double>(m) - 1) / 2;
  const double x1 = static_cast<double>(n - 1) - x0;
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double line = left + (right - left) * (static_cast<double>(i) - x0) / (x1 - x0);
    out[i] = static_cast<float>(a[i] - line);
  }
  return out;
}

void remove_straight_line(std::span<float> p) {
  const std::size_t n = p.size();
  const double centre = (static_cast<double>(n) - 1) / 2;
  double mean = 0;
  double slope = 0;
  double spread = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) - centre;
    mean += p[i];
    slope += t * p[i];
    spread += t * t;
  }
  mean /= static_cast<double>(n);
  slope /= spread;
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = static_cast<float>(p[i] - mean - slope * (static_cast<double>(i) - centre));
  }
}

void check_reference_fits(const ProjectionSet& set, const ReferenceSpectrum& ref, double b0) {
  const double lo = set.field.front();
  const double hi = set.field.back();
  if (b0 < lo || b0 > hi) {
    throw std::runtime_error(
        fmt::format("{}: the reference's line centre {:.1f} G lies outside the projections' sweep "
                    "{:.1f}-{:.1f} G ({}): a reference from another band or another sample?",
                    ref.source.string(), b0, lo, hi, set.source.filename().string()));
  }
}

double reference_centre(const ReferenceSpectrum& ref) {
  const double step = ref.field_step();
  const auto a = integrate_to_absorption(ref.h, step);
  const auto peak = static_cast<std::size_t>(std::max_element(a.begin(), a.end()) - a.begin());
  double offset = 0;
  if (peak > 0 && peak + 1 < a.size()) {
    const double l = a[peak - 1];
    const double c = a[peak];
    const double r = a[peak + 1];
    const double denom = l - 2 * c + r;
    if (denom < 0) offset = 0.5 * (l - r) / denom;
  }
  return ref.field.front() + step * (static_cast<double>(peak) + offset);
}

double peak_to_peak_width(const ReferenceSpectrum& ref) {
  const auto [lo, hi] = std::minmax_element(ref.h.begin(), ref.h.end());
  return std::abs(static_cast<double>(ref.field[static_cast<std::size_t>(hi - ref.h.begin())]) -
                  ref.field[static_cast<std::size_t>(lo - ref.h.begin())]);
}

double supported_fov_cm(const ProjectionSet& set, const ReferenceSpectrum& ref) {
  double mu = 0;
  for (std::size_t k = 0; k < set.projections(); ++k) mu = std::max(mu, set.strength(k));
  const double sweep = static_cast<double>(set.field.back()) - set.field.front();
  const double diagonal = set.dimensions() == 3 ? std::sqrt(3.0) : std::numbers::sqrt2;
  return (sweep - 2 * peak_to_peak_width(ref)) / (mu * diagonal);
}

double reference_at(const ReferenceSpectrum& ref, double b) {
  const std::size_t n = ref.h.size();
  const double t = (b - ref.field.front()) / ref.field_step();
  if (t < 0 || t > static_cast<double>(n - 1)) return 0.0;
  const auto i = std::min(static_cast<std::size_t>(t), n - 2);
  const double f = t - static_cast<double>(i);
  auto at = [&](long k) {
    return static_cast<double>(
        ref.h[static_cast<std::size_t>(std::clamp<long>(k, 0, static_cast<long>(n - 1)))]);
  };
  const auto k = static_cast<long>(i);
  const double p0 = at(k - 1), p1 = at(k), p2 = at(k + 1), p3 = at(k + 2);
  return p1 +
         0.5 * f * (p2 - p0 + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0)));
}

}  // namespace streamdx
