// The display feed over real ZeroMQ sockets: what a viewer receives, and that every message a
// slow viewer does not get is counted somewhere.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <variant>

#include "gui/DisplayFeedReceiver.hpp"
#include "io/CurveKeys.hpp"
#include "io/DisplayPublisher.hpp"
#include "io/DisplayTap.hpp"
#include "stages/eeg/Postprocessor.hpp"
#include "support/FreePort.hpp"

namespace streamdx {
namespace {

using namespace std::chrono_literals;

Frame signal_frame(std::uint64_t seq, std::uint16_t channels) {
  Frame f;
  f.sequence = seq;
  f.sample_rate_hz = 250;
  f.first_sample_ns = static_cast<std::int64_t>(seq) * 100'000'000;
  f.reshape({channels, 25});
  for (std::size_t i = 0; i < f.samples.size(); ++i) f.samples[i] = static_cast<float>(i + seq);
  f.stamp("source");
  return f;
}

// Waits until `pred` holds, up to 5 s.
template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 500; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

TEST(DisplayFeed, AViewerGetsHeaderSignalDecisionsAndEnd) {
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  auto publisher = std::make_shared<DisplayPublisher>(
      ZmqEndpoint::parse("@" + address, ZmqRole::kBind, false), 100);
  DisplayFeedReceiver receiver(address);
  ASSERT_TRUE(publisher->wait_for_subscriber(5));

  DisplayTap signal(publisher, display::Topic::kSignal, {"FP1-F7", "F7-T3"});
  DisplayTap decisions(publisher, display::Topic::kDecision);
  for (std::uint64_t k = 0; k < 12; ++k)
    (void)signal.process(std::make_unique<Frame>(signal_frame(k, 2)));
  auto d = std::make_unique<Frame>();
  d->reshape({1, kDecisionFields});
  d->samples[kLabel] = 1;
  d->samples[kConfidence] = 0.75F;
  (void)decisions.process(std::move(d));
  (void)decisions.flush();

  ASSERT_TRUE(eventually([&] { return receiver.received() >= 12 + 2 + 2; }));
  // Header first (with the labels), then the frames in order; a header again after 10 frames.
  std::vector<std::uint64_t> sequences;
  int headers = 0;
  while (auto item = receiver.signal_ring().try_pop()) {
    if (const auto* h = std::get_if<wire::StreamHeader>(&item->value->message)) {
      ++headers;
      EXPECT_EQ(h->labels, (std::vector<std::string>{"FP1-F7", "F7-T3"}));
      EXPECT_DOUBLE_EQ(h->sample_rate_hz, 250);
    } else {
      const Frame& f = std::get<Frame>(item->value->message);
      sequences.push_back(f.sequence);
      EXPECT_EQ(f.samples[3], static_cast<float>(3 + f.sequence));
    }
  }
  EXPECT_EQ(headers, 2);
  ASSERT_EQ(sequences.size(), 12U);
  for (std::uint64_t k = 0; k < 12; ++k) EXPECT_EQ(sequences[k], k);
  auto decision = receiver.decision_ring().try_pop();
  ASSERT_TRUE(decision);
  EXPECT_FLOAT_EQ(std::get<Frame>(decision->value->message).samples[kConfidence], 0.75F);
  auto end = receiver.decision_ring().try_pop();
  ASSERT_TRUE(end);
  EXPECT_EQ(std::get<wire::EndOfStream>(end->value->message).frames_sent, 1U);
  EXPECT_EQ(receiver.missed(), 0U);
  EXPECT_EQ(publisher->dropped(), 0U);
}

TEST(DisplayFeed, AViewerThatFallsBehindLosesOnlyCountedFrames) {
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  auto publisher = std::make_shared<DisplayPublisher>(
      ZmqEndpoint::parse("@" + address, ZmqRole::kBind, false), 5);
  DisplayFeedReceiver receiver(address);
  ASSERT_TRUE(publisher->wait_for_subscriber(5));
  // Nobody drains the viewer's rings: the oldest go, counted, and the newest stay.
  constexpr std::uint64_t kFrames = 400;
  std::uint64_t refused = 0;
  for (std::uint64_t k = 0; k < kFrames; ++k) {
    if (!publisher->publish(display::Topic::kSignal, signal_frame(k, 22))) ++refused;
    if (k % 20 == 0) std::this_thread::sleep_for(1ms);
  }
  // A last frame once the queues have emptied, so that the viewer sees how far the counter got.
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(publisher->publish(display::Topic::kSignal, signal_frame(kFrames, 22)));
  constexpr std::uint64_t kTotal = kFrames + 1;
  EXPECT_EQ(refused, publisher->dropped());
  ASSERT_TRUE(eventually([&] { return receiver.received() + receiver.missed() == kTotal; }))
      << "received " << receiver.received() << " missed " << receiver.missed();
  EXPECT_EQ(receiver.missed(), refused);  // what the publisher refused is what the viewer missed
  auto& ring = receiver.signal_ring();
  EXPECT_EQ(ring.size(), ring.capacity());
  EXPECT_GT(ring.dropped(), 0U);
  // Every published frame is either still queued, dropped by the ring, or missed (counted).
  EXPECT_EQ(ring.size() + ring.dropped() + receiver.missed(), kTotal);
  // What stays is the newest.
  std::uint64_t last = 0;
  while (auto item = ring.try_pop()) last = std::get<Frame>(item->value->message).sequence;
  EXPECT_EQ(last, kFrames);
}

TEST(DisplayFeed, WithoutViewersNothingIsQueuedOrDropped) {
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  DisplayPublisher publisher(ZmqEndpoint::parse("@" + address, ZmqRole::kBind, false), 5);
  for (std::uint64_t k = 0; k < 100; ++k) {
    EXPECT_TRUE(publisher.publish(display::Topic::kSignal, signal_frame(k, 4)));
  }
  EXPECT_EQ(publisher.dropped(), 0U);
  EXPECT_FALSE(publisher.wait_for_subscriber(0.05));
}

// A feed bound with a CURVE key pair reaches a viewer that knows the publisher's public key, and
// no one else: a viewer without it, or with another key, receives nothing.
TEST(DisplayFeed, ACurveFeedReachesOnlyViewersWithTheServerKey) {
  if (!curve_available()) GTEST_SKIP() << "libzmq without CURVE";
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  const CurveKeyPair server = make_curve_keys();
  ZmqEndpoint bind = ZmqEndpoint::parse("@" + address, ZmqRole::kBind, false);
  bind.curve_keys = server;
  auto publisher = std::make_shared<DisplayPublisher>(bind, 100);
  auto viewer = [&](const std::string& server_key) {
    ZmqEndpoint ep = ZmqEndpoint::parse(address, ZmqRole::kConnect, false);
    ep.curve_server_key = server_key;
    return std::make_unique<DisplayFeedReceiver>(ep);
  };
  const auto with_key = viewer(server.public_key);
  const auto plain = viewer("");
  const auto wrong_key = viewer(make_curve_keys().public_key);
  ASSERT_TRUE(publisher->wait_for_subscriber(5));
  DisplayTap signal(publisher, display::Topic::kSignal, {"FP1-F7"});
  for (std::uint64_t k = 0; k < 20; ++k) {
    (void)signal.process(std::make_unique<Frame>(signal_frame(k, 1)));
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(eventually([&] { return with_key->received() >= 20; })) << with_key->received();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(plain->received(), 0U) << "a plain viewer must not read a CURVE feed";
  EXPECT_EQ(wrong_key->received(), 0U) << "nor a viewer that trusts another server";
}

}  // namespace
}  // namespace streamdx
