#include "runtime/EegChain.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace streamdx {

PostprocessSettings postprocess_settings(const Config& config) {
  // The catalogue's limits were checked when the values were loaded (core/Settings.hpp).
  PostprocessSettings s;
  s.smoothing_epochs = static_cast<std::size_t>(config.get_int("postprocess.smoothing_s"));
  s.threshold = config.get_double("postprocess.threshold");
  s.min_channels = static_cast<std::size_t>(config.get_int("postprocess.min_channels"));
  s.min_confidence = config.get_double("postprocess.min_confidence");
  s.min_duration_epochs = static_cast<std::size_t>(config.get_int("postprocess.min_duration_s"));
  return s;
}

std::shared_ptr<service::DecoderService> decoder_service(const Config& config,
                                                         const SeizureModel& model,
                                                         const std::string& model_sha256) {
  const std::string address = config.get_string("decoder.service");
  if (address.empty()) return nullptr;
  service::ConnectionSettings s;
  s.address = address;
  s.resend_after = std::chrono::milliseconds(config.get_int("decoder.service_resend_ms"));
  s.give_up_after = std::chrono::milliseconds(
      static_cast<std::int64_t>(1000 * config.get_double("decoder.service_timeout_s")));
  if (const std::string key = config.get_string("decoder.service_key"); !key.empty()) {
    s.server_key = read_curve_keys(key, false).public_key;
  }
  if (const std::string key = config.get_string("decoder.client_key"); !key.empty()) {
    s.client_keys = read_curve_keys(key, true);
  }
  return service::connect_decoder_service(s, model, model_sha256);
}

void log_service_counters(const service::DecoderService& service) {
  const auto& c = service.counters;
  spdlog::info(
      "decoder service {}: {} requests, {} resent, {} duplicate replies dropped, {} busy replies",
      service.settings.address, c.requests.load(), c.resent.load(), c.duplicates.load(),
      c.busy.load());
}

}  // namespace streamdx
