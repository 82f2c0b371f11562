#include "stages/epr/LineShapes.hpp"

#include <cmath>
#include <complex>
#include <numbers>
#include <stdexcept>

#include "stages/epr/RealFft.hpp"

namespace streamdx {

LineShape::Kind line_shape_kind(std::string_view name) {
  if (name == "lorentzian") return LineShape::Kind::Lorentzian;
  if (name == "gaussian") return LineShape::Kind::Gaussian;
  if (name == "voigt") return LineShape::Kind::Voigt;
  throw std::invalid_argument("line shape '" + std::string(name) +
                              "' is not lorentzian, gaussian or voigt");
}

std::vector<float> detected_line(const LineShape& shape, std::size_t n, double step,
                                 double centre) {
  constexpr double pi = std::numbers::pi;
  const RealFft fft(RealFft::good_size(4 * n));
  const std::size_t len = fft.size();
  auto work = fft.buffers();
  const double whole = std::floor(centre);
  const double frac = (centre - whole) * step;  // the sub-sample part of the shift, gauss
  const double gamma = shape.lorentz_fwhm / 2;  // half width at half maximum
  const double sigma = shape.gauss_fwhm / (2 * std::sqrt(2 * std::numbers::ln2));
  const bool lorentz = shape.kind != LineShape::Kind::Gaussian;
  const bool gauss = shape.kind != LineShape::Kind::Lorentzian;
  const double am = shape.modulation / 2;
  const double dxi = 1.0 / (static_cast<double>(len) * step);
  for (std::size_t j = 0; j < fft.bins(); ++j) {
    const double xi = static_cast<double>(j) * dxi;
    double f = 1.0;
    if (lorentz) f *= std::exp(-2 * pi * gamma * xi);
    if (gauss) f *= std::exp(-2 * pi * pi * sigma * sigma * xi * xi);
    const double detect = am > 0 ? 2 * std::cyl_bessel_j(1.0, 2 * pi * xi * am) / am : 2 * pi * xi;
    // i * detect, shifted by frac: exp(-2 pi i xi frac).
    const std::complex<double> v =
        std::complex<double>(0, detect) * f * std::polar(1.0, -2 * pi * xi * frac) * dxi;
    // The Nyquist bin of an even length must be real for c2r; its value is negligible anyway.
    work.spec[j] = (len % 2 == 0 && j == len / 2) ? std::complex<float>(0) : std::complex<float>(v);
  }
  fft.inverse(work);
  std::vector<float> out(n);
  const auto w = static_cast<long>(whole);
  for (std::size_t l = 0; l < n; ++l) {
    const long m = static_cast<long>(l) - w;
    out[l] = work.real[static_cast<std::size_t>(
        (m % static_cast<long>(len) + static_cast<long>(len)) % static_cast<long>(len))];
  }
  return out;
}

}  // namespace streamdx
