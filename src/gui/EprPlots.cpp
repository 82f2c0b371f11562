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

#include "gui/EprImagePainter.hpp"
#include "gui/OffscreenApplication.hpp"

namespace streamdx {

void write_epr_image_png(const std::string& path, std::span<const float> image, std::size_t n,
                         double fov_mm, const std::string& title, const std::string& axes) {
  const auto app = ensure_offscreen_application();
  QImage canvas(860, 750, QImage::Format_RGB32);
  canvas.fill(Qt::white);
  QPainter p(&canvas);
  paint_epr_image(p, canvas.rect(), image, n, fov_mm, QString::fromStdString(title),
                  QString(QChar(axes.at(0))), QString(QChar(axes.at(1))));
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
