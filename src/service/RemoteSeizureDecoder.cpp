#include "service/RemoteSeizureDecoder.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "stages/decoder/DecoderShape.hpp"
#include "stages/decoder/SeizureDecoder.hpp"

namespace streamdx::service {

std::shared_ptr<DecoderService> connect_decoder_service(const ConnectionSettings& settings,
                                                        const SeizureModel& model,
                                                        const std::string& model_sha256) {
  auto service = std::make_shared<DecoderService>();
  service->settings = settings;
  service->encoding_size = model.encoding_size();
  DecoderConnection connection(settings, &service->counters);
  service->hello = connection.hello();
  const auto& h = service->hello;
  const std::string sha = h.value("model_sha256", "");
  const std::string engine = h.value("engine", "");
  if (sha != model_sha256) {
    throw std::runtime_error(fmt::format(
        "decoder service {} serves the model with sha256 {}; this run's model is {}: give both "
        "the same model file",
        settings.address, sha, model_sha256));
  }
  if (engine != model.engine() ||
      h.value("encoding_size", std::size_t{0}) != model.encoding_size()) {
    throw std::runtime_error(fmt::format(
        "decoder service {} runs the {} engine, this run the {} engine: the encodings differ; "
        "set decoder.engine = \"{}\" here (--set decoder.engine={})",
        settings.address, engine, model.engine(), engine, engine));
  }
  return service;
}

void RemoteDecodeBatch::run() {
  if (rows == 0) return;
  if (!connection)
    connection = std::make_unique<DecoderConnection>(service->settings, &service->counters);
  posteriors.resize(rows * decoder::kClasses);
  const std::size_t per_channel = decoder::kSteps * service->encoding_size;
  std::vector<DecodeCall> calls(heads.size());
  std::size_t row = 0;
  for (std::size_t i = 0; i < heads.size(); ++i) {
    const std::size_t c = heads[i].channels;
    calls[i].head = heads[i];
    calls[i].encodings =
        std::span<const float>(windows).subspan(row * per_channel, c * per_channel);
    calls[i].posteriors =
        std::span<float>(posteriors).subspan(row * decoder::kClasses, c * decoder::kClasses);
    row += c;
  }
  connection->decode(calls);
}

RemoteSeizureDecoder::RemoteSeizureDecoder(std::shared_ptr<DecoderService> service)
    : service_(std::move(service)) {
  if (!service_) throw std::invalid_argument("RemoteSeizureDecoder needs a service");
}

StreamInfo RemoteSeizureDecoder::configure(const StreamInfo& in) {
  if (in.shape.samples_per_channel != service_->encoding_size || in.sample_rate_hz != 1.0) {
    throw std::runtime_error(fmt::format(
        "the decoder needs the encoder's epoch frames ({} values per channel, 1 per second); "
        "this stream has {} values per channel at {} Hz",
        service_->encoding_size, in.shape.samples_per_channel, in.sample_rate_hz));
  }
  if (in.shape.channels > kMaxChannels) {
    throw std::runtime_error(
        fmt::format("the decoder service takes at most {} channels; this "
                    "stream has {}",
                    kMaxChannels, in.shape.channels));
  }
  windows_ = EpochWindows::of_encodings(in.shape.channels, service_->encoding_size);
  stream_id_ = service_->next_stream.fetch_add(1);
  return StreamInfo{in.stream_id,
                    FrameShape{in.shape.channels, static_cast<std::uint16_t>(decoder::kClasses)},
                    1.0};
}

RequestHead RemoteSeizureDecoder::next_request() {
  RequestHead head;
  head.kind = RequestKind::kDecode;
  head.stream_id = stream_id_;
  head.sequence = windows_.epochs() - 1;
  head.channels = static_cast<std::uint16_t>(windows_.channels());
  head.steps = static_cast<std::uint16_t>(decoder::kSteps);
  head.encoding_size = static_cast<std::uint32_t>(windows_.step_size());
  return head;
}

std::optional<std::size_t> RemoteSeizureDecoder::gather(std::span<const float> in,
                                                        RemoteDecodeBatch& batch) {
  if (batch.service == nullptr) batch.service = service_.get();
  windows_.push_encoded(in);
  windows_.append_windows(batch.windows);
  batch.heads.push_back(next_request());
  const std::size_t slot = batch.rows;
  batch.rows += windows_.channels();
  return slot;
}

void RemoteSeizureDecoder::scatter(const RemoteDecodeBatch& batch, std::size_t slot,
                                   std::span<float> out) const {
  copy_posteriors(batch.posteriors, slot, out);
}

bool RemoteSeizureDecoder::process(std::span<const float> in, std::span<float> out) {
  own_.clear();
  const std::optional<std::size_t> slot = gather(in, own_);
  own_.run();
  scatter(own_, *slot, out);
  return true;
}

}  // namespace streamdx::service
