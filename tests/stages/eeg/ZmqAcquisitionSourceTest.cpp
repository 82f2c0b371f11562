#include "stages/eeg/ZmqAcquisitionSource.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "io/WireFormat.hpp"

namespace streamdx {
namespace {

ZmqEdgeOptions quick() {
  return ZmqEdgeOptions{10.0, 1000};
}

void send(zmq::socket_t& s, const wire::Message& m) {
  std::vector<std::uint8_t> bytes;
  std::visit([&](const auto& v) { wire::encode(v, bytes); }, m);
  ASSERT_TRUE(s.send(zmq::buffer(bytes), zmq::send_flags::none));
}

Frame raw_frame(std::uint64_t seq, double t0_s, std::uint16_t channels, std::uint16_t samples,
                double rate) {
  Frame f;
  f.sequence = seq;
  f.sample_rate_hz = rate;
  f.first_sample_ns = std::llround(t0_s * 1e9);
  f.reshape({channels, samples});
  for (std::size_t c = 0; c < channels; ++c) {
    for (std::size_t i = 0; i < samples; ++i) {
      const double t = t0_s + static_cast<double>(i) / rate;
      f.samples[c * samples + i] =
          static_cast<float>(10.0 * std::sin(2 * 3.14159 * 5 * t) * static_cast<double>(c + 1));
    }
  }
  return f;
}

// A raw peer bound at `name` and a receiver connected to it. The receiver connects before
// anything is sent, because a PUSH socket with no peer blocks.
struct PeerAndReceiver {
  zmq::socket_t peer;
  std::unique_ptr<ZmqFrameReceiver> receiver;
};

PeerAndReceiver connect_peer(const std::string& name) {
  PeerAndReceiver p{zmq::socket_t(zmq_context(), zmq::socket_type::push), nullptr};
  p.peer.set(zmq::sockopt::linger, 0);
  p.peer.bind("inproc://" + name);
  p.receiver = std::make_unique<ZmqFrameReceiver>(
      ZmqEndpoint::parse(">inproc://" + name, ZmqRole::kConnect, false), quick());
  return p;
}

TEST(ZmqAcquisitionSource, LiveRawStreamIsResampledFramedAndItsGapsFlagged) {
  auto [peer, receiver] = connect_peer("acquire-live");
  // 400 Hz, blocks of 40 samples (0.1 s): 3 s, then a 1 s gap, then 2 s more.
  send(peer, wire::StreamHeader{1, 400.0, {"EEG FP1-REF", "EEG F7-REF"}});
  std::uint64_t seq = 0;
  for (int b = 0; b < 30; ++b) send(peer, raw_frame(seq++, b * 0.1, 2, 40, 400));
  for (int b = 40; b < 60; ++b) send(peer, raw_frame(seq++, b * 0.1, 2, 40, 400));
  send(peer, wire::EndOfStream{1, seq});

  EegSourceSettings settings;
  settings.montage = MontageKind::kNone;
  ZmqAcquisitionSource src(std::move(receiver), settings);
  EXPECT_EQ(src.info().shape.channels, 2U);
  EXPECT_EQ(src.info().sample_rate_hz, 250.0);
  std::vector<float> buf(50);
  std::vector<SourceBlockInfo> info;
  while (auto i = src.produce(buf, std::stop_token{})) info.push_back(*i);
  ASSERT_EQ(info.size(), 50U);  // 3 s + 2 s of 0.1 s frames, the gap not filled
  EXPECT_EQ(info[29].first_sample_ns, 2'900'000'000);
  EXPECT_EQ(info[30].first_sample_ns, 4'000'000'000);
  EXPECT_EQ(info[30].flags & kFrameDiscontinuity, kFrameDiscontinuity);
  EXPECT_EQ(info[31].flags & kFrameDiscontinuity, 0U);
  EXPECT_EQ(src.preprocessor().counters().gaps, 1U);
}

TEST(ZmqAcquisitionSource, AStreamWithoutChannelNamesCannotBeMontaged) {
  auto [peer, receiver] = connect_peer("acquire-unnamed");
  send(peer, raw_frame(0, 0, 3, 25, 250));
  EegSourceSettings settings;  // montage auto
  try {
    ZmqAcquisitionSource src(std::move(receiver), settings);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("sent no stream header, so its channels are unknown"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace streamdx
