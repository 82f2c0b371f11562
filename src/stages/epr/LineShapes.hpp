#pragma once
// Analytic EPR line shapes as field modulation detects them (the simulator's choice besides the
// measured h). The absorption is Lorentzian, Gaussian or their Voigt convolution; modulation of
// peak-to-peak amplitude Bm turns it into the first harmonic, whose Fourier transform is
//     F(xi) * 2i J1(2 pi xi Am) / Am,   Am = Bm / 2,
// which tends to the first derivative F(xi) * 2 pi i xi as Bm -> 0 and broadens it
// (overmodulation) as Bm grows past the line width. Computed in the Fourier domain, where all
// three shapes are closed-form, on a grid four times the sweep so nothing wraps.
#include <string>
#include <string_view>
#include <vector>

namespace streamdx {

struct LineShape {
  enum class Kind { Lorentzian, Gaussian, Voigt };
  Kind kind = Kind::Lorentzian;
  double lorentz_fwhm = 1.0;  // gauss (Lorentzian and Voigt)
  double gauss_fwhm = 1.0;    // gauss (Gaussian and Voigt)
  double modulation = 0.0;    // peak-to-peak modulation amplitude, gauss; 0: pure derivative
};

// "lorentzian", "gaussian", "voigt"; throws std::invalid_argument otherwise.
LineShape::Kind line_shape_kind(std::string_view name);

// The detected spectrum at field offsets (l - centre) * step, l = 0 .. n - 1, normalised so the
// absorption has unit area.
std::vector<float> detected_line(const LineShape& shape, std::size_t n, double step, double centre);

}  // namespace streamdx
