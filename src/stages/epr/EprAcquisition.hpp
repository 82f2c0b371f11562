#pragma once
// An EPR imaging acquisition as the wire's EPR messages (io/EprWireMessages.hpp), both ways:
// a measured or simulated data set replayed one projection at a time (`streamdx epr send`), and
// the projections that arrived gathered back into the data set the reconstruction reads.
#include <string>
#include <vector>

#include "io/EprAcquisitionStream.hpp"
#include "io/EprWireMessages.hpp"
#include "stages/epr/EprGeometry.hpp"

namespace streamdx {

// The header for `set` and its reference: field axes, reference spectrum, projection count.
wire::EprHeader acquisition_header(const ProjectionSet& set, const ReferenceSpectrum& ref);
// Projection `i` of `set`, with its gradient, as the instrument would deliver it.
wire::EprProjection acquisition_projection(const ProjectionSet& set, std::size_t i);

// The reference spectrum and the projections received so far, as the reconstruction reads
// them. Each projection is checked against the header first (wire::check_projection).
ReferenceSpectrum reference_from(const wire::EprHeader& header);
ProjectionSet projections_from(const wire::EprHeader& header,
                               const std::vector<wire::EprProjection>& received);

// Sends `set` as an acquisition: the header, then each projection `interval_s` after the one
// before (0: at once), in `order` (EprSimulator.hpp: "sequential" as stored, or "interleaved",
// bit-reversed), then the end of the stream.
void send_acquisition(const ProjectionSet& set, const ReferenceSpectrum& ref,
                      const EprStreamSpec& to, double interval_s,
                      const std::string& order = "sequential");

// Reads a whole acquisition: the header, the projections (each checked), the end of the stream.
struct Acquisition {
  wire::EprHeader header;
  std::vector<wire::EprProjection> projections;
};
Acquisition receive_acquisition(const EprStreamSpec& from);

}  // namespace streamdx
