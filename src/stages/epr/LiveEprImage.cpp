#include "stages/epr/LiveEprImage.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <numbers>
#include <stdexcept>

namespace streamdx {

LiveEprImage::LiveEprImage(std::shared_ptr<const ProjectionDeconvolution> deconvolution,
                           LiveEprOptions options, Publish publish)
    : deconvolution_(std::move(deconvolution)),
      options_(std::move(options)),
      publish_(std::move(publish)) {
  const std::size_t pixels = deconvolution_->grid().voxels();
  sum_.assign(pixels, 0.0F);
  image_.assign(pixels, 0.0F);
  set_.field = deconvolution_->header().field;
  set_.source = deconvolution_->header().source;
  pending_.field = set_.field;
  pending_.source = set_.source;
  const bool reruns =
      options_.reconstruction.method == "tv" && (options_.rerun_every > 0 || options_.idle_s > 0);
  if (reruns) worker_ = std::thread([this] { worker_loop(); });
}

LiveEprImage::~LiveEprImage() {
  stop_worker();
}

void LiveEprImage::stop_worker() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::size_t LiveEprImage::reruns() const {
  const std::lock_guard lock(mutex_);
  return reruns_;
}

void LiveEprImage::publish_locked(EprImageUpdate& u) {
  u.sequence = sequence_++;
  if (publish_) publish_(u);
}

void LiveEprImage::add(const wire::EprProjection& p, std::span<const float> row,
                       MonoNs arrival_ns) {
  set_.gradients.push_back(p.gradient_g_per_cm);
  set_.data.insert(set_.data.end(), p.values.begin(), p.values.end());
  total_weight_ += deconvolution_->add_backprojection(row, p, sum_);
  const auto weight = static_cast<float>(deconvolution_->normalisation(total_weight_));
  for (std::size_t i = 0; i < sum_.size(); ++i) image_[i] = weight * sum_[i];

  EprImageUpdate u;
  u.stage = wire::EprImageStage::kBackProjection;
  u.projections = projections();
  u.image = &image_;
  u.grid = deconvolution_->grid();
  u.projection = &p;
  u.arrival_ns = arrival_ns;
  {
    const std::lock_guard lock(mutex_);
    publish_locked(u);
    pending_.gradients.push_back(set_.gradients.back());
    pending_.data.insert(pending_.data.end(), p.values.begin(), p.values.end());
    last_arrival_ns_ = monotonic_ns();
    newest_arrival_ns_ = arrival_ns;
  }
  wake_.notify_all();
}

void LiveEprImage::worker_loop() {
  std::unique_lock lock(mutex_);
  const auto idle_ns = static_cast<MonoNs>(options_.idle_s * 1e9);
  while (!stop_) {
    const std::size_t arrived = pending_.projections();
    const bool fresh = arrived > rerun_from_;
    const bool due_count =
        options_.rerun_every > 0 && arrived >= rerun_from_ + options_.rerun_every;
    const bool due_idle = fresh && idle_ns > 0 && monotonic_ns() - last_arrival_ns_ >= idle_ns;
    if (due_count || due_idle) {
      ProjectionSet snapshot = pending_;
      rerun_from_ = arrived;
      std::optional<std::vector<float>> start = last_tv_;
      const MonoNs newest = newest_arrival_ns_;
      lock.unlock();
      rerun(snapshot, std::move(start), newest);
      lock.lock();
      continue;
    }
    if (fresh && idle_ns > 0) {
      wake_.wait_for(lock, std::chrono::nanoseconds(last_arrival_ns_ + idle_ns - monotonic_ns()));
    } else {
      wake_.wait(lock);
    }
  }
}

void LiveEprImage::rerun(const ProjectionSet& snapshot, std::optional<std::vector<float>> start,
                         MonoNs newest_arrival_ns) {
  EprReconstructionOptions o = options_.reconstruction;
  o.fov_cm = deconvolution_->grid().fov_cm;
  o.width_per_cm = deconvolution_->width_per_cm();
  o.tv.max_iterations = options_.rerun_iterations;
  try {
    EprReconstruction r =
        reconstruct_epr(snapshot, deconvolution_->reference(), o, std::move(start));
    const std::lock_guard lock(mutex_);
    last_tv_ = r.image;
    ++reruns_;
    EprImageUpdate u;
    u.stage = wire::EprImageStage::kTv;
    u.projections = snapshot.projections();
    u.image = &r.image;
    u.grid = r.grid;
    u.lambda = r.lambda;
    u.iterations = r.iterations;
    u.arrival_ns = newest_arrival_ns;
    publish_locked(u);
  } catch (const std::exception& e) {
    // A re-run over too little data can fail (a noise estimate needs a few projections); the
    // next one, with more, may not, and the final solve reports its own errors.
    spdlog::warn("live tv re-run over {} projections: {}", snapshot.projections(), e.what());
  }
}

EprReconstruction LiveEprImage::finish() {
  stop_worker();
  if (projections() == 0) throw std::runtime_error("no projection arrived");
  EprReconstruction r = reconstruct_epr(set_, deconvolution_->reference(), options_.reconstruction);
  EprImageUpdate u;
  u.stage = wire::EprImageStage::kFinal;
  u.projections = projections();
  u.image = &r.image;
  u.grid = r.grid;
  u.lambda = r.lambda;
  u.iterations = r.iterations;
  const std::lock_guard lock(mutex_);
  u.arrival_ns = newest_arrival_ns_;
  publish_locked(u);
  return r;
}

}  // namespace streamdx
