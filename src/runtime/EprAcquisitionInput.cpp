#include "runtime/EprAcquisitionInput.hpp"

#include "runtime/FrameEndpoints.hpp"

namespace streamdx {

bool is_acquisition_stream(std::string_view spec) {
  return spec == "-" || looks_like_zmq_endpoint(spec) || spec.ends_with(".sdxe");
}

EprStreamSpec acquisition_stream_spec(std::string_view spec, const Config& config, ZmqRole role) {
  EprStreamSpec s;
  s.spec = std::string(spec);
  s.peer_timeout_s = config.get_double("zmq.peer_timeout_s");
  if (looks_like_zmq_endpoint(spec)) s.endpoint = zmq_endpoint(spec, role, config);
  return s;
}

}  // namespace streamdx
