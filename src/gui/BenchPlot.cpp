#include "gui/BenchPlot.hpp"

#include "gui/OffscreenApplication.hpp"

#include <QApplication>
#include <QChart>
#include <QGraphicsScene>
#include <QImage>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace streamdx {

namespace {

constexpr int kWidth = 1200;
constexpr int kHeight = 800;
constexpr std::size_t kCdfPoints = 400;  // per stage: enough for a smooth curve
constexpr double kFloorMs = 1e-4;        // a log axis cannot show 0

}  // namespace

void write_latency_plot(const std::string& path,
                        const std::map<std::string, std::vector<double>>& samples_ms,
                        const std::string& title) {
  const auto app = ensure_offscreen_application();
  QChart chart;
  chart.setTitle(QString::fromStdString("Latency per stage: " + title));
  auto* x = new QLogValueAxis();  // NOLINT(cppcoreguidelines-owning-memory): the chart owns it
  x->setTitleText("latency (ms, log scale)");
  x->setLabelFormat("%g");
  auto* y = new QValueAxis();  // NOLINT(cppcoreguidelines-owning-memory)
  y->setTitleText("fraction of measurements at or below");
  y->setRange(0, 1);
  chart.addAxis(x, Qt::AlignBottom);
  chart.addAxis(y, Qt::AlignLeft);
  double lo = 1e9;
  double hi = 0;
  for (const auto& [name, values] : samples_ms) {
    if (values.empty()) continue;
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    auto* s = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory)
    s->setName(QString::fromStdString(name));
    const std::size_t step = std::max<std::size_t>(1, v.size() / kCdfPoints);
    for (std::size_t i = 0; i < v.size(); i += step) {
      s->append(std::max(v[i], kFloorMs),
                static_cast<double>(i + 1) / static_cast<double>(v.size()));
    }
    s->append(std::max(v.back(), kFloorMs), 1.0);
    lo = std::min(lo, std::max(v.front(), kFloorMs));
    hi = std::max(hi, std::max(v.back(), kFloorMs));
    chart.addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  }
  if (hi > 0) x->setRange(lo / 1.5, hi * 1.5);
  save_chart_png(chart, path, kWidth, kHeight);
}

void write_scaling_plot(const std::string& path, const std::vector<BenchPlotPoint>& probes,
                        double budget_ms) {
  const auto app = ensure_offscreen_application();
  std::vector<BenchPlotPoint> sorted = probes;
  std::sort(sorted.begin(), sorted.end(),
            [](const BenchPlotPoint& a, const BenchPlotPoint& b) { return a.streams < b.streams; });
  QChart chart;
  chart.setTitle(QString("Decision latency against concurrent real-time streams (budget %1 ms)")
                     .arg(budget_ms));
  auto* x = new QLogValueAxis();  // NOLINT(cppcoreguidelines-owning-memory): the chart owns it
  x->setBase(2);
  x->setLabelFormat("%g");
  x->setTitleText("streams (log scale)");
  auto* y = new QLogValueAxis();  // NOLINT(cppcoreguidelines-owning-memory)
  y->setLabelFormat("%g");
  y->setTitleText("decision latency (ms, log scale)");
  chart.addAxis(x, Qt::AlignBottom);
  chart.addAxis(y, Qt::AlignLeft);
  auto* p50 = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory)
  p50->setName("p50");
  auto* p99 = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory)
  p99->setName("p99");
  auto* over = new QScatterSeries();  // NOLINT(cppcoreguidelines-owning-memory)
  over->setName("p99 over budget");
  over->setColor(Qt::red);
  double lo_y = budget_ms;
  double hi_y = budget_ms;
  for (const BenchPlotPoint& p : sorted) {
    p50->append(p.streams, std::max(p.p50_ms, kFloorMs));
    p99->append(p.streams, std::max(p.p99_ms, kFloorMs));
    if (!p.within_budget) over->append(p.streams, std::max(p.p99_ms, kFloorMs));
    lo_y = std::min(lo_y, std::max(p.p50_ms, kFloorMs));
    hi_y = std::max(hi_y, p.p99_ms);
  }
  auto* budget = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory)
  budget->setName("budget");
  budget->setPen(QPen(Qt::darkRed, 1.5, Qt::DashLine));
  if (!sorted.empty()) {
    budget->append(sorted.front().streams, budget_ms);
    budget->append(sorted.back().streams, budget_ms);
    x->setRange(sorted.front().streams / 1.2, sorted.back().streams * 1.2);
  }
  y->setRange(lo_y / 1.5, hi_y * 1.5);
  for (QXYSeries* s : std::initializer_list<QXYSeries*>{p50, p99, over, budget}) {
    chart.addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  }
  save_chart_png(chart, path, kWidth, kHeight);
}

}  // namespace streamdx
