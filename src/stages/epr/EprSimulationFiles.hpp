#pragma once
// Writes a simulation as the instrument's files would hold it, beside its ground truth:
// proj.DSC/.DTA/.YGF (BES3T), h.DSC/.DTA, fgrad.txt, truth.f32 and truth.json.
#include <cstdint>
#include <filesystem>
#include <string>

#include "stages/epr/EprSimulator.hpp"

namespace streamdx {

// What truth.json records of the run besides the simulation's own figures.
struct EprSimulationRecord {
  std::string phantom;
  std::size_t size = 0;
  double fov_cm = 0;
  double snr = 0;
  double rho = 0;
  std::uint64_t seed = 0;
  double gradient = 0;
  std::string line_shape;
};

void write_simulation_files(const std::filesystem::path& dir, const EprSimulation& sim,
                            const EprSimulationRecord& record);

}  // namespace streamdx
