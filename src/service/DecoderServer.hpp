#pragma once
// DecoderServer: the seizure decoder as a network service (`streamdx serve`, docs/PROTOCOL.md).
//
// Two threads. The socket thread owns every socket: it reads requests from the ROUTER, answers
// hello and stats at once, refuses malformed requests with an error reply and, when the queue
// holds max_queue windows already, answers "busy" at once instead of queueing (so the queue is
// bounded and a client learns to back off). The compute thread takes queued requests in
// arrival order, up to max_batch windows or whatever has arrived once the oldest has waited
// max_queue_delay (dynamic batching), runs one forward pass for all of them, and hands the
// replies back to the socket thread over an inproc pair (a ZeroMQ socket is used by one thread).
//
// No per-stream state: a request carries its stream's whole windows, so a restarted server, or
// another one, answers a resent request with the same bits. The model decodes each window with
// the same arithmetic whatever the batch (SeizureModel.hpp), so batching changes no posterior.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "io/CurveKeys.hpp"
#include "io/ZmqConnectionMonitor.hpp"
#include "io/ZmqEndpoint.hpp"
#include "service/ServerMetrics.hpp"
#include "stages/decoder/SeizureModel.hpp"

namespace streamdx::service {

struct DecoderServerOptions {
  ZmqEndpoint bind;                  // decode, hello and stats
  std::optional<ZmqEndpoint> admin;  // hello and stats only
  std::size_t max_batch = 1024;      // windows (channel-windows) per forward pass
  std::size_t max_queue = 16384;     // windows waiting; beyond it, "busy"
  std::chrono::microseconds max_queue_delay{1000};
  std::optional<CurveKeyPair> curve;         // the server's pair; required beyond loopback
  std::vector<std::string> allowed_clients;  // CURVE public keys; empty: any holder of ours
};

class DecoderServer {
 public:
  DecoderServer(std::shared_ptr<SeizureModel> model, ServerIdentity identity,
                DecoderServerOptions options);
  ~DecoderServer();
  DecoderServer(const DecoderServer&) = delete;
  DecoderServer& operator=(const DecoderServer&) = delete;

  // The endpoints as bound (a tcp port of * resolved), for logs and tests.
  [[nodiscard]] const std::vector<std::string>& endpoints() const noexcept { return endpoints_; }

  // Serves until stop(); returns once both threads are done. Queued requests are answered first.
  void run();
  // From any thread (the signal gate's): run() returns within about 100 ms.
  void stop() noexcept { stopping_.store(true); }

  [[nodiscard]] const ServerMetrics& metrics() const noexcept { return *metrics_; }

 private:
  struct Queued;
  void compute_loop();
  std::vector<Queued> take_batch();
  void serve_batch(std::vector<Queued>& batch, zmq::socket_t& to_sockets);
  void on_request(zmq::socket_t& socket, bool admin);
  void forward_replies();

  std::shared_ptr<SeizureModel> model_;
  DecoderServerOptions options_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::vector<std::string> endpoints_;
  zmq::socket_t router_;
  std::optional<zmq::socket_t> admin_;
  zmq::socket_t replies_in_;  // the socket thread's end of the compute thread's pair
  std::unique_ptr<ZmqConnectionMonitor> monitor_;  // on router_: clients, refusals
  std::string replies_address_;
  std::unique_ptr<class CurveAllowList> allow_list_;

  std::mutex mutex_;  // guards queue_, queued_windows_
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  std::size_t queued_windows_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> sockets_done_{false};
  std::uint64_t bad_requests_ = 0;  // socket thread only: for rate-limited logging
  std::vector<float> storage_;  // parse_request's copy for unaligned messages (never, in practice)
};

}  // namespace streamdx::service
