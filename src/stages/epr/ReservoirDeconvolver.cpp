#include "stages/epr/ReservoirDeconvolver.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "core/ParallelFor.hpp"
#include "io/AtomicFile.hpp"
#include "io/TextParsing.hpp"
#include "stages/epr/FourierReconstructor.hpp"

namespace streamdx {

namespace {

constexpr const char* kFormat = "streamdx-epr-reservoir";
constexpr std::int64_t kMaxUnits = 100'000;

// Cholesky solve of the symmetric positive definite a x = b (a overwritten).
std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
    if (d <= 0) throw std::runtime_error("reservoir readout: the normal equations are singular");
    const double l = std::sqrt(d);
    a[j * n + j] = l;
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    double s = b[i];
    for (std::size_t k = 0; k < i; ++k) s -= a[i * n + k] * b[k];
    b[i] = s / a[i * n + i];
  }
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= a[k * n + i] * b[k];
    b[i] = s / a[i * n + i];
  }
  return b;
}

std::vector<float> apply_readout(const EchoStateNetwork& network, std::span<const double> readout,
                                 std::span<const float> input) {
  const std::vector<float> x = network.run(input);
  const std::size_t f = network.features();
  std::vector<float> y(input.size());
  for (std::size_t t = 0; t < y.size(); ++t) {
    double s = 0;
    for (std::size_t j = 0; j < f; ++j) s += readout[j] * x[t * f + j];
    y[t] = static_cast<float>(s);
  }
  return y;
}

}  // namespace

std::vector<double> fit_readout(const EchoStateNetwork& network, const ReservoirExamples& train,
                                double ridge, std::size_t stride) {
  const std::size_t f = network.features();
  std::vector<double> xtx(f * f, 0.0);
  std::vector<double> xty(f, 0.0);
  for (std::size_t e = 0; e < train.inputs.size(); ++e) {
    const std::vector<float> x = network.run(train.inputs[e], stride);
    const std::size_t rows = x.size() / f;
    for (std::size_t r = 0; r < rows; ++r) {
      const float* row = x.data() + r * f;
      const double y = train.targets[e][r * stride];
      for (std::size_t i = 0; i < f; ++i) {
        xty[i] += row[i] * y;
        double* out = xtx.data() + i * f;
        for (std::size_t j = 0; j <= i; ++j) out[j] += static_cast<double>(row[i]) * row[j];
      }
    }
  }
  double trace = 0;
  for (std::size_t i = 0; i < f; ++i) trace += xtx[i * f + i];
  const double shift = ridge * trace / static_cast<double>(f) + 1e-12;
  for (std::size_t i = 0; i < f; ++i) {
    xtx[i * f + i] += shift;
    for (std::size_t j = 0; j < i; ++j) xtx[j * f + i] = xtx[i * f + j];
  }
  return solve_spd(std::move(xtx), std::move(xty), f);
}

double readout_error(const EchoStateNetwork& network, std::span<const double> readout,
                     const ReservoirExamples& examples) {
  double err = 0;
  double norm = 0;
  for (std::size_t e = 0; e < examples.inputs.size(); ++e) {
    const auto y = apply_readout(network, readout, examples.inputs[e]);
    for (std::size_t t = 0; t < y.size(); ++t) {
      const double target = examples.targets[e][t];
      err += (y[t] - target) * (y[t] - target);
      norm += target * target;
    }
  }
  return norm > 0 ? std::sqrt(err / norm) : 0.0;
}

double reference_gain(const ReferenceSpectrum& ref, double b0, double step, std::size_t samples) {
  double peak = 0;
  const auto m = static_cast<long>(samples);
  for (long j = -m + 1; j < m; ++j) {
    peak = std::max(peak, std::abs(reference_at(ref, b0 + static_cast<double>(j) * step)));
  }
  return step * peak;
}

double projection_scale(const ProjectionSet& set) {
  double s = 0;
  for (const float v : set.data) s = std::max(s, static_cast<double>(std::abs(v)));
  return s;
}

