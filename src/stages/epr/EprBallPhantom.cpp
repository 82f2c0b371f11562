#include "stages/epr/EprBallPhantom.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace streamdx {

std::vector<Ball> make_balls(double fov_cm) {
  const double r = fov_cm / 2;  // the inscribed sphere
  return {{0.0, 0.0, 0.0, 0.55 * r, 1.0},
          {0.25 * r, 0.15 * r, 0.1 * r, 0.2 * r, 1.0},
          {-0.3 * r, -0.2 * r, 0.15 * r, 0.15 * r, -0.5},
          {0.05 * r, -0.35 * r, -0.3 * r, 0.12 * r, 1.5},
          {-0.1 * r, 0.3 * r, -0.25 * r, 0.08 * r, 2.0}};
}

std::vector<float> rasterise(const std::vector<Ball>& balls, const ImageGrid& grid,
                             int supersample) {
  const std::size_t n = grid.n;
  const double pixel = grid.pixel_cm();
  const double c = (static_cast<double>(n) - 1) / 2;
  std::vector<float> out(n * n * n);
  const double sub = pixel / supersample;
  const double first = -pixel / 2 + sub / 2;
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t i = 0; i < n; ++i) {
        double sum = 0;
        for (int a = 0; a < supersample; ++a) {
          for (int b = 0; b < supersample; ++b) {
            for (int d = 0; d < supersample; ++d) {
              const double x = (static_cast<double>(i) - c) * pixel + first + sub * a;
              const double y = (static_cast<double>(j) - c) * pixel + first + sub * b;
              const double z = (static_cast<double>(k) - c) * pixel + first + sub * d;
              for (const Ball& ball : balls) {
                const double dx = x - ball.cx, dy = y - ball.cy, dz = z - ball.cz;
                if (dx * dx + dy * dy + dz * dz <= ball.r * ball.r) sum += ball.value;
              }
            }
          }
        }
        out[(k * n + j) * n + i] =
            static_cast<float>(sum / (supersample * supersample * supersample));
      }
    }
  }
  return out;
}

double plane_integral(const std::vector<Ball>& balls, const std::array<double, 3>& n, double s0,
                      double s1) {
  double total = 0;
  for (const Ball& b : balls) {
    const double centre = b.cx * n[0] + b.cy * n[1] + b.cz * n[2];
    // The antiderivative of pi (r^2 - u^2) over u in [-r, r].
    auto area = [&](double u) {
      u = std::clamp(u, -b.r, b.r);
      return std::numbers::pi * (b.r * b.r * u - u * u * u / 3);
    };
    total += b.value * (area(s1 - centre) - area(s0 - centre));
  }
  return total;
}

}  // namespace streamdx
