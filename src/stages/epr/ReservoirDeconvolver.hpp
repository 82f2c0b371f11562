#pragma once
// ReservoirDeconvolver (--method reservoir): an echo-state network (EchoStateNetwork.hpp) reads
// a derivative projection sample by sample, in both directions, and a linear readout of its
// states gives the deconvolved profile q (density per gauss on the field axis). The profiles go
// through the Fourier baseline's resampling and filtered back projection, so the method differs
// from the baseline only in how each projection is deconvolved.
//
// Scales: the network sees u = p / s (s: the set's largest |p|) and is trained to give
// y = q g / s, g = dB max|k| (the reference's peak, as LineShapeConvolver samples it), so one
// model serves any signal level and any amplitude of the reference.
//
// Only the readout is trained, by ridge regression on simulated projections
// (ReservoirEvolution.hpp evolves the reservoir's hyper-parameters around it). The model file is
// JSON: the reservoir's shape and seed (the reservoir is regenerated from them), the readout,
// and a card: the training data, seed and fitness history.
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/Json.hpp"
#include "stages/epr/EchoStateNetwork.hpp"
#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

struct ReservoirModel {
  ReservoirShape shape;
  double ridge = 1e-6;          // relative to the mean diagonal of X^T X
  std::vector<double> readout;  // one weight per feature
  json::Json card = json::Json::object();
};

// Normalised training pairs: u = p / s and y = q g / s, one sequence per projection.
struct ReservoirExamples {
  std::vector<std::vector<float>> inputs;
  std::vector<std::vector<float>> targets;
};

// The readout minimising sum (y - X w)^2 + ridge mean(diag X^T X) |w|^2 over the examples, the
// features taken every `stride` steps.
std::vector<double> fit_readout(const EchoStateNetwork& network, const ReservoirExamples& train,
                                double ridge, std::size_t stride);
// ||y_hat - y|| / ||y|| over all of `examples`.
double readout_error(const EchoStateNetwork& network, std::span<const double> readout,
                     const ReservoirExamples& examples);

// g = dB max|k|: the reference's peak on the projections' field step.
double reference_gain(const ReferenceSpectrum& ref, double b0, double step, std::size_t samples);
// s: the set's largest |p|.
double projection_scale(const ProjectionSet& set);

void save_reservoir_model(const ReservoirModel& model, const std::filesystem::path& path);
// Throws with one line naming the file when it is not a reservoir model.
ReservoirModel load_reservoir_model(const std::filesystem::path& path);
// The same from a model file's text; `origin` names it in errors (fuzzed: fuzz/ReservoirModelFuzz).
ReservoirModel parse_reservoir_model(std::string_view text, const std::string& origin);

// The image: each projection deconvolved by the model, resampled and back-projected (2D).
std::vector<float> reconstruct_reservoir(const ProjectionSet& set, const ReferenceSpectrum& ref,
                                         double b0, ImageGrid grid, const ReservoirModel& model,
                                         unsigned threads);

}  // namespace streamdx
