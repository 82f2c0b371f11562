#include "runtime/EprLatencyBench.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <variant>

#include "core/Percentile.hpp"
#include "gui/DisplayFeedReceiver.hpp"
#include "runtime/ProcessUsage.hpp"
#include "stages/epr/RealFft.hpp"

namespace streamdx {

namespace {

using Clock = std::chrono::steady_clock;

// The median time of one forward + inverse real FFT of `n` points, in microseconds.
double fft_pair_us(std::size_t n) {
  const RealFft fft(n);
  auto b = fft.buffers();
  for (std::size_t i = 0; i < n; ++i) b.real[i] = static_cast<float>(i % 7) - 3.0F;
  std::vector<double> us;
  constexpr int kRounds = 31;
  constexpr int kPairsPerRound = 200;
  for (int r = 0; r < kRounds; ++r) {
    const auto t0 = Clock::now();
    for (int k = 0; k < kPairsPerRound; ++k) {
      fft.forward(b);
      fft.inverse(b);
      b.real[0] *= 1.0F / static_cast<float>(n);  // keep the values bounded
    }
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() /
                 kPairsPerRound);
  }
  return percentile(us, 0.5);
}

std::string grid_text(const EprLatencyBenchResult& r) {
  if (!r.run.image) return "no";
  const ImageGrid& g = r.run.image->grid;
  return g.dimensions == 3 ? fmt::format("{}^3 volume", g.n) : fmt::format("{} x {}", g.n, g.n);
}

}  // namespace

EprLatencyBenchResult measure_epr_latency(const EprInput& input, EprRunSettings settings,
                                          const Config& config) {
  EprLatencyBenchResult r;
  settings.write_outputs = false;
  settings.display = fmt::format("@ipc:///tmp/streamdx-epr-bench-{}", getpid());
  const std::string address = settings.display.substr(1);
  DisplayFeedReceiver viewer(address);
  settings.wait_viewer_s = 10;
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> received{0};
  // The viewer drains its ring as a viewer would, so none is dropped for want of reading.
  auto take = [&] {
    while (auto item = viewer.epr_ring().try_pop()) {
      if (std::holds_alternative<wire::EprImage>(item->value->message)) ++received;
    }
  };
  std::thread drain([&] {
    while (!done.load()) {
      take();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    take();
  });
  const auto t0 = Clock::now();
  r.run = run_epr_pipeline(input, settings, config);
  r.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  // The last messages in flight: wait for them (a loaded machine can hold one back for a while),
  // but not forever: one lost counts as not received.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (received.load() < r.run.images_published && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  done = true;
  drain.join();
  r.exit_code = r.run.exit_code;
  r.images_received = received.load();
  r.images_missed = viewer.missed();
  if (r.run.header) r.fft_size = RealFft::good_size(2 * r.run.header->samples());
  if (r.fft_size > 0) r.fft_pair_us = fft_pair_us(r.fft_size);
  return r;
}

json::Json epr_latency_json(const EprInput& input, const EprRunSettings& settings,
                            const EprLatencyBenchResult& r) {
  const auto& lat = r.run.update_latency_ms;
  const double p50 = percentile(lat, 0.5);
  const double p99 = percentile(lat, 0.99);
  const double final_ms = r.run.image ? r.run.image->timings_ms.at("total") : 0.0;
  return {{"mode", "epr"},
          {"input", input.spec},
          {"interval_s", input.interval_s},
          {"projections", r.run.projections},
          {"method", settings.live.reconstruction.method},
          {"size", r.run.image ? r.run.image->grid.n : settings.live.reconstruction.size},
          {"dimensions", r.run.image ? r.run.image->grid.dimensions : 2},
          {"rerun_every", settings.live.rerun_every},
          {"rerun_iterations", settings.live.rerun_iterations},
          {"wall_s", r.wall_s},
          {"update_latency_ms",
           {{"p50", p50},
            {"p99", p99},
            {"p999", percentile(lat, 0.999)},
            {"max", lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end())}}},
          {"tv_reruns", r.run.tv_reruns},
          {"final_solve_ms", final_ms},
          {"images_published", r.run.images_published},
          {"images_received", r.images_received},
          {"images_missed", r.images_missed},
          {"images_dropped", r.run.images_dropped},
          {"peak_rss_mb", peak_rss_mb()},
          {"baseline",
           {{"what", "one forward + inverse real FFT (FFTW, float) at the deconvolution's length"},
            {"fft_size", r.fft_size},
            {"fft_pair_us", r.fft_pair_us},
            {"update_p50_in_fft_pairs", r.fft_pair_us > 0 ? p50 * 1000 / r.fft_pair_us : 0.0},
            {"update_p99_in_fft_pairs", r.fft_pair_us > 0 ? p99 * 1000 / r.fft_pair_us : 0.0}}}};
}

std::string epr_latency_table(const EprInput& input, const EprRunSettings& settings,
                              const EprLatencyBenchResult& r) {
  const auto& lat = r.run.update_latency_ms;
  return fmt::format(
      "streamdx bench --epr: {} replayed one projection every {} s\n"
      "  projections   {} ({} image, {} with a re-run every {} projections)\n"
      "  update        arrival -> image published: p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n"
      "  baseline      one forward + inverse real FFT of {} points: {:.2f} us (p99 update = "
      "{:.0f} of them)\n"
      "  tv re-runs    {} while live; final solve {:.0f} ms\n"
      "  feed          {} published, {} received by the viewer, {} missed, {} dropped\n"
      "  wall          {:.2f} s, peak RSS {:.0f} MB\n",
      input.spec, input.interval_s, r.run.projections, grid_text(r),
      settings.live.reconstruction.method, settings.live.rerun_every, percentile(lat, 0.5),
      percentile(lat, 0.99), lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()),
      r.fft_size, r.fft_pair_us,
      r.fft_pair_us > 0 ? percentile(lat, 0.99) * 1000 / r.fft_pair_us : 0.0, r.run.tv_reruns,
      r.run.image ? r.run.image->timings_ms.at("total") : 0.0, r.run.images_published,
      r.images_received, r.images_missed, r.run.images_dropped, r.wall_s, peak_rss_mb());
}

}  // namespace streamdx
