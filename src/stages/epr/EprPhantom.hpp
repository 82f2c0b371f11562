#pragma once
// Test objects for the simulator: sums of uniform ellipses, whose Radon transform is
// closed-form, so simulated projections carry no discretisation error of their own.
#include <string>
#include <string_view>
#include <vector>

#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

struct Ellipse {
  double cx = 0, cy = 0;  // centre, cm
  double a = 1, b = 1;    // semi-axes, cm (a along the ellipse's own x axis)
  double angle = 0;       // radians, counter-clockwise
  double value = 1;       // added density inside
};

struct Phantom {
  std::string name;
  std::vector<Ellipse> ellipses;
};

// "disks", "ellipses" or "shepp-logan" (Toft's modified Shepp-Logan head), scaled to lie inside
// the field of view's inscribed circle. Throws std::invalid_argument for another name.
Phantom make_phantom(std::string_view name, double fov_cm);

// The phantom's mean density over each pixel, from supersample x supersample points per pixel.
std::vector<float> rasterise(const Phantom& phantom, const ImageGrid& grid, int supersample = 4);

// The integral of the phantom's projection at angle theta over offsets s0 <= s <= s1 (cm^2 times
// density): exact, from the antiderivative of each ellipse's chord length.
double projection_integral(const Phantom& phantom, double theta, double s0, double s1);

}  // namespace streamdx
