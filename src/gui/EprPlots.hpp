#pragma once
// EPR output figures, drawn off-screen (no display needed). Free of Qt types.
#include <spdlog/spdlog.h>
#include <exception>
#include <span>
#include <string>
#include <vector>

namespace streamdx {

// The image (row 0 at the bottom, y up) with a colour bar and millimetre axes. Non-negative
// values use a dark-to-bright ramp; negative values, which only the Fourier baseline produces,
// show in blue so its negative mass is visible. Throws std::runtime_error naming the file.
// `axes`: the names of the horizontal and vertical axes (a volume's slices: "xz", "yz").
void write_epr_image_png(const std::string& path, std::span<const float> image, std::size_t n,
                         double fov_mm, const std::string& title, const std::string& axes = "xy");

// Residual figure: the data residual per projection in noise sigmas (1 is the noise floor) and,
// when given, the TV solver's residual / target per iteration.
void write_epr_residual_png(const std::string& path, const std::vector<double>& per_projection,
                            const std::vector<double>& per_iteration, const std::string& title);

// A PNG is a convenience: a build without Qt still writes the data and says what it skipped.
template <class Draw>
void draw_png_or_warn(Draw&& draw) {
  try {
    draw();
  } catch (const std::exception& e) {
    spdlog::warn("{}", e.what());
  }
}

}  // namespace streamdx
