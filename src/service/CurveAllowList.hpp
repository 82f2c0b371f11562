#pragma once
// CurveAllowList: only the listed CURVE client keys may connect. ZeroMQ asks a ZAP handler
// (RFC 27) about every CURVE handshake on the context; this is one, on its own thread, answering
// 200 for a listed key and 400 otherwise, and logging each refusal with the peer's address.
// One per ZeroMQ context (ZAP's endpoint is fixed).
#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

namespace streamdx::service {

class CurveAllowList {
 public:
  // `allowed`: Z85 public keys. `on_refused` is called (on the handler's thread) per refusal.
  CurveAllowList(zmq::context_t& context, const std::vector<std::string>& allowed,
                 std::function<void()> on_refused);
  ~CurveAllowList();
  CurveAllowList(const CurveAllowList&) = delete;
  CurveAllowList& operator=(const CurveAllowList&) = delete;

 private:
  void serve();

  zmq::socket_t socket_;
  std::set<std::string> allowed_;
  std::function<void()> on_refused_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace streamdx::service
