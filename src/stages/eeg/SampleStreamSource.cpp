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
    : name_(path == "-" ? "stdin" : path) {
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
  frames_.start(std::move(plan), h.labels, h.rate_hz, settings);
}

SampleStreamSource::~SampleStreamSource() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

SampleStreamSource::SampleStreamSource(SampleStreamSource&& o) noexcept
    : name_(std::move(o.name_)),
      fd_(o.fd_),
      owns_fd_(o.owns_fd_),
      eof_(o.eof_),
      parser_(std::move(o.parser_)),
      frames_(std::move(o.frames_)),
      block_(std::move(o.block_)),
      used_block_(std::move(o.used_block_)),
      samples_pushed_(o.samples_pushed_),
      input_seconds_(std::move(o.input_seconds_)) {
  o.owns_fd_ = false;
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
  // The preprocessor takes the inputs the montage uses, in order; a recording carries others
  // too (FZ, PZ, EKG), which are left out here.
  const std::vector<std::size_t>& used = frames_.preprocessor().plan().used_inputs;
  std::span<const float> inputs = block_;
  if (used.size() * n != block_.size()) {
    used_block_.resize(used.size() * n);
    for (std::size_t k = 0; k < used.size(); ++k) {
      const auto from = block_.begin() + static_cast<std::ptrdiff_t>(used[k] * n);
      std::copy(from, from + static_cast<std::ptrdiff_t>(n),
                used_block_.begin() + static_cast<std::ptrdiff_t>(k * n));
    }
    inputs = used_block_;
  }
  // Raw and text streams carry no record times: samples are contiguous from time 0.
  // From the integer sample count, so rounding can never open a false gap.
  frames_.preprocessor().push(inputs, n,
                              static_cast<double>(samples_pushed_) / parser_->header()->rate_hz);
  samples_pushed_ += n;
  input_seconds_->store(static_cast<double>(samples_pushed_) / parser_->header()->rate_hz);
}

bool SampleStreamSource::feed(const std::stop_token& stop) {
  if (parser_->available() > 0) {
    forward_samples();
    return true;
  }
  if (read_some(&stop)) return true;
  parser_->finish();  // a truncated last sample is an error here
  forward_samples();
  return false;
}

std::optional<SourceBlockInfo> SampleStreamSource::produce(std::span<float> out,
                                                           const std::stop_token& stop) {
  try {
    return frames_.next(out, stop, [&] { return feed(stop); });
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    if (what.starts_with(name_)) throw;
    throw std::runtime_error(fmt::format("{}: {}", name_, what));
  }
}

}  // namespace streamdx
