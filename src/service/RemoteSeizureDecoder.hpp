#pragma once
// RemoteSeizureDecoder: the decoder stage with the model call made by a decoder service
// (`streamdx run --decoder ADDR`). It keeps the stream's window ring, as SeizureDecoder does,
// and sends each epoch's whole windows (every channel's last 7 encodings) in one request; the
// service's posteriors are this stage's output. The chain around it is unchanged
// (runtime/EegChain.hpp), so the HYP, TSE and csv_bi are the in-process run's, byte for byte.
//
// Batched like SeizureDecoder (core/BatchedStage.hpp): on the stream pool every stream whose
// epoch ended this tick goes out at once, and the service batches them with other clients'.
//
// DecoderService is what a run's stages share: where the service is, the run's counters, and a
// source of stream ids. connect_decoder_service() checks, before any stage runs, that the
// service decodes this run's model with this run's engine.
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/Stage.hpp"
#include "service/DecoderConnection.hpp"
#include "stages/decoder/EpochWindows.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx::service {

struct DecoderService {
  ConnectionSettings settings;
  std::size_t encoding_size = 0;
  ConnectionCounters counters;
  json::Json hello;  // the server's, from connect_decoder_service
  std::atomic<std::uint64_t> next_stream{1};
};

// Asks the service at `settings.address` for its hello and refuses (std::runtime_error, one
// line) a server whose model or engine differs from `model`'s (`model_sha256` its file's hash).
std::shared_ptr<DecoderService> connect_decoder_service(const ConnectionSettings& settings,
                                                        const SeizureModel& model,
                                                        const std::string& model_sha256);

// The windows of every stream gathered in one round, sent together.
struct RemoteDecodeBatch {
  DecoderService* service = nullptr;
  std::unique_ptr<DecoderConnection> connection;  // this batch's (one worker's), opened on use
  std::vector<RequestHead> heads;
  std::vector<float> windows;     // the requests' encodings, back to back
  std::vector<float> posteriors;  // rows x 2, after run()
  std::size_t rows = 0;

  void run();
  void clear() {
    heads.clear();
    windows.clear();
    rows = 0;
  }
};

class RemoteSeizureDecoder {
 public:
  static constexpr std::string_view kName = "decoder";
  using Batch = RemoteDecodeBatch;

  explicit RemoteSeizureDecoder(std::shared_ptr<DecoderService> service);

  StreamInfo configure(const StreamInfo& in);
  bool process(std::span<const float> in, std::span<float> out);

  std::optional<std::size_t> gather(std::span<const float> in, RemoteDecodeBatch& batch);
  void scatter(const RemoteDecodeBatch& batch, std::size_t slot, std::span<float> out) const;
  [[nodiscard]] const void* batch_key() const noexcept { return service_.get(); }

 private:
  RequestHead next_request();

  std::shared_ptr<DecoderService> service_;
  EpochWindows windows_;
  std::uint64_t stream_id_ = 0;
  RemoteDecodeBatch own_;  // process()'s batch of one
};

}  // namespace streamdx::service
