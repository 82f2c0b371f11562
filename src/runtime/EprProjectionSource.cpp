#include "runtime/EprProjectionSource.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <limits>
#include <stdexcept>

#include "runtime/EprAcquisitionInput.hpp"
#include "stages/epr/EprAcquisition.hpp"

namespace streamdx {

EprAcquisitionLog::EprAcquisitionLog(wire::EprHeader header, const std::string& reference_name)
    : header_(std::move(header)), reference_(reference_from(header_)) {
  reference_.source = reference_name;
}

void EprAcquisitionLog::file(wire::EprProjection p) {
  const std::lock_guard lock(mutex_);
  projections_.push_back(std::move(p));
}

wire::EprProjection EprAcquisitionLog::projection(std::size_t sequence) const {
  const std::lock_guard lock(mutex_);
  return projections_.at(sequence);
}

void EprAcquisitionLog::set_deconvolution(std::shared_ptr<const ProjectionDeconvolution> d) {
  const std::lock_guard lock(mutex_);
  deconvolution_ = std::move(d);
}

std::shared_ptr<const ProjectionDeconvolution> EprAcquisitionLog::deconvolution() const {
  const std::lock_guard lock(mutex_);
  return deconvolution_;
}

struct EprProjectionSource::Replay {
  ProjectionSet set;
  std::size_t next = 0;
};

EprProjectionSource::EprProjectionSource(const EprInput& input, const Config& config)
    : interval_s_(input.interval_s) {
  wire::EprHeader header;
  if (is_acquisition_stream(input.spec)) {
    if (!input.reference.empty() || !input.fgrad.empty()) {
      throw std::invalid_argument(fmt::format(
          "{}: an acquisition stream carries its reference and gradients; drop --reference and "
          "--fgrad",
          input.spec));
    }
    reader_ = std::make_unique<EprAcquisitionReader>(acquisition_stream_spec(input.spec, config));
    header = reader_->header();
  } else {
    if (input.reference.empty()) {
      throw std::invalid_argument("--reference is required with BES3T projections");
    }
    const auto fgrad =
        input.fgrad.empty() ? std::nullopt : std::optional<std::filesystem::path>(input.fgrad);
    replay_ = std::make_unique<Replay>();
    replay_->set = load_projections(input.spec, fgrad);
    header = acquisition_header(replay_->set, load_reference(input.reference));
  }
  if (header.samples() > std::numeric_limits<std::uint16_t>::max()) {
    throw std::runtime_error(fmt::format("{}: {} points per projection (at most {})", input.spec,
                                         header.samples(),
                                         std::numeric_limits<std::uint16_t>::max()));
  }
  const std::string reference_name = reader_ ? header.source : input.reference;
  log_ = std::make_shared<EprAcquisitionLog>(std::move(header), reference_name);
}

EprProjectionSource::~EprProjectionSource() = default;

std::string EprProjectionSource::where() const {
  return reader_ ? reader_->where() : replay_->set.source.string();
}

std::optional<wire::EprProjection> EprProjectionSource::read_next() {
  if (reader_) return reader_->next();
  if (replay_->next >= replay_->set.projections()) return std::nullopt;
  return acquisition_projection(replay_->set, replay_->next++);
}

FramePtr EprProjectionSource::next(const std::stop_token& stop) {
  if (stop.stop_requested()) return nullptr;
  std::optional<wire::EprProjection> p = read_next();
  if (!p) {
    spdlog::info("{}: {} projections of {} points received", where(), sequence_,
                 log_->header().samples());
    return nullptr;
  }
  auto frame = std::make_unique<Frame>();
  frame->stamp(name());
  frame->sequence = sequence_;
  frame->first_sample_ns =
      static_cast<std::int64_t>(interval_s_ * 1e9 * static_cast<double>(sequence_));
  frame->reshape({1, static_cast<std::uint16_t>(p->values.size())});
  // A frame spans one interval (PacedSource releases it when its span is over).
  frame->sample_rate_hz =
      interval_s_ > 0 ? static_cast<double>(p->values.size()) / interval_s_ : 0.0;
  std::copy(p->values.begin(), p->values.end(), frame->samples.begin());
  log_->file(std::move(*p));
  ++sequence_;
  return frame;
}

}  // namespace streamdx
