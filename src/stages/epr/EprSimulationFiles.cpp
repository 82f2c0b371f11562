#include "stages/epr/EprSimulationFiles.hpp"

#include <fmt/format.h>

#include <numbers>

#include "core/Json.hpp"
#include "core/Version.hpp"
#include "io/AtomicFile.hpp"
#include "io/Bes3tFile.hpp"
#include "io/RawFloatFile.hpp"

namespace streamdx {

namespace {

EprDataset as_dataset(const std::vector<float>& field, const std::vector<float>& values,
                      std::size_t ny, const std::vector<double>& y, const std::string& title) {
  EprDataset d;
  d.nx = field.size();
  d.ny = ny;
  d.x = {"Field", "G", {field.begin(), field.end()}};
  if (ny > 1) d.y = {"Angle", "deg", y};
  d.channels.resize(1);
  d.channels[0].real.assign(values.begin(), values.end());
  d.parameters["TITL"] = "'" + title + "'";
  return d;
}

}  // namespace

void write_simulation_files(const std::filesystem::path& dir, const EprSimulation& sim,
                            const EprSimulationRecord& record) {
  std::vector<double> angles = sim.projections.angles();
  for (double& a : angles) a *= 180.0 / std::numbers::pi;
  EprDataset proj = as_dataset(
      sim.projections.field, sim.projections.data, sim.projections.projections(), angles,
      fmt::format("streamdx simulation: {} SNR {} rho {}", record.phantom, record.snr, record.rho));
  proj.parameters["GRAD"] = fmt::format("{:.6f}", record.gradient);
  const std::size_t dims = sim.projections.dimensions();
  proj.parameters["IMTY"] = dims == 3 ? "3D" : "2D";
  write_bes3t(dir / "proj.DSC", proj);
  write_bes3t(dir / "h.DSC", as_dataset(sim.reference.field, sim.reference.h, 1, {},
                                        "streamdx simulation: reference"));
  std::string fgrad;
  for (std::size_t axis = 0; axis < dims; ++axis) {
    for (std::size_t k = 0; k < sim.projections.projections(); ++k) {
      fgrad += fmt::format("{}{:.10e}", k == 0 ? "" : " ", sim.projections.gradients[k][axis]);
    }
    fgrad += '\n';
  }
  write_file_atomically(dir / "fgrad.txt", fgrad);
  write_f32_file(dir / "truth.f32", sim.truth);
  const json::Json truth = {{"n", record.size},
                            {"dimensions", dims},
                            {"fov_cm", record.fov_cm},
                            {"phantom", record.phantom},
                            {"snr", record.snr},
                            {"rho", record.rho},
                            {"seed", record.seed},
                            {"b0_gauss", sim.b0},
                            {"noise_sigma", sim.noise_sigma},
                            {"line_shape", record.line_shape},
                            {"version", version_string()}};
  write_file_atomically(dir / "truth.json", json::text(truth));
}

}  // namespace streamdx
