#pragma once
// LiveEprImage: the image of an acquisition as its projections arrive (docs/EPR.md, "Live").
//
// - Each projection's filtered row (ProjectionDeconvolution) is back-projected into a running
//   sum at once, and the filtered back-projection of what has arrived (2D: the sum times
//   pi / count, the Fourier image) is published: the update whose latency `bench --epr`
//   measures.
// - A worker thread re-runs the TV + positivity solve over everything that has arrived,
//   warm-started from its last image, with lambda chosen as in the batch method (the
//   discrepancy principle on the data so far), whenever `rerun_every` new projections have
//   arrived or the source has been idle for `idle_s`. Each result is published when it ends; a
//   re-run never holds up the back-projection updates.
// - finish() solves once more over the whole acquisition, from the Fourier start, exactly as
//   `epr reconstruct` does (which is this class run to the end): the final image depends only on
//   the data, never on when it arrived, so live and batch give bit-identical images.
//
// Threads: add(), idle() and finish() from one thread; `publish` is called from that thread and
// from the worker, never from both at once.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/Clock.hpp"
#include "stages/epr/EprReconstruction.hpp"
#include "stages/epr/ProjectionDeconvolution.hpp"

namespace streamdx {

struct LiveEprOptions {
  EprReconstructionOptions reconstruction;
  std::size_t rerun_every = 8;      // new projections that start a TV re-run; 0: none while live
  double idle_s = 2.0;              // a source quiet this long starts one too
  unsigned rerun_iterations = 100;  // each live re-run's iteration cap (it starts warm)
};

struct EprImageUpdate {
  wire::EprImageStage stage = wire::EprImageStage::kBackProjection;
  std::uint64_t sequence = 0;   // 0, 1, 2, ... per published image
  std::size_t projections = 0;  // how many the image uses
  const std::vector<float>* image = nullptr;
  ImageGrid grid;
  double lambda = 0;        // tv and final
  unsigned iterations = 0;  // tv and final
  // Back-projection updates: the projection that made it (index, angle, values), for the
  // viewer's sinogram.
  const wire::EprProjection* projection = nullptr;
  // When the newest projection in the image arrived (the source's stamp): the latency figure,
  // and how old the image is.
  MonoNs arrival_ns = 0;
};

class LiveEprImage {
 public:
  using Publish = std::function<void(const EprImageUpdate&)>;

  LiveEprImage(std::shared_ptr<const ProjectionDeconvolution> deconvolution, LiveEprOptions options,
               Publish publish);
  ~LiveEprImage();  // stops the worker (a re-run under way finishes first)
  LiveEprImage(const LiveEprImage&) = delete;
  LiveEprImage& operator=(const LiveEprImage&) = delete;

  // Projection `p`, with its filtered row, arrived at `arrival_ns`.
  void add(const wire::EprProjection& p, std::span<const float> row, MonoNs arrival_ns);
  // The final solve over every projection that arrived (published as kFinal). Stops the worker
  // first. Throws when none arrived.
  EprReconstruction finish();

  [[nodiscard]] std::size_t projections() const noexcept { return set_.projections(); }
  [[nodiscard]] const ProjectionSet& projection_set() const noexcept { return set_; }
  // TV re-runs completed while live.
  [[nodiscard]] std::size_t reruns() const;

 private:
  void worker_loop();
  void rerun(const ProjectionSet& snapshot, std::optional<std::vector<float>> start,
             MonoNs newest_arrival_ns);
  void stop_worker();
  void publish_locked(EprImageUpdate& u);

  std::shared_ptr<const ProjectionDeconvolution> deconvolution_;
  LiveEprOptions options_;
  Publish publish_;
  ProjectionSet set_;
  std::vector<float> sum_;
  double total_weight_ = 0;  // of the projections back-projected into sum_
  std::vector<float> image_;

  mutable std::mutex mutex_;  // guards the worker's view below and the publish sequence
  std::condition_variable wake_;
  ProjectionSet pending_;         // the latest snapshot for the worker
  std::size_t rerun_from_ = 0;    // projections the last started re-run used
  MonoNs last_arrival_ns_ = 0;    // when add() was last called (for idling)
  MonoNs newest_arrival_ns_ = 0;  // the newest projection's stamp
  bool stop_ = false;
  std::size_t reruns_ = 0;
  std::uint64_t sequence_ = 0;
  std::optional<std::vector<float>> last_tv_;
  std::thread worker_;
};

}  // namespace streamdx
