#pragma once
// The EEG stage chain, declared once. Every command and runner that processes EEG builds it
// here: `run`, `bench` (both modes), `features`, training and evaluation, the demo check, and
// many streams at once on a worker pool (StreamPool.hpp). A new stage is one line below.
//
//   source -> LfccExtractor -> EpochEncoder -> SeizureDecoder -> Postprocessor -> sink
//             ^ kFeatures ends here           ^ kPosteriors      ^ kDecisions
//
// `Chain` is anything with transform(Stage): a Pipeline (one stream, a thread per stage group)
// or a StreamChain (one of many streams on a worker pool).
#include <cstddef>
#include <memory>

#include "core/Config.hpp"
#include "service/RemoteSeizureDecoder.hpp"
#include "stages/decoder/EpochEncoder.hpp"
#include "stages/decoder/SeizureDecoder.hpp"
#include "stages/decoder/SeizureModel.hpp"
#include "stages/eeg/LfccExtractor.hpp"
#include "stages/eeg/Postprocessor.hpp"

namespace streamdx {

// Where the chain stops: LFCC features every 0.1 s; per-channel posteriors every second; one
// decision every second.
enum class ChainEnd { kFeatures, kPosteriors, kDecisions };

// How many nodes the chain adds between its source and its sink.
constexpr std::size_t eeg_chain_nodes(ChainEnd end) {
  switch (end) {
    case ChainEnd::kFeatures: return 1;
    case ChainEnd::kPosteriors: return 3;
    case ChainEnd::kDecisions: return 4;
  }
  return 0;
}

// What the stages after the features need. `model` may be null for kFeatures. With `service`
// the decoder stage's model call is made by that decoder service (`--decoder ADDR`) instead of
// in this process: the one stage swapped, the chain otherwise the same.
struct EegChainParts {
  std::shared_ptr<SeizureModel> model;
  PostprocessSettings post;
  std::shared_ptr<service::DecoderService> service = nullptr;
  // The background level's state digests at chosen frames (streamdx batch; StateCheckpoints.hpp).
  std::shared_ptr<StateCheckpoints> checkpoints = nullptr;
};

template <class Chain>
void add_eeg_chain(Chain& chain, ChainEnd end, const EegChainParts& parts = {}) {
  chain.transform(LfccExtractor{});
  if (end == ChainEnd::kFeatures) return;
  chain.transform(EpochEncoder(parts.model, parts.checkpoints));
  if (parts.service) {
    chain.transform(service::RemoteSeizureDecoder(parts.service));
  } else {
    chain.transform(SeizureDecoder(parts.model));
  }
  if (end == ChainEnd::kPosteriors) return;
  chain.transform(Postprocessor(parts.post));
}

// The [postprocess] section, checked.
PostprocessSettings postprocess_settings(const Config& config);

// The decoder service named by decoder.service (with its [decoder] timeouts and CURVE keys),
// checked against `model`; null when decoder.service is empty (decode in process).
std::shared_ptr<service::DecoderService> decoder_service(const Config& config,
                                                         const SeizureModel& model,
                                                         const std::string& model_sha256);

// One line at the end of a run: the service's requests, resends, duplicates dropped, busy.
void log_service_counters(const service::DecoderService& service);

}  // namespace streamdx
