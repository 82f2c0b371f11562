#include "stages/epr/EprAcquisition.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "io/WireFormat.hpp"
#include "stages/epr/EprSimulator.hpp"

namespace streamdx {

wire::EprHeader acquisition_header(const ProjectionSet& set, const ReferenceSpectrum& ref) {
  wire::EprHeader h;
  h.dimensions = static_cast<std::uint16_t>(set.dimensions());
  h.projections = static_cast<std::uint32_t>(set.projections());
  h.field = set.field;
  h.reference_field = ref.field;
  h.reference = ref.h;
  h.source = set.source.filename().string().substr(0, wire::kMaxEprSourceText);
  return h;
}

wire::EprProjection acquisition_projection(const ProjectionSet& set, std::size_t i) {
  wire::EprProjection p;
  p.index = static_cast<std::uint32_t>(i);
  p.gradient_g_per_cm = set.gradients.at(i);
  const std::span<const float> values = set.projection(i);
  p.values.assign(values.begin(), values.end());
  return p;
}

ReferenceSpectrum reference_from(const wire::EprHeader& header) {
  ReferenceSpectrum ref;
  ref.h = header.reference;
  ref.field = header.reference_field;
  ref.source = header.source;
  return ref;
}

ProjectionSet projections_from(const wire::EprHeader& header,
                               const std::vector<wire::EprProjection>& received) {
  ProjectionSet set;
  set.field = header.field;
  set.source = header.source;
  for (const wire::EprProjection& p : received) {
    wire::check_projection(header, p);
    set.gradients.push_back(p.gradient_g_per_cm);
    set.data.insert(set.data.end(), p.values.begin(), p.values.end());
  }
  return set;
}

void send_acquisition(const ProjectionSet& set, const ReferenceSpectrum& ref,
                      const EprStreamSpec& to, double interval_s, const std::string& order) {
  const std::vector<std::size_t> sequence = acquisition_order(set.projections(), order);
  EprAcquisitionWriter writer(to);
  writer.send(acquisition_header(set, ref));
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    // Paced from the start, so that the interval does not drift by the time each send takes.
    std::this_thread::sleep_until(
        start + std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::duration<double>(interval_s * static_cast<double>(i))));
    wire::EprProjection p = acquisition_projection(set, sequence[i]);
    p.index = static_cast<std::uint32_t>(i);  // arrival order
    writer.send(p);
  }
  writer.finish();
  spdlog::info("{}: {} projections sent", writer.where(), set.projections());
}

Acquisition receive_acquisition(const EprStreamSpec& from) {
  EprAcquisitionReader reader(from);
  Acquisition a;
  a.header = reader.header();
  while (auto p = reader.next()) a.projections.push_back(std::move(*p));
  spdlog::info("{}: {} projections of {} points received", reader.where(), a.projections.size(),
               a.header.samples());
  return a;
}

}  // namespace streamdx
