#include "runtime/EprLivePipeline.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/RealtimePacer.hpp"
#include "core/SignalStop.hpp"
#include "io/DisplayPublisher.hpp"
#include "runtime/EprAcquisitionInput.hpp"
#include "runtime/EprOutputs.hpp"
#include "runtime/EprSnapshot.hpp"
#include "runtime/FrameEndpoints.hpp"
#include "runtime/ModelLoading.hpp"
#include "runtime/PipelineRun.hpp"
#include "stages/epr/ReservoirDeconvolver.hpp"

namespace streamdx {

namespace {

constexpr int kImageFeedHighWaterMark = 64;  // images queued per viewer before drops (counted)

// epr-deconvolve: a projection frame in, its filtered row out (same frame, reshaped).
class EprDeconvolutionNode final : public FrameTransformNode {
 public:
  EprDeconvolutionNode(std::shared_ptr<EprAcquisitionLog> log, EprReconstructionOptions options)
      : log_(std::move(log)), options_(std::move(options)) {}
  [[nodiscard]] std::string_view name() const override { return "epr-deconvolve"; }

  FramePtr process(FramePtr in) override {
    const wire::EprProjection p = log_->projection(in->sequence);
    if (!deconvolution_) {
      deconvolution_ = std::make_shared<const ProjectionDeconvolution>(
          log_->header(), log_->reference(), p, options_);
      log_->set_deconvolution(deconvolution_);
    }
    in->reshape({1, static_cast<std::uint16_t>(deconvolution_->bins())});
    deconvolution_->deconvolve(p, in->samples);
    in->stamp(name());
    return in;
  }
  FramePtr flush() override { return nullptr; }

 private:
  std::shared_ptr<EprAcquisitionLog> log_;
  EprReconstructionOptions options_;
  std::shared_ptr<const ProjectionDeconvolution> deconvolution_;
};

wire::EprImage wire_image(const EprImageUpdate& u, const wire::EprHeader& header) {
  wire::EprImage m;
  m.sequence = static_cast<std::uint32_t>(u.sequence);
  m.stage = u.stage;
  m.dimensions = static_cast<std::uint16_t>(u.grid.dimensions);
  m.projections = static_cast<std::uint32_t>(u.projections);
  m.expected = header.projections;
  m.side = static_cast<std::uint32_t>(u.grid.n);
  m.iterations = u.iterations;
  m.fov_cm = u.grid.fov_cm;
  m.lambda = u.lambda;
  m.image = *u.image;
  if (u.projection != nullptr) {
    m.projection_index = u.projection->index;
    m.projection_angle_rad = projection_angle(*u.projection);
    m.projection = u.projection->values;
  }
  return m;
}

// epr-image: the running image, its publication, the final solve and the files.
class EprImageSinkNode final : public FrameSinkNode {
 public:
  EprImageSinkNode(std::shared_ptr<EprAcquisitionLog> log, const EprRunSettings& settings,
                   std::shared_ptr<DisplayPublisher> display, std::shared_ptr<EprSnapshot> snapshot,
                   EprRunOutcome& outcome, EprInput input)
      : log_(std::move(log)),
        settings_(settings),
        display_(std::move(display)),
        snapshot_(std::move(snapshot)),
        outcome_(outcome),
        input_(std::move(input)) {}
  [[nodiscard]] std::string_view name() const override { return "epr-image"; }

  void consume(const Frame& frame) override {
    if (!image_) {
      image_ = std::make_unique<LiveEprImage>(log_->deconvolution(), settings_.live,
                                              [this](const EprImageUpdate& u) { publish(u); });
    }
    const wire::EprProjection p = log_->projection(frame.sequence);
    image_->add(p, frame.samples, frame.origin_ns());
  }

  void upstream_failed(std::string_view node, std::string_view message) override {
    failure_ = fmt::format("stage '{}': {}", node, message);
  }

  void finish(EndReason reason) override {
    if (image_ && image_->projections() > 0) {
      outcome_.projections = image_->projections();
      outcome_.tv_reruns = image_->reruns();
      try {
        outcome_.image = image_->finish();
        outcome_.tv_reruns = image_->reruns();
        outcome_.partial = reason == EndReason::kUpstreamError;
        outcome_.ended = reason == EndReason::kEndOfStream     ? "end of stream"
                         : reason == EndReason::kStopRequested ? "stopped by signal"
                                                               : failure_;
      } catch (const std::exception& e) {
        // finish() has no node to blame it on in the runner: the outcome carries it.
        outcome_.error = fmt::format("{}: the final image: {}", input_.spec, e.what());
      }
    }
    if (display_) {
      display_->publish_end(outcome_.projections, display::Topic::kEprImage);
      outcome_.images_dropped = display_->dropped();
    }
  }

 private:
  void publish(const EprImageUpdate& u) {
    ++outcome_.images_published;
    snapshot_->update(u);
    if (display_) {
      wire::EprImage m = wire_image(u, log_->header());
      m.age_s = u.arrival_ns > 0 ? static_cast<double>(monotonic_ns() - u.arrival_ns) * 1e-9 : 0;
      display_->publish(m);
    }
    if (u.stage == wire::EprImageStage::kBackProjection && u.arrival_ns > 0) {
      outcome_.update_latency_ms.push_back(static_cast<double>(monotonic_ns() - u.arrival_ns) *
                                           1e-6);
    }
  }

