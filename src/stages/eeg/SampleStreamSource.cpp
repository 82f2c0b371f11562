#include "stages/eeg/SampleStreamSource.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace streamdx {

SampleStreamSource::SampleStreamSource(const std::string& path, double rate_hz,
                                       const EegSourceSettings& settings)
    : name_(path == "-" ? "stdin" : path), settings_(settings) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
      throw std::runtime_error(
          fmt::format("{}: cannot open: {}", path, std::system_category().message(errno)));
    owns_fd_ = true;
  }
  parser_ = std::make_unique<SampleStreamParser>(name_, rate_hz,
                                                 std::filesystem::path(path).stem().string());
  while (!parser_->header()) {
    if (!read_some(nullptr)) {
      parser_->finish();  // throws: no header, or no samples
    }
  }
  const SampleStreamHeader& h = *parser_->header();
  std::vector<bool> is_signal(h.labels.size(), true);
  MontagePlan plan;
  try {
    plan = plan_montage(h.labels, is_signal, settings.montage);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("{}: {}", name_, e.what()));
  }
  pre_ = std::make_unique<EegPreprocessor>(std::move(plan), h.labels, h.rate_hz, settings.frames);
}

SampleStreamSource::~SampleStreamSource() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

SampleStreamSource::SampleStreamSource(SampleStreamSource&& o) noexcept
    : name_(std::move(o.name_)),
      fd_(o.fd_),
      owns_fd_(o.owns_fd_),
      eof_(o.eof_),
      finished_(o.finished_),
      parser_(std::move(o.parser_)),
      pre_(std::move(o.pre_)),
      settings_(o.settings_),
      block_(std::move(o.block_)),
      samples_pushed_(o.samples_pushed_) {
  o.owns_fd_ = false;
}

StreamInfo SampleStreamSource::info() const {
  return StreamInfo{
      settings_.stream_id,
      FrameShape{static_cast<std::uint16_t>(pre_->channels()), settings_.frames.frame_samples},
      settings_.frames.out_rate_hz};
}

bool SampleStreamSource::read_some(const std::stop_token* stop) {
  if (eof_) return false;
  std::uint8_t buf[65536];
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR)
      throw std::runtime_error(
          fmt::format("{}: poll failed: {}", name_, std::system_category().message(errno)));
    if (ready > 0) break;
    if (stop != nullptr && stop->stop_requested()) return true;  // let the caller see the stop
  }
  const ssize_t n = ::read(fd_, buf, sizeof buf);
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return true;
    throw std::runtime_error(
        fmt::format("{}: read failed: {}", name_, std::system_category().message(errno)));
  }
  if (n == 0) {
    eof_ = true;
    return false;
  }
  parser_->feed({buf, static_cast<std::size_t>(n)});
  return true;
}

void SampleStreamSource::forward_samples() {
  const std::size_t n = parser_->available();
  if (n == 0) return;
  parser_->take(n, block_);
  // Raw and text streams carry no record times: samples are contiguous from time 0.
  // From the integer sample count, so rounding can never open a false gap.
  pre_->push(block_, n, static_cast<double>(samples_pushed_) / parser_->header()->rate_hz);
  samples_pushed_ += n;
}

std::optional<SourceBlockInfo> SampleStreamSource::produce(std::span<float> out,
                                                           const std::stop_token& stop) {
  SourceBlockInfo info;
  try {
    while (!pre_->pop(out, info)) {
      if (finished_ || stop.stop_requested()) return std::nullopt;
      forward_samples();
      if (pre_->pop(out, info)) break;
      if (!read_some(&stop)) {
        parser_->finish();
        forward_samples();
        pre_->finish();
        finished_ = true;
      }
    }
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    if (what.starts_with(name_)) throw;
    throw std::runtime_error(fmt::format("{}: {}", name_, what));
  }
  return info;
}

}  // namespace streamdx
