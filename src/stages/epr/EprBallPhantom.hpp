#pragma once
// A 3D test object for the simulator and the operator's model error: a sum of uniform balls,
// whose plane integrals are closed-form (pi (r^2 - u^2) at distance u from the centre), so
// simulated 3D projections carry no discretisation error of their own.
#include <array>
#include <vector>

#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

struct Ball {
  double cx = 0, cy = 0, cz = 0;  // centre, cm
  double r = 1;                   // radius, cm
  double value = 1;               // added density inside
};

// Five balls of different sizes and densities, two overlapping, inside the field of view's
// inscribed sphere.
std::vector<Ball> make_balls(double fov_cm);

// The mean density over each voxel of a 3D grid, from supersample^3 points per voxel.
std::vector<float> rasterise(const std::vector<Ball>& balls, const ImageGrid& grid,
                             int supersample = 3);

// The integral over offsets s0 <= s <= s1 of the balls' plane integrals along the unit
// direction `n` (cm^3 times density).
double plane_integral(const std::vector<Ball>& balls, const std::array<double, 3>& n, double s0,
                      double s1);

}  // namespace streamdx
