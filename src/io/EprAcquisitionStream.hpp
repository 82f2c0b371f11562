#pragma once
// An EPR acquisition on the move: the header, the projections and the end-of-stream message
// (io/EprWireMessages.hpp) written to or read from a ZeroMQ socket, a pipe (stdin/stdout) or a
// file, one whole wire message at a time.
//
// ZeroMQ: the writer is a PUSH socket (binds unless the endpoint says '>'), the reader a PULL
// (connects unless '@'); both give up after `peer_timeout_s` of silence (0: wait forever) with a
// one-line error naming the peer. Pipes and files: the messages back to back, each found by its
// prefix.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "io/WireFormat.hpp"
#include "io/ZmqConnectionMonitor.hpp"
#include "io/ZmqEndpoint.hpp"

namespace streamdx {

// "-" (stdin/stdout), a ZeroMQ endpoint (tcp://, ipc://, inproc://, optionally '@' or '>'), or a
// file path.
struct EprStreamSpec {
  std::string spec;
  std::optional<ZmqEndpoint> endpoint;  // set for ZeroMQ (with any CURVE keys)
  double peer_timeout_s = 30;
};

class EprAcquisitionWriter {
 public:
  explicit EprAcquisitionWriter(const EprStreamSpec& to);
  ~EprAcquisitionWriter();
  EprAcquisitionWriter(const EprAcquisitionWriter&) = delete;
  EprAcquisitionWriter& operator=(const EprAcquisitionWriter&) = delete;

  void send(const wire::EprHeader& header);
  void send(const wire::EprProjection& projection);
  // The end-of-stream message, counting the projections sent; flushes.
  void finish();
  [[nodiscard]] std::string where() const;

 private:
  void write(const std::vector<std::uint8_t>& message);

  EprStreamSpec to_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::unique_ptr<ZmqConnectionMonitor> monitor_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::uint64_t projections_ = 0;
  std::vector<std::uint8_t> buffer_;
};

class EprAcquisitionReader {
 public:
  explicit EprAcquisitionReader(const EprStreamSpec& from);
  ~EprAcquisitionReader();
  EprAcquisitionReader(const EprAcquisitionReader&) = delete;
  EprAcquisitionReader& operator=(const EprAcquisitionReader&) = delete;

  // The header: the first message; throws naming the source when another comes first, or when
  // none comes within the peer timeout.
  wire::EprHeader header();
  // The next projection, checked against the header; nullopt at the end of the stream (whose
  // count must match). Throws with one line naming the source and the projection otherwise.
  std::optional<wire::EprProjection> next();
  [[nodiscard]] std::string where() const;

 private:
  wire::Message read_message();

  EprStreamSpec from_;
  std::unique_ptr<zmq::socket_t> socket_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::optional<wire::EprHeader> header_;
  std::uint64_t projections_ = 0;
  bool ended_ = false;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace streamdx
