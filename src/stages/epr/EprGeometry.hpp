#pragma once
// The geometry of a 2D or 3D EPR imaging experiment, in the units the instrument uses: field in
// gauss, gradients in G/cm, positions in cm.
//
// Forward model (SPEC "Forward model"): a spin at position x resonates at B0 - mu * s, where
// s = x . g/|g| and mu = |g|, so projection g is p_g(B) = (h * R_theta u)((B0 - B) / mu) / mu in
// field units, with h the zero-gradient reference spectrum centred on B0.
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

namespace streamdx {

// |g|, G/cm. In the plane, the two-argument hypot: the same bits as before 3D came.
inline double gradient_strength(const std::array<double, 3>& g) noexcept {
  return g[2] == 0 ? std::hypot(g[0], g[1]) : std::hypot(g[0], g[1], g[2]);
}

// Measured (or simulated) derivative projections on one evenly spaced field axis.
struct ProjectionSet {
  std::vector<float> field;                      // M values, gauss
  std::vector<float> data;                       // projections x M, derivative signal
  std::vector<std::array<double, 3>> gradients;  // G/cm, one per projection; z is 0 in 2D
  std::filesystem::path source;

  [[nodiscard]] std::size_t projections() const noexcept { return gradients.size(); }
  [[nodiscard]] std::size_t samples() const noexcept { return field.size(); }
  [[nodiscard]] double field_step() const noexcept {
    return (static_cast<double>(field.back()) - field.front()) /
           static_cast<double>(field.size() - 1);
  }
  // 3 when a gradient leaves the xy plane, else 2.
  [[nodiscard]] std::size_t dimensions() const noexcept {
    for (const auto& g : gradients) {
      if (g[2] != 0) return 3;
    }
    return 2;
  }
  // Projection i's azimuth atan2(g_y, g_x), radians, and strength |g|, G/cm.
  [[nodiscard]] double angle(std::size_t i) const noexcept {
    return std::atan2(gradients[i][1], gradients[i][0]);
  }
  // Its polar angle from the z axis, in [0, pi].
  [[nodiscard]] double polar(std::size_t i) const noexcept {
    return std::atan2(std::hypot(gradients[i][0], gradients[i][1]), gradients[i][2]);
  }
  [[nodiscard]] double strength(std::size_t i) const noexcept {
    return gradient_strength(gradients[i]);
  }
  [[nodiscard]] std::vector<double> angles() const {
    std::vector<double> out;
    for (std::size_t i = 0; i < projections(); ++i) out.push_back(angle(i));
    return out;
  }
  [[nodiscard]] std::span<const float> projection(std::size_t i) const {
    return {data.data() + i * samples(), samples()};
  }
};

// The zero-gradient reference spectrum h (first derivative) on its own evenly spaced axis.
struct ReferenceSpectrum {
  std::vector<float> field;
  std::vector<float> h;
  std::filesystem::path source;

  [[nodiscard]] double field_step() const noexcept {
    return (static_cast<double>(field.back()) - field.front()) /
           static_cast<double>(field.size() - 1);
  }
};

// A square image (or cubic volume) grid centred on the origin: n pixels per side, x fastest,
// then y, then z.
struct ImageGrid {
  std::size_t n = 256;
  double fov_cm = 3.0;
  std::size_t dimensions = 2;
  [[nodiscard]] double pixel_cm() const noexcept { return fov_cm / static_cast<double>(n); }
  [[nodiscard]] std::size_t voxels() const noexcept { return dimensions == 3 ? n * n * n : n * n; }
};

// Loads projections from a BES3T file. Gradients come from `fgrad` (text or .npy, one row per
// axis, one column per projection, G/cm) when given, else from the descriptor: GRAD (G/cm) and
// the y axis, which holds each projection's angle in degrees. Throws with a one-line message
// naming the file on a wrong shape, NaNs or an uneven field axis.
ProjectionSet load_projections(const std::filesystem::path& dsc,
                               const std::optional<std::filesystem::path>& fgrad);
ReferenceSpectrum load_reference(const std::filesystem::path& dsc);

// The absorption (integral) of a derivative spectrum sampled every `step` gauss, with the
// straight line through the mean levels of its first and last `edge` fraction removed: the
// integral of noisy derivative data drifts, and the ends of a sweep hold no signal.
std::vector<float> integrate_to_absorption(std::span<const float> derivative, double step,
                                           double edge = 0.05);

// Removes the least-squares straight line from `values` in place. An orthogonal projection, so
// it is its own adjoint.
void remove_straight_line(std::span<float> values);

// B0: where the reference absorption peaks, refined between samples by a parabola.
double reference_centre(const ReferenceSpectrum& ref);

// Refuses a reference whose line centre lies outside the projections' field sweep: one
// recorded in another band (an L-band h for X-band projections) or of another sample.
// `b0` is reference_centre(ref), which the caller needs anyway.
void check_reference_fits(const ProjectionSet& set, const ReferenceSpectrum& ref, double b0);
// Distance between the derivative's maximum and minimum (the peak-to-peak line width), gauss.
double peak_to_peak_width(const ReferenceSpectrum& ref);

// The image field of view the sweep supports: the widest projection (sweep / |g|) must hold the
// image's diagonal plus the line width on both sides, so fov = (sweep - 2 Bpp) / (|g| sqrt d),
// d the set's dimensions.
double supported_fov_cm(const ProjectionSet& set, const ReferenceSpectrum& ref);

// h at field value b, by cubic (Catmull-Rom) interpolation; 0 outside its axis.
double reference_at(const ReferenceSpectrum& ref, double b);

}  // namespace streamdx
