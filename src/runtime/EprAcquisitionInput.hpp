#pragma once
// Where an EPR acquisition stream comes from or goes to, as the user types it: "-" (stdin or
// stdout), a ZeroMQ endpoint (with the [zmq] section's CURVE keys and peer timeout), or an
// .sdxe file (the wire messages back to back).
#include <string_view>

#include "core/Config.hpp"
#include "io/EprAcquisitionStream.hpp"

namespace streamdx {

bool is_acquisition_stream(std::string_view spec);

// `role`: the side's default when the endpoint has no '@' or '>' (a sender binds, a reader
// connects).
EprStreamSpec acquisition_stream_spec(std::string_view spec, const Config& config,
                                      ZmqRole role = ZmqRole::kConnect);

}  // namespace streamdx
