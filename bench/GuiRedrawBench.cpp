// How fast the live view redraws: 22 channels, a 30 s (and 10 s, 60 s) span, the window at
// 1600x1000, every frame a new scroll position (so every series changes), painted
// synchronously. Target: at least 30 frames per second. Baseline in the same run: the same
// chart fed every raw sample (no decimation), as a plain Qt Charts program would.
//
//   DISPLAY=:N build/bench/bench_gui_redraw      (a real X server, e.g. Xvfb)
//   QT_QPA_PLATFORM=offscreen build/bench/bench_gui_redraw
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QStatusBar>
#include <QValueAxis>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "gui/ViewerWindow.hpp"

namespace {

constexpr std::size_t kChannels = 22;
constexpr double kRate = 250;
constexpr double kRecordingS = 120;

streamdx::ViewerModel make_model() {
  streamdx::ViewerModel model;
  for (std::size_t c = 0; c < kChannels; ++c) model.labels.push_back("ch" + std::to_string(c + 1));
  const auto n = static_cast<std::size_t>(kRecordingS * kRate);
  model.history = streamdx::TraceHistory(kChannels, kRate, n);
  std::vector<float> planar(kChannels * n);
  for (std::size_t c = 0; c < kChannels; ++c) {
    for (std::size_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(i) / kRate;
      planar[c * n + i] =
          static_cast<float>(40 * std::sin(2 * M_PI * (9 + 0.1 * static_cast<double>(c)) * t) +
                             15 * std::sin(2 * M_PI * 1.3 * t + static_cast<double>(c)));
    }
  }
  model.history.append(0, planar, n);
  for (int s = 0; s < static_cast<int>(kRecordingS); ++s) {
    const bool seiz = s >= 50 && s < 70;
    model.epochs.push_back({static_cast<double>(s), static_cast<double>(s + 1), seiz, 0.9});
  }
  model.duration_s = kRecordingS;
  return model;
}

void BM_LiveRedraw(benchmark::State& state) {
  streamdx::ViewerModel model = make_model();
  const auto span = static_cast<double>(state.range(0));
  streamdx::ViewerWindow window(model, streamdx::ViewerMode::kReplay, span, 100);
  window.show();
  QCoreApplication::processEvents();
  double start = 0;
  using Clock = std::chrono::steady_clock;
  std::array<double, 3> phase_ms{};  // series update, paint, anything left over
  for (auto _ : state) {             // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    start += 1.0 / 30;               // the live view scrolls by a frame's worth of time per redraw
    if (start + span > kRecordingS) start = 0;
    const auto t0 = Clock::now();
    window.set_start(start);
    const auto t1 = Clock::now();
    // The event loop does what it does for a live frame: the scene's queued update, one paint
    // of what changed, the flush to the window system.
    QCoreApplication::processEvents();
    const auto t2 = Clock::now();
    QCoreApplication::processEvents();  // anything the first round posted
    const auto t3 = Clock::now();
    phase_ms[0] += std::chrono::duration<double, std::milli>(t1 - t0).count();
    phase_ms[1] += std::chrono::duration<double, std::milli>(t2 - t1).count();
    phase_ms[2] += std::chrono::duration<double, std::milli>(t3 - t2).count();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["update_ms"] = phase_ms[0] / n;
  state.counters["paint_ms"] = phase_ms[1] / n;
  state.counters["after_ms"] = phase_ms[2] / n;
  state.counters["fps"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["refreshes_per_frame"] =
      static_cast<double>(window.redraws()) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LiveRedraw)->Arg(10)->Arg(30)->Arg(60)->Unit(benchmark::kMillisecond)->UseRealTime();

// Painting alone: the same frame repainted without any change.
void BM_RepaintOnly(benchmark::State& state) {
  streamdx::ViewerModel model = make_model();
  streamdx::ViewerWindow window(model, streamdx::ViewerMode::kReplay, 30, 100);
  window.show();
  window.set_start(40);
  QCoreApplication::processEvents();
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    window.chart()->viewport()->repaint();
    QCoreApplication::processEvents();
  }
}
BENCHMARK(BM_RepaintOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// The series update alone (decimation, replace(), the chart's geometry), without painting.
void BM_SeriesUpdateOnly(benchmark::State& state) {
  streamdx::ViewerModel model = make_model();
  streamdx::ViewerWindow window(model, streamdx::ViewerMode::kReplay, 30, 100);
  window.show();
  QCoreApplication::processEvents();
  double start = 0;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    start += 1.0 / 30;
    if (start + 30 > kRecordingS) start = 0;
    window.set_start(start);
  }
}
BENCHMARK(BM_SeriesUpdateOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: every raw sample into the series (7,500 points per channel at 30 s).
void BM_UndecimatedRedraw(benchmark::State& state) {
  const streamdx::ViewerModel model = make_model();
  const auto span = static_cast<double>(state.range(0));
  QChartView view;
  auto* chart = new QChart();  // NOLINT(cppcoreguidelines-owning-memory): the view owns it
  chart->legend()->hide();
  view.setChart(chart);
  auto* x = new QValueAxis();  // NOLINT(cppcoreguidelines-owning-memory)
  auto* y = new QValueAxis();  // NOLINT(cppcoreguidelines-owning-memory)
  y->setRange(-1, static_cast<double>(kChannels));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  std::vector<QLineSeries*> series;
  for (std::size_t c = 0; c < kChannels; ++c) {
    auto* s = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory)
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
    series.push_back(s);
  }
  view.resize(1600, 1000);
  view.show();
  QCoreApplication::processEvents();
  const auto count = static_cast<std::size_t>(span * kRate);
  std::vector<float> samples(count);
  QList<QPointF> points;
  double start = 0;
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): benchmark idiom
    start += 1.0 / 30;
    if (start + span > kRecordingS) start = 0;
    const auto first = static_cast<std::int64_t>(start * kRate);
    x->setRange(start, start + span);
    for (std::size_t c = 0; c < kChannels; ++c) {
      model.history.read(c, first, samples);
      points.clear();
      for (std::size_t i = 0; i < count; ++i) {
        points.append(QPointF(static_cast<double>(first + static_cast<std::int64_t>(i)) / kRate,
                              static_cast<double>(c) + samples[i] / 100.0));
      }
      series[c]->replace(points);
    }
    view.repaint();
    QCoreApplication::processEvents();
  }
  state.counters["fps"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_UndecimatedRedraw)->Arg(30)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (std::getenv("DISPLAY") == nullptr && std::getenv("QT_QPA_PLATFORM") == nullptr) {  // NOLINT
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  int qt_argc = 1;
  std::array<char*, 2> qt_argv = {argv[0], nullptr};
  const QApplication app(qt_argc, qt_argv.data());
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
