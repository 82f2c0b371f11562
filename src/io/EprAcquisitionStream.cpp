#include "io/EprAcquisitionStream.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "core/Clock.hpp"

namespace streamdx {

namespace {

constexpr int kPollMs = 100;

int timeout_ms(double seconds) {
  return seconds > 0 ? static_cast<int>(seconds * 1000) : -1;
}

std::FILE* open_file(const std::string& spec, bool write) {
  if (spec == "-") return write ? stdout : stdin;
  std::FILE* f = std::fopen(spec.c_str(), write ? "wb" : "rb");
  if (f == nullptr) {
    throw std::runtime_error(
        fmt::format("{}: cannot open: {}", spec, std::generic_category().message(errno)));
  }
  return f;
}

}  // namespace

EprAcquisitionWriter::EprAcquisitionWriter(const EprStreamSpec& to) : to_(to) {
  if (to_.endpoint) {
    socket_ = std::make_unique<zmq::socket_t>(zmq_context(), zmq::socket_type::push);
    socket_->set(zmq::sockopt::sndtimeo, timeout_ms(to_.peer_timeout_s));
    socket_->set(zmq::sockopt::linger, timeout_ms(to_.peer_timeout_s));
    to_.endpoint->attach(*socket_);
    if (to_.endpoint->role == ZmqRole::kBind) {
      monitor_ = std::make_unique<ZmqConnectionMonitor>(*socket_, "EPR sender " + where());
    }
    return;
  }
  file_ = open_file(to_.spec, true);
  owns_file_ = to_.spec != "-";
}

EprAcquisitionWriter::~EprAcquisitionWriter() {
  monitor_.reset();
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
}

std::string EprAcquisitionWriter::where() const {
  return to_.endpoint ? to_.endpoint->describe() : (to_.spec == "-" ? "stdout" : to_.spec);
}

void EprAcquisitionWriter::write(const std::vector<std::uint8_t>& message) {
  if (socket_) {
    if (monitor_) monitor_->poll();
    if (!socket_->send(zmq::const_buffer(message.data(), message.size()), zmq::send_flags::none)) {
      throw std::runtime_error(fmt::format("peer {} took no message for {:.0f} s (dead or stalled)",
                                           where(), to_.peer_timeout_s));
    }
    return;
  }
  if (std::fwrite(message.data(), 1, message.size(), file_) != message.size() ||
      std::fflush(file_) != 0) {
    throw std::runtime_error(
        fmt::format("{}: cannot write: {}", where(), std::generic_category().message(errno)));
  }
}

void EprAcquisitionWriter::send(const wire::EprHeader& header) {
  buffer_.clear();
  wire::encode(header, buffer_);
  write(buffer_);
}

void EprAcquisitionWriter::send(const wire::EprProjection& projection) {
  buffer_.clear();
  wire::encode(projection, buffer_);
  write(buffer_);
  ++projections_;
}

void EprAcquisitionWriter::finish() {
  buffer_.clear();
  wire::encode(wire::EndOfStream{0, projections_}, buffer_);
  write(buffer_);
}

EprAcquisitionReader::EprAcquisitionReader(const EprStreamSpec& from) : from_(from) {
  if (from_.endpoint) {
    socket_ = std::make_unique<zmq::socket_t>(zmq_context(), zmq::socket_type::pull);
    socket_->set(zmq::sockopt::rcvtimeo, kPollMs);
    socket_->set(zmq::sockopt::linger, 0);
    socket_->set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(wire::kMaxMessageBytes));
    from_.endpoint->attach(*socket_);
    return;
  }
  file_ = open_file(from_.spec, false);
  owns_file_ = from_.spec != "-";
}

EprAcquisitionReader::~EprAcquisitionReader() {
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
}

std::string EprAcquisitionReader::where() const {
  return from_.endpoint ? "peer " + from_.endpoint->describe()
                        : (from_.spec == "-" ? "stdin" : from_.spec);
}

wire::Message EprAcquisitionReader::read_message() {
  if (socket_) {
    const MonoNs started = monotonic_ns();
    zmq::message_t msg;
    while (!socket_->recv(msg, zmq::recv_flags::none)) {
      const double silent_s = static_cast<double>(monotonic_ns() - started) * 1e-9;
      if (from_.peer_timeout_s > 0 && silent_s >= from_.peer_timeout_s) {
        throw std::runtime_error(fmt::format(
            "{} sent nothing for {:.0f} s (dead or stalled) after {} {}", where(), silent_s,
            header_ ? projections_ : 0, header_ ? "projections" : "messages: no header came"));
      }
    }
    buffer_.assign(static_cast<const std::uint8_t*>(msg.data()),
                   static_cast<const std::uint8_t*>(msg.data()) + msg.size());
  } else {
    buffer_.resize(wire::kPrefixBytes);
    const std::size_t got = std::fread(buffer_.data(), 1, wire::kPrefixBytes, file_);
    if (got == 0 && std::feof(file_) != 0) {
      throw std::runtime_error(
          fmt::format("{}: ended without an end-of-stream message after {} projections{}", where(),
                      projections_, header_ ? "" : " (no header came)"));
    }
    if (got != wire::kPrefixBytes) throw std::runtime_error(where() + ": truncated message");
    const std::size_t total = wire::message_size(buffer_);
    buffer_.resize(total);
    const std::size_t rest = total - wire::kPrefixBytes;
    if (std::fread(buffer_.data() + wire::kPrefixBytes, 1, rest, file_) != rest) {
      throw std::runtime_error(fmt::format("{}: truncated inside a message after {} projections",
                                           where(), projections_));
    }
  }
  return wire::decode(buffer_);
}

wire::EprHeader EprAcquisitionReader::header() {
  if (header_) return *header_;
  try {
    wire::Message m = read_message();
    auto* h = std::get_if<wire::EprHeader>(&m);
    if (h == nullptr) throw wire::WireError("the first message is not an EPR header");
    header_ = std::move(*h);
  } catch (const wire::WireError& e) {
    throw std::runtime_error(fmt::format("{}: {}", where(), e.what()));
  }
  return *header_;
}

std::optional<wire::EprProjection> EprAcquisitionReader::next() {
  if (ended_) return std::nullopt;
  if (!header_) (void)header();
  const wire::EprHeader& h = *header_;
  try {
    wire::Message m = read_message();
    if (auto* p = std::get_if<wire::EprProjection>(&m)) {
      wire::check_projection(h, *p);
      ++projections_;
      return std::move(*p);
    }
    if (const auto* eos = std::get_if<wire::EndOfStream>(&m)) {
      ended_ = true;
      if (eos->frames_sent != projections_) {
        throw wire::WireError(
            fmt::format("sent {} projections but {} arrived", eos->frames_sent, projections_));
      }
      return std::nullopt;
    }
    if (const auto* err = std::get_if<wire::UpstreamError>(&m)) {
      throw wire::WireError(fmt::format("failed upstream: {}", err->message));
    }
    throw wire::WireError("a message that is not an EPR projection, after the header");
  } catch (const wire::WireError& e) {
    throw std::runtime_error(fmt::format("{}: {}", where(), e.what()));
  }
}

}  // namespace streamdx
