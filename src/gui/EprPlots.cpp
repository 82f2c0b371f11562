#include "gui/EprPlots.hpp"

#include <QChart>
#include <QColor>
#include <QFont>
#include <QImage>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>

#include "gui/OffscreenApplication.hpp"

namespace streamdx {

namespace {

// A dark-to-bright ramp (black, purple, red, orange, pale yellow) for t in [0, 1].
QColor ramp(double t) {
  static constexpr std::array<std::array<double, 3>, 5> kStops = {
      {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}}};
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(kStops.size() - 1);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), kStops.size() - 2);
  const double f = t - static_cast<double>(i);
  auto mix = [&](std::size_t c) {
    return static_cast<int>(kStops[i][c] + f * (kStops[i + 1][c] - kStops[i][c]));
  };
  return {mix(0), mix(1), mix(2)};
}

// Negative values: black to saturated blue as t goes 0 -> 1.
QColor negative(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return {static_cast<int>(30 * t), static_cast<int>(90 * t), static_cast<int>(255 * t)};
}

}  // namespace

void write_epr_image_png(const std::string& path, std::span<const float> image, std::size_t n,
                         double fov_mm, const std::string& title) {
  const auto app = ensure_offscreen_application();
  const auto [lo_it, hi_it] = std::minmax_element(image.begin(), image.end());
  const double hi = std::max(1e-30, static_cast<double>(*hi_it));
  const double lo = std::min(0.0, static_cast<double>(*lo_it));
  auto colour = [&](double v) { return v >= 0 ? ramp(v / hi) : negative(lo < 0 ? v / lo : 0); };

  QImage pixels(static_cast<int>(n), static_cast<int>(n), QImage::Format_RGB32);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      pixels.setPixelColor(static_cast<int>(i), static_cast<int>(n - 1 - j),
                           colour(image[j * n + i]));
    }
  }
  constexpr int kSide = 640, kLeft = 70, kTop = 60, kBar = 24;
  QImage canvas(kLeft + kSide + 150, kTop + kSide + 60, QImage::Format_RGB32);
  canvas.fill(Qt::white);
  QPainter p(&canvas);
  p.setRenderHint(QPainter::Antialiasing);
  p.drawImage(QRect(kLeft, kTop, kSide, kSide), pixels);
  p.setPen(Qt::black);
  p.drawRect(QRect(kLeft, kTop, kSide, kSide));
  QFont font = p.font();
  font.setPointSize(11);
  p.setFont(font);
  p.drawText(QRect(0, 10, canvas.width(), 40), Qt::AlignCenter, QString::fromStdString(title));
  // Millimetre ticks on both axes, centred on 0.
  const double half = fov_mm / 2;
  const double tick = half > 10 ? 5 : half > 4 ? 2 : 1;
  const auto ticks = static_cast<int>(std::floor(half / tick));
  for (int t = -ticks; t <= ticks; ++t) {
    const double v = t * tick;
    const int x = kLeft + static_cast<int>((v + half) / fov_mm * kSide);
    const int y = kTop + kSide - static_cast<int>((v + half) / fov_mm * kSide);
    p.drawLine(x, kTop + kSide, x, kTop + kSide + 5);
    p.drawText(QRect(x - 30, kTop + kSide + 6, 60, 20), Qt::AlignCenter, QString::number(v));
    p.drawLine(kLeft - 5, y, kLeft, y);
    p.drawText(QRect(0, y - 10, kLeft - 8, 20), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(v));
  }
  p.drawText(QRect(kLeft, kTop + kSide + 28, kSide, 24), Qt::AlignCenter, "x (mm)");
  p.save();
  p.translate(QPoint(14, kTop + (kSide / 2)));  // integer pixels
  p.rotate(-90);
  p.drawText(QRect(-60, -10, 120, 20), Qt::AlignCenter, "y (mm)");
  p.restore();
  // Colour bar from lo to hi.
  const int bx = kLeft + kSide + 30;
  for (int y = 0; y < kSide; ++y) {
    const double v = hi - (hi - lo) * y / (kSide - 1);
    p.setPen(colour(v));
    p.drawLine(bx, kTop + y, bx + kBar, kTop + y);
  }
  p.setPen(Qt::black);
  p.drawRect(bx, kTop, kBar, kSide);
  for (int k = 0; k <= 4; ++k) {
    const double v = hi - (hi - lo) * k / 4.0;
    const int y = kTop + kSide * k / 4;
    p.drawLine(bx + kBar, y, bx + kBar + 4, y);
    p.drawText(QRect(bx + kBar + 6, y - 10, 90, 20), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(v, 'g', 3));
  }
  p.end();
  save_png_atomically(canvas, path);
}

void write_epr_residual_png(const std::string& path, const std::vector<double>& per_projection,
                            const std::vector<double>& per_iteration, const std::string& title) {
  const auto app = ensure_offscreen_application();
  QChart chart;
  chart.setTitle(QString::fromStdString(title));
  auto* x = new QValueAxis();  // NOLINT(cppcoreguidelines-owning-memory): the chart owns it
  x->setTitleText(per_iteration.empty() ? "projection" : "projection (dots) / iteration (line)");
  x->setLabelFormat("%d");
  auto* y = new QLogValueAxis();  // NOLINT(cppcoreguidelines-owning-memory)
  y->setTitleText("residual rms / noise sigma (projections); residual / target (iterations)");
  y->setLabelFormat("%g");
  chart.addAxis(x, Qt::AlignBottom);
  chart.addAxis(y, Qt::AlignLeft);
  double top = 1.0;
  double bottom = 1.0;
  auto add = [&](const std::vector<double>& values, const QString& name, QColor c) {
    if (values.empty()) return;
    auto* s = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory)
    s->setName(name);
    s->setColor(c);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double v = std::max(values[i], 1e-3);
      s->append(static_cast<double>(i), v);
      top = std::max(top, v);
      bottom = std::min(bottom, v);
    }
    chart.addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  };
  add(per_projection, "final residual per projection (noise sigmas)", QColor(31, 119, 180));
  add(per_iteration, "TV solver: residual / target", QColor(214, 39, 40));
  auto* floor = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory)
  floor->setName("noise floor");
  floor->setColor(Qt::gray);
  const double xmax = static_cast<double>(std::max(per_projection.size(), per_iteration.size()));
  floor->append(0, 1);
  floor->append(xmax, 1);
  chart.addSeries(floor);
  floor->attachAxis(x);
  floor->attachAxis(y);
  x->setRange(0, xmax);
  y->setRange(bottom * 0.8, top * 1.25);
  save_chart_png(chart, path, 1000, 600);
}

}  // namespace streamdx
