#pragma once
// `streamdx epr ...`: simulate, reconstruct, compare and inspect, free of command-line parsing.
#include <cstdint>
#include <string>

#include "apps/EprReconstruction.hpp"

namespace streamdx {

struct EprSimulateCommand {
  std::string out_dir;
  std::string phantom = "disks";
  std::size_t size = 256;
  double fov_cm = 3.0;
  double snr = 50;
  double rho = 0;
  std::uint64_t seed = 1;
  std::string line_shape = "phalanx";  // the measured h, or lorentzian / gaussian / voigt
  std::string reference;  // the measured h (default: the phalanx h under STREAMDX_DATA)
  double lorentz_fwhm = 1.0;
  double gauss_fwhm = 1.0;
  double modulation = 0.0;
  std::size_t projections = 113;
  double gradient = 168;
};

struct EprReconstructCommand {
  std::string projections;
  std::string reference;
  std::string fgrad;
  std::string out_dir = "streamdx-epr";
  EprReconstructionOptions options;
  bool json = false;
};

// Fourier with the apodization chosen by oracle against the truth (clipped and not), and tv with
// its automatic lambda, on the same data in the same run.
struct EprCompareCommand {
  std::string projections;
  std::string reference;
  std::string fgrad;
  std::string truth;  // truth.f32 with its truth.json (simulate writes both)
  std::string out_dir;
  unsigned threads = 0;
  bool json = false;
};

int run_epr_simulate(const EprSimulateCommand& cmd);
int run_epr_reconstruct(const EprReconstructCommand& cmd);
int run_epr_compare(const EprCompareCommand& cmd);
// Prints what a BES3T (.DSC) or ESP/WinEPR (.par) file holds, as JSON.
int run_epr_inspect(const std::string& path);

}  // namespace streamdx
