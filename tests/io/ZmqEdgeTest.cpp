#include <gtest/gtest.h>

#include <limits>
#include <thread>

#include "core/Pipeline.hpp"
#include "io/WireFormat.hpp"
#include "io/ZmqFrameReceiver.hpp"
#include "io/ZmqFrameSender.hpp"
#include "support/FreePort.hpp"
#include "support/TestFrames.hpp"

namespace streamdx {
namespace {

using testing::make_frame;

class MadeFrames final : public FrameSourceNode {
 public:
  explicit MadeFrames(std::uint64_t n) : n_(n) {}
  [[nodiscard]] std::string_view name() const override { return "made"; }
  FramePtr next(const std::stop_token&) override {
    if (i_ == n_) return nullptr;
    return std::make_unique<Frame>(make_frame(i_++));
  }

 private:
  std::uint64_t n_;
  std::uint64_t i_ = 0;
};

class Keep final : public FrameSinkNode {
 public:
  explicit Keep(std::vector<Frame>* out) : out_(out) {}
  [[nodiscard]] std::string_view name() const override { return "keep"; }
  void consume(const Frame& f) override { out_->push_back(f); }
  void finish(EndReason) override {}

 private:
  std::vector<Frame>* out_;
};

ZmqEdgeOptions quick(double timeout_s = 10.0) {
  return ZmqEdgeOptions{timeout_s, 100};
}

// Sender and receiver pipelines on their own threads, joined by one ZeroMQ edge.
void expect_every_frame_crosses(const std::string& bind, const std::string& connect) {
  constexpr std::uint64_t kFrames = 2000;
  std::vector<Frame> received;
  PipelineResult send_result;
  PipelineResult recv_result;
  {
    Pipeline receiver;
    receiver.source(std::make_unique<ZmqFrameReceiver>(
        ZmqEndpoint::parse(connect, ZmqRole::kConnect, false), quick()));
    receiver.sink(std::make_unique<Keep>(&received));
    Pipeline sender;
    sender.source(std::make_unique<MadeFrames>(kFrames));
    sender.sink(
        std::make_unique<ZmqFrameSender>(ZmqEndpoint::parse(bind, ZmqRole::kBind, false), quick()));
    std::jthread a([&] { send_result = sender.run(); });
    recv_result = receiver.run();
  }
  ASSERT_TRUE(send_result.ok) << send_result.error;
  ASSERT_TRUE(recv_result.ok) << recv_result.error;
  ASSERT_EQ(received.size(), kFrames);
  for (std::uint64_t i = 0; i < kFrames; ++i) {
    ASSERT_TRUE(testing::same_content(received[i], make_frame(i))) << "frame " << i;
  }
  // The receiving side stamped its own arrival after the sender's stamps.
  EXPECT_EQ(received[0].stage_stamps().back().stage(), "keep");
}

TEST(ZmqEdge, InprocDeliversEveryFrameInOrder) {
  expect_every_frame_crosses("@inproc://edge-test", ">inproc://edge-test");
}

TEST(ZmqEdge, TcpLoopbackDeliversEveryFrameInOrder) {
  const std::string addr = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  expect_every_frame_crosses("@" + addr, ">" + addr);
}

TEST(ZmqEdge, ASilentPeerIsReportedByName) {
  const std::string addr = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  ZmqFrameReceiver receiver(ZmqEndpoint::parse(">" + addr, ZmqRole::kConnect, false), quick(0.3));
  try {
    receiver.next(std::stop_token{});
    FAIL() << "no error from a peer that never spoke";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(addr), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sent nothing"), std::string::npos) << e.what();
  }
  const std::string other = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  ZmqFrameSender sender(ZmqEndpoint::parse("@" + other, ZmqRole::kBind, false), quick(0.3));
  try {
    sender.consume(make_frame(0));
    FAIL() << "a send with nobody listening succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("took no message"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(other), std::string::npos) << e.what();
  }
}

// A broken sensor's NaN must not reach the detector as "no seizure": the receiving edge refuses
// the frame, naming the peer, the channel and the time, as file input refuses it.
TEST(ZmqEdge, ANonFiniteSampleIsRefusedNamingPeerChannelAndTime) {
  const std::string addr = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  ZmqFrameReceiver receiver(ZmqEndpoint::parse(">" + addr, ZmqRole::kConnect, false), quick());
  ZmqFrameSender sender(ZmqEndpoint::parse("@" + addr, ZmqRole::kBind, false), quick());
  sender.set_channel_labels({"FP1-F7", "F7-T3", "T3-T5"});
  Frame good = make_frame(0);
  Frame bad = make_frame(1);
  bad.samples[1 * 25 + 10] = std::numeric_limits<float>::quiet_NaN();  // channel 2, sample 10
  std::jthread send([&] {
    sender.consume(good);
    sender.consume(bad);
  });
  ASSERT_NE(receiver.next(std::stop_token{}), nullptr);
  try {
    (void)receiver.next(std::stop_token{});
    FAIL() << "a frame with a NaN was accepted";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("peer >" + addr), std::string::npos) << what;
    EXPECT_NE(what.find("frame 1 has a non-finite sample (nan) in channel F7-T3 at 0.140 s"),
              std::string::npos)
        << what;
  }
}

// A peer that sends a message over kMaxMessageBytes is dropped by ZeroMQ before the receiver
// allocates or decodes anything: the receiver hears nothing from it.
TEST(ZmqEdge, AnOversizedMessageNeverReachesTheReceiver) {
  const std::string addr = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  ZmqFrameReceiver receiver(ZmqEndpoint::parse(">" + addr, ZmqRole::kConnect, false), quick(1.5));
  zmq::socket_t peer(zmq_context(), zmq::socket_type::push);
  peer.set(zmq::sockopt::linger, 0);
  peer.bind(addr);
  std::vector<std::uint8_t> big(wire::kMaxMessageBytes + 1024, 0);
  (void)peer.send(zmq::buffer(big), zmq::send_flags::dontwait);
  try {
    (void)receiver.next(std::stop_token{});
    FAIL() << "an oversized message was received";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sent nothing"), std::string::npos) << e.what();
  }
}

TEST(ZmqEdge, AWrongWireVersionIsRefusedWithAClearMessage) {
  zmq::socket_t raw(zmq_context(), zmq::socket_type::push);
  raw.bind("inproc://wrong-version");
  ZmqFrameReceiver receiver(ZmqEndpoint::parse(">inproc://wrong-version", ZmqRole::kConnect, false),
                            quick());
  std::vector<std::uint8_t> bytes;
  wire::encode(make_frame(0), bytes);
  bytes[4] = 9;
  raw.send(zmq::buffer(bytes));
  try {
    receiver.next(std::stop_token{});
    FAIL() << "version 9 accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("wire version 9 from peer"), std::string::npos)
        << e.what();
  }
}

TEST(ZmqEdge, UpstreamErrorsAndLostFramesSurfaceDownstream) {
  zmq::socket_t raw(zmq_context(), zmq::socket_type::push);
  raw.bind("inproc://lost-frames");
  ZmqFrameReceiver receiver(ZmqEndpoint::parse(">inproc://lost-frames", ZmqRole::kConnect, false),
                            quick());
  std::vector<std::uint8_t> bytes;
  wire::encode(make_frame(0), bytes);
  raw.send(zmq::buffer(bytes));
  bytes.clear();
  wire::encode(wire::EndOfStream{7, 2}, bytes);  // claims two frames; one was sent
  raw.send(zmq::buffer(bytes));
  ASSERT_TRUE(receiver.next(std::stop_token{}));
  EXPECT_THROW(receiver.next(std::stop_token{}), std::runtime_error);

  ZmqFrameSender sender(ZmqEndpoint::parse("@inproc://upstream-error", ZmqRole::kBind, false),
                        quick());
  ZmqFrameReceiver listener(
      ZmqEndpoint::parse(">inproc://upstream-error", ZmqRole::kConnect, false), quick());
  sender.upstream_failed("lfcc", "NaN in channel FP1-F7 at 12.3 s");
  sender.finish(EndReason::kUpstreamError);
  try {
    listener.next(std::stop_token{});
    FAIL() << "upstream error not forwarded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("stage 'lfcc': NaN in channel FP1-F7"), std::string::npos)
        << e.what();
  }
}

TEST(ZmqEndpoint, BindsStayOnLoopbackUnlessAllowed) {
  EXPECT_NO_THROW(ZmqEndpoint::parse("@tcp://127.0.0.1:5555", ZmqRole::kConnect, false));
  EXPECT_NO_THROW(ZmqEndpoint::parse("tcp://[::1]:5555", ZmqRole::kBind, false));
  EXPECT_THROW(ZmqEndpoint::parse("@tcp://0.0.0.0:5555", ZmqRole::kConnect, false),
               std::invalid_argument);
  EXPECT_THROW(ZmqEndpoint::parse("tcp://*:5555", ZmqRole::kBind, false), std::invalid_argument);
  EXPECT_NO_THROW(ZmqEndpoint::parse("tcp://*:5555", ZmqRole::kBind, true));
  EXPECT_NO_THROW(
      ZmqEndpoint::parse(">tcp://10.0.0.5:5555", ZmqRole::kBind, false));  // connect: fine
  EXPECT_THROW(ZmqEndpoint::parse("tcp://127.0.0.1", ZmqRole::kBind, false), std::invalid_argument);
  EXPECT_THROW(ZmqEndpoint::parse("udp://x", ZmqRole::kBind, false), std::invalid_argument);
  EXPECT_EQ(ZmqEndpoint::parse("ipc:///tmp/x", ZmqRole::kBind, false).describe(), "@ipc:///tmp/x");
}

}  // namespace
}  // namespace streamdx