void save_reservoir_model(const ReservoirModel& model, const std::filesystem::path& path) {
  const json::Json j = {{"format", kFormat},
                        {"version", 1},
                        {"reservoir",
                         {{"units", model.shape.units},
                          {"spectral_radius", model.shape.radius},
                          {"input_scale", model.shape.input_scale},
                          {"leak", model.shape.leak},
                          {"density", model.shape.density},
                          {"seed", model.shape.seed}}},
                        {"ridge", model.ridge},
                        {"readout", model.readout},
                        {"card", model.card}};
  write_file_atomically(path, json::text(j));
}

ReservoirModel parse_reservoir_model(std::string_view text, const std::string& origin) {
  const json::Json j = json::parse(text, origin);
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    throw std::runtime_error(origin + ": not a streamdx EPR reservoir model (format '" +
                             std::string(kFormat) + "' expected)");
  }
  try {
    ReservoirModel m;
    const auto& r = j.at("reservoir");
    const auto units = r.at("units").get<std::int64_t>();
    m.shape.radius = r.at("spectral_radius").get<double>();
    m.shape.input_scale = r.at("input_scale").get<double>();
    m.shape.leak = r.at("leak").get<double>();
    m.shape.density = r.at("density").get<double>();
    m.shape.seed = r.at("seed").get<std::uint64_t>();
    m.ridge = j.at("ridge").get<double>();
    m.readout = j.at("readout").get<std::vector<double>>();
    if (j.contains("card")) m.card = j["card"];
    // Bounds before anything is allocated from them.
    if (units < 1 || units > kMaxUnits) {
      throw std::runtime_error(fmt::format("{} units (1 to {})", units, kMaxUnits));
    }
    m.shape.units = static_cast<std::size_t>(units);
    if (!(m.shape.density > 0 && m.shape.density <= 1) ||
        !(m.shape.leak > 0 && m.shape.leak <= 1) || !std::isfinite(m.shape.radius) ||
        !std::isfinite(m.shape.input_scale)) {
      throw std::runtime_error("a density or leak outside (0, 1], or a non-finite scale");
    }
    if (m.readout.size() != 2 * m.shape.units + 2) {
      throw std::runtime_error(
          fmt::format("{} readout weights for {} units", m.readout.size(), m.shape.units));
    }
    return m;
  } catch (const std::exception& e) {
    throw std::runtime_error(origin + ": a broken reservoir model: " + e.what());
  }
}

ReservoirModel load_reservoir_model(const std::filesystem::path& path) {
  return parse_reservoir_model(read_text_file(path), path.string());
}

std::vector<float> reconstruct_reservoir(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                         double b0, ImageGrid grid, const ReservoirModel& model,
                                         unsigned threads) {
  if (set.dimensions() != 2) throw std::invalid_argument("--method reservoir is 2D");
  const EchoStateNetwork network(model.shape);
  const FourierReconstructor fourier(set, ref, b0, grid, threads);
  const double scale = projection_scale(set);
  const double gain = reference_gain(ref, b0, set.field_step(), set.samples());
  const double back = scale > 0 ? scale / gain : 0.0;
  std::vector<float> sino(set.projections() * fourier.bins());
  parallel_for(set.projections(), threads, [&](std::size_t k) {
    std::vector<float> u(set.projection(k).begin(), set.projection(k).end());
    for (float& v : u) v = static_cast<float>(scale > 0 ? v / scale : 0.0);
    std::vector<float> q = apply_readout(network, model.readout, u);
    for (float& v : q) v = static_cast<float>(v * back);
    fourier.resample(q, set.strength(k), {sino.data() + k * fourier.bins(), fourier.bins()});
  });
  std::vector<float> image(grid.n * grid.n);
  fourier.back_projection().reconstruct(sino, image, threads);
  return image;
}

}  // namespace streamdx