  std::shared_ptr<EprAcquisitionLog> log_;
  const EprRunSettings& settings_;
  std::shared_ptr<DisplayPublisher> display_;
  std::shared_ptr<EprSnapshot> snapshot_;
  EprRunOutcome& outcome_;
  EprInput input_;
  std::string failure_;
  std::unique_ptr<LiveEprImage> image_;
};

}  // namespace

EprRunSettings epr_run_settings(const Config& config) {
  EprRunSettings s;
  EprReconstructionOptions& r = s.live.reconstruction;
  r.method = config.get_string("epr.method");
  r.tv_operator = config.get_string("epr.operator");
  r.reservoir_model = resolve_model_path(config.get_string("epr.reservoir_model"));
  r.size = static_cast<std::size_t>(config.get_int("epr.size"));
  r.size_3d = static_cast<std::size_t>(config.get_int("epr.size_3d"));
  r.threads = static_cast<unsigned>(config.get_int("epr.threads"));
  r.tv.max_iterations = static_cast<unsigned>(config.get_int("epr.max_iterations"));
  r.max_iterations_3d = static_cast<unsigned>(config.get_int("epr.max_iterations_3d"));
  r.tv.tolerance = config.get_double("epr.tolerance");
  s.live.rerun_every = static_cast<std::size_t>(config.get_int("epr.rerun_every"));
  s.live.idle_s = config.get_double("epr.idle_s");
  s.live.rerun_iterations = static_cast<unsigned>(config.get_int("epr.rerun_iterations"));
  s.display = config.get_string("epr.display");
  return s;
}

EprRunOutcome run_epr_pipeline(const EprInput& input, const EprRunSettings& settings,
                               const Config& config) {
  EprRunOutcome outcome;
  if (settings.live.reconstruction.method == "reservoir") {
    // Refused before any projection is read, not at the end.
    (void)load_reservoir_model(settings.live.reconstruction.reservoir_model);
  }
  std::shared_ptr<DisplayPublisher> display;
  if (!settings.display.empty()) {
    display = std::make_shared<DisplayPublisher>(
        zmq_endpoint(settings.display, ZmqRole::kBind, config), kImageFeedHighWaterMark);
    spdlog::info("EPR image feed on {} (view it: streamdx gui --epr {})", display->address(),
                 display->address());
    if (settings.wait_viewer_s > 0 && !display->wait_for_subscriber(settings.wait_viewer_s)) {
      spdlog::warn("no viewer on {} after {} s: starting without one", display->address(),
                   settings.wait_viewer_s);
    }
  }
  PipelineResult result;
  // SIGUSR1 writes the image published last (snapshot.f32/json), while the run goes on.
  const auto snapshot = std::make_shared<EprSnapshot>(settings.out_dir);
  const SignalRequest request([&snapshot] {
    try {
      snapshot->write();
    } catch (const std::exception& e) {
      spdlog::error("snapshot: {}", e.what());  // the run goes on
    }
  });
  outcome.exit_code = run_pipeline(
      config, 3,
      [&](Pipeline& pipeline) {
        auto source = std::make_unique<EprProjectionSource>(input, config);
        const std::shared_ptr<EprAcquisitionLog> log = source->log();
        outcome.header = log->header();
        const std::string from = source->where();
        snapshot->set_expected(log->header().projections);
        if (input.interval_s > 0 && !is_acquisition_stream(input.spec)) {
          pipeline.source(std::make_unique<PacedSource>(std::move(source)));
        } else {
          pipeline.source(std::move(source));
        }
        pipeline.transform(
            std::make_unique<EprDeconvolutionNode>(log, settings.live.reconstruction));
        pipeline.sink(
            std::make_unique<EprImageSinkNode>(log, settings, display, snapshot, outcome, input));
        return fmt::format("from {} reconstructed", from);
      },
      &result);
  if (!result.ok) {
    outcome.error = fmt::format("stage '{}': {}", result.failed_node, result.error);
  } else if (!outcome.error.empty()) {
    spdlog::error("{}", outcome.error);  // run_pipeline logged a stage's failure already
  }
  if (!outcome.error.empty()) outcome.exit_code = 1;
  // The files are written here, on the calling thread, not in the sink: the PNG writer needs Qt,
  // which lives on the main thread.
  if (outcome.image && settings.write_outputs) {
    // After a failure the image is of part of the acquisition: kept, under a name that says so.
    write_epr_outputs(
        settings.out_dir, outcome.partial ? "image-partial" : "image", *outcome.image, input.spec,
        *outcome.header,
        EprLiveFigures{outcome, outcome.ended,
                       input.reference.empty() ? outcome.header->source : input.reference,
                       settings.live.reconstruction.threads});
  }
  if (outcome.exit_code == 0 && !outcome.image) {
    outcome.error = fmt::format("{}: no projection arrived", input.spec);
    spdlog::error("{}", outcome.error);
    outcome.exit_code = 1;
  }
  return outcome;
}

}  // namespace streamdx
