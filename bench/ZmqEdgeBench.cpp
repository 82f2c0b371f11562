// Frame latency over a ZeroMQ edge (inproc, ipc, tcp on loopback): one 22-channel, 0.1 s frame
// (22 x 25 float32) bounced between two threads through two PUSH/PULL edges using the real
// ZmqFrameSender / ZmqFrameReceiver, so encoding, socket and decoding are all in the figure.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>
#include <thread>

#include "io/ZmqFrameReceiver.hpp"
#include "io/ZmqFrameSender.hpp"

namespace streamdx {
namespace {

Frame eeg_frame() {
  Frame f;
  f.reshape({22, 25});
  f.sample_rate_hz = 250;
  for (std::size_t i = 0; i < f.samples.size(); ++i) f.samples[i] = static_cast<float>(i % 97);
  f.stamp("bench");
  return f;
}

std::pair<std::string, std::string> addresses(int transport, int round) {
  const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(round);
  switch (transport) {
    case 0: return {"inproc://bench-a-" + tag, "inproc://bench-b-" + tag};
    case 1: {
      const auto dir = std::filesystem::temp_directory_path();
      return {"ipc://" + (dir / ("sdx-a-" + tag)).string(),
              "ipc://" + (dir / ("sdx-b-" + tag)).string()};
    }
    default: {
      const int port = 46000 + (::getpid() % 1000) * 10 + round % 10;
      return {"tcp://127.0.0.1:" + std::to_string(port),
              "tcp://127.0.0.1:" + std::to_string(port + 5000)};
    }
  }
}

void BM_ZmqFrameLatency(benchmark::State& state) {
  constexpr int kRounds = 2000;
  static int round = 0;
  const ZmqEdgeOptions opts{10.0, 1000};
  const Frame frame = eeg_frame();
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    const auto [a, b] = addresses(static_cast<int>(state.range(0)), round++);
    ZmqFrameSender to_echo(ZmqEndpoint::parse("@" + a, ZmqRole::kBind, false), opts);
    ZmqFrameReceiver back_in(ZmqEndpoint::parse("@" + b, ZmqRole::kBind, false), opts);
    std::thread echo([&, a = a, b = b] {
      ZmqFrameReceiver in(ZmqEndpoint::parse(">" + a, ZmqRole::kConnect, false), opts);
      ZmqFrameSender out(ZmqEndpoint::parse(">" + b, ZmqRole::kConnect, false), opts);
      while (FramePtr f = in.next(std::stop_token{})) out.consume(*f);
      out.finish(EndReason::kEndOfStream);
    });
    // One warm-up round trip so connection set-up is not measured.
    to_echo.consume(frame);
    back_in.next(std::stop_token{});
    const MonoNs start = monotonic_ns();
    for (int i = 0; i < kRounds; ++i) {
      to_echo.consume(frame);
      benchmark::DoNotOptimize(back_in.next(std::stop_token{}));
    }
    const MonoNs elapsed = monotonic_ns() - start;
    to_echo.finish(EndReason::kEndOfStream);
    back_in.next(std::stop_token{});  // the echo's end-of-stream
    echo.join();
    state.counters["one_way_us"] = static_cast<double>(elapsed) / (2.0 * kRounds) / 1000.0;
  }
}

BENCHMARK(BM_ZmqFrameLatency)
    ->ArgName("transport")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace streamdx

BENCHMARK_MAIN();
