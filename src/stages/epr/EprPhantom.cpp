#include "stages/epr/EprPhantom.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace streamdx {

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

}  // namespace

Phantom make_phantom(std::string_view name, double fov_cm) {
  Phantom p;
  p.name = std::string(name);
  const double h = fov_cm;  // shapes below are in fractions of the field of view
  if (name == "disks") {
    p.ellipses = {{-0.18 * h, 0.10 * h, 0.14 * h, 0.14 * h, 0, 1.0},
                  {0.20 * h, 0.15 * h, 0.09 * h, 0.09 * h, 0, 0.7},
                  {0.05 * h, -0.22 * h, 0.06 * h, 0.06 * h, 0, 1.0},
                  {0.22 * h, -0.12 * h, 0.035 * h, 0.035 * h, 0, 0.5}};
  } else if (name == "ellipses") {
    p.ellipses = {{0.0, 0.0, 0.36 * h, 0.22 * h, 20 * kDeg, 0.6},
                  {-0.12 * h, 0.04 * h, 0.10 * h, 0.05 * h, -30 * kDeg, 0.4},
                  {0.15 * h, -0.05 * h, 0.06 * h, 0.12 * h, 10 * kDeg, 0.8}};
  } else if (name == "shepp-logan") {
    // Toft's modified Shepp-Logan: a, b, x0, y0 in units of the head's radius, angle, value.
    static constexpr std::array<std::array<double, 6>, 10> kTable = {{
        {0.69, 0.92, 0, 0, 0, 1.0},
        {0.6624, 0.8740, 0, -0.0184, 0, -0.8},
        {0.11, 0.31, 0.22, 0, -18, -0.2},
        {0.16, 0.41, -0.22, 0, 18, -0.2},
        {0.21, 0.25, 0, 0.35, 0, 0.1},
        {0.046, 0.046, 0, 0.1, 0, 0.1},
        {0.046, 0.046, 0, -0.1, 0, 0.1},
        {0.046, 0.023, -0.08, -0.605, 0, 0.1},
        {0.023, 0.023, 0, -0.606, 0, 0.1},
        {0.023, 0.046, 0.06, -0.605, 0, 0.1},
    }};
    const double r = 0.45 * h;
    for (const auto& e : kTable)
      p.ellipses.push_back({e[2] * r, e[3] * r, e[0] * r, e[1] * r, e[4] * kDeg, e[5]});
  } else {
    throw std::invalid_argument("phantom '" + std::string(name) +
                                "' is not disks, ellipses or shepp-logan");
  }
  return p;
}

std::vector<float> rasterise(const Phantom& phantom, const ImageGrid& grid, int supersample) {
  const std::size_t n = grid.n;
  const double pixel = grid.pixel_cm();
  const double c = (static_cast<double>(n) - 1) / 2;
  std::vector<float> out(n * n, 0.0F);
  const double sub = 1.0 / supersample;
  // Each ellipse's rotation, once: the loop below visits it n^2 * supersample^2 times.
  std::vector<std::array<double, 2>> rotation;
  for (const Ellipse& e : phantom.ellipses)
    rotation.push_back({std::cos(e.angle), std::sin(e.angle)});
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0;
      for (int sj = 0; sj < supersample; ++sj) {
        for (int si = 0; si < supersample; ++si) {
          const double x = (static_cast<double>(i) - c - 0.5 + (si + 0.5) * sub) * pixel;
          const double y = (static_cast<double>(j) - c - 0.5 + (sj + 0.5) * sub) * pixel;
          for (std::size_t k = 0; k < phantom.ellipses.size(); ++k) {
            const Ellipse& e = phantom.ellipses[k];
            const auto [cs, sn] = rotation[k];
            const double dx = x - e.cx;
            const double dy = y - e.cy;
            const double u = (dx * cs + dy * sn) / e.a;
            const double v = (-dx * sn + dy * cs) / e.b;
            if (u * u + v * v <= 1.0) sum += e.value;
          }
        }
      }
      out[j * n + i] = static_cast<float>(sum * sub * sub);
    }
  }
  return out;
}

double projection_integral(const Phantom& phantom, double theta, double s0, double s1) {
  double total = 0;
  for (const Ellipse& e : phantom.ellipses) {
    const double alpha = theta - e.angle;
    const double half = std::sqrt(e.a * e.a * std::cos(alpha) * std::cos(alpha) +
                                  e.b * e.b * std::sin(alpha) * std::sin(alpha));
    const double sc = e.cx * std::cos(theta) + e.cy * std::sin(theta);
    // Chord length 2ab/half^2 sqrt(half^2 - x^2); its antiderivative, x clamped to [-half, half].
    auto antiderivative = [&](double s) {
      const double x = std::clamp(s - sc, -half, half);
      return 0.5 * (x * std::sqrt(std::max(0.0, half * half - x * x)) +
                    half * half * std::asin(x / half));
    };
    total += e.value * 2 * e.a * e.b / (half * half) * (antiderivative(s1) - antiderivative(s0));
  }
  return total;
}

}  // namespace streamdx
