#include "stages/epr/ImageQuality.hpp"

#include <array>

namespace streamdx {

namespace {

constexpr int kRadius = 5;

// A separable Gaussian blur (sigma 1.5, 11 taps), renormalised where the window leaves the image.
std::vector<double> blur(const std::vector<double>& v, std::size_t n) {
  std::array<double, 2 * kRadius + 1> w{};
  for (std::size_t t = 0; t < w.size(); ++t) {
    const double k = static_cast<double>(t) - kRadius;
    w[t] = std::exp(-k * k / 4.5);  // sigma 1.5
  }
  auto pass = [&](const std::vector<double>& in, bool along_x) {
    std::vector<double> out(in.size());
    const auto size = static_cast<long>(n);
    for (long j = 0; j < size; ++j) {
      for (long i = 0; i < size; ++i) {
        double s = 0;
        double weight = 0;
        for (long k = -kRadius; k <= kRadius; ++k) {
          const long x = along_x ? i + k : i;
          const long y = along_x ? j : j + k;
          if (x < 0 || y < 0 || x >= size || y >= size) continue;
          const double wk = w[static_cast<std::size_t>(k + kRadius)];
          s += wk * in[static_cast<std::size_t>(y * size + x)];
          weight += wk;
        }
        out[static_cast<std::size_t>(j * size + i)] = s / weight;
      }
    }
    return out;
  };
  return pass(pass(v, true), false);
}

}  // namespace

double ssim(std::span<const float> image, std::span<const float> truth, std::size_t n) {
  const std::size_t pixels = n * n;
  std::vector<double> x(pixels), y(pixels), xx(pixels), yy(pixels), xy(pixels);
  double lo = truth.empty() ? 0 : truth[0];
  double hi = lo;
  for (std::size_t p = 0; p < pixels; ++p) {
    x[p] = image[p];
    y[p] = truth[p];
    xx[p] = x[p] * x[p];
    yy[p] = y[p] * y[p];
    xy[p] = x[p] * y[p];
    lo = std::min(lo, y[p]);
    hi = std::max(hi, y[p]);
  }
  const double range = hi > lo ? hi - lo : 1.0;
  const double c1 = (0.01 * range) * (0.01 * range);
  const double c2 = (0.03 * range) * (0.03 * range);
  const auto mx = blur(x, n), my = blur(y, n), mxx = blur(xx, n), myy = blur(yy, n),
             mxy = blur(xy, n);
  double sum = 0;
  for (std::size_t p = 0; p < pixels; ++p) {
    const double vx = mxx[p] - mx[p] * mx[p];
    const double vy = myy[p] - my[p] * my[p];
    const double cxy = mxy[p] - mx[p] * my[p];
    sum += ((2 * mx[p] * my[p] + c1) * (2 * cxy + c2)) /
           ((mx[p] * mx[p] + my[p] * my[p] + c1) * (vx + vy + c2));
  }
  return pixels > 0 ? sum / static_cast<double>(pixels) : 0.0;
}

}  // namespace streamdx
