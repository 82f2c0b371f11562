#include "gui/EegChartView.hpp"

#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>

namespace streamdx {

namespace {

// Above the top lane: the strip that holds each epoch's label and confidence, in lanes. About
// 0.7 of a lane with 22 channels; with fewer (and taller) lanes, about the same height on screen.
double label_strip_lanes(std::size_t channels) {
  return 0.7 * std::min(1.0, static_cast<double>(channels) / 22.0);
}

// Shades as seen over white paper, painted opaque: the same look as a translucent red or green,
// at the cost of a fill rather than a blend over a million pixels every frame.
QColor over_white(int r, int g, int b) {
  const auto mix = [](int c) { return 255 - (255 - c) * EegChartView::kShadeAlpha / 255; };
  return {mix(r), mix(g), mix(b)};
}
QColor seizure_shade() {
  return over_white(220, 0, 0);
}
QColor background_shade() {
  return over_white(0, 170, 0);
}

// A "nice" tick interval giving about eight ticks over `span_s`.
double tick_interval(double span_s) {
  constexpr std::array<double, 10> steps = {0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300};
  for (const double s : steps) {
    if (span_s / s <= 8.5) return s;
  }
  return 600;
}

// Qt's raster engine hands every fill taller than about 96 rows to its GUI thread pool and
// waits for it. On a small machine the hand-offs cost more than the filling (futex round trips,
// measured in docs/PERFORMANCE.md), so tall fills are done as bands it keeps on this thread.
void fill_in_bands(QPainter* painter, const QRectF& r, const QColor& colour) {
  constexpr double kBandRows = 80;
  const auto bands = static_cast<int>(std::ceil(r.height() / kBandRows));
  for (int k = 0; k < bands; ++k) {
    const double y = r.top() + kBandRows * k;
    painter->fillRect(QRectF(r.left(), y, r.width(), std::min(kBandRows, r.bottom() - y)), colour);
  }
}

}  // namespace

EegChartView::EegChartView(QWidget* parent) : QChartView(parent) {
  chart_ = new QChart();  // NOLINT(cppcoreguidelines-owning-memory): the view takes ownership
  chart_->legend()->hide();
  chart_->setBackgroundVisible(false);  // drawBackground() paints white and the epochs
  chart_->setPlotAreaBackgroundVisible(false);
  chart_->setAnimationOptions(QChart::NoAnimation);
  setChart(chart_);
  // Every item changes every frame: a BSP index or per-item dirty regions cost more than they
  // save, so the whole viewport is repainted in one pass.
  scene()->setItemIndexMethod(QGraphicsScene::NoIndex);
  setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
  setOptimizationFlags(QGraphicsView::DontAdjustForAntialiasing |
                       QGraphicsView::DontSavePainterState);
  // drawBackground() paints every pixel: no need for Qt to clear the viewport first.
  viewport()->setAutoFillBackground(false);
  viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
  setRenderHint(QPainter::Antialiasing, false);  // 1-px traces: crisper and much faster
  setMinimumSize(640, 360);

  time_axis_ = new QValueAxis();  // NOLINT(cppcoreguidelines-owning-memory): the chart owns it
  time_axis_->setTickType(QValueAxis::TicksDynamic);
  time_axis_->setTickAnchor(0);
  time_axis_->setLabelFormat("%.0f s");
  chart_->addAxis(time_axis_, Qt::AlignBottom);
  // Room under the axis labels for the wall-clock row (drawForeground).
  chart_->setMargins(QMargins(4, 4, 12, 22));
  channel_axis_ = new QCategoryAxis();  // NOLINT(cppcoreguidelines-owning-memory): chart owns it
  channel_axis_->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  channel_axis_->setGridLineVisible(false);
  chart_->addAxis(channel_axis_, Qt::AlignLeft);
}

void EegChartView::set_channels(const std::vector<std::string>& labels) {
  if (labels == labels_) return;
  labels_ = labels;
  for (QLineSeries* s : series_) {
    chart_->removeSeries(s);
    delete s;  // NOLINT(cppcoreguidelines-owning-memory): removeSeries hands ownership back
  }
  series_.clear();
  for (const QString& old : channel_axis_->categoriesLabels()) channel_axis_->remove(old);

  const auto n = static_cast<double>(labels.size());
  channel_axis_->setRange(-0.5, n - 0.5 + label_strip_lanes(labels.size()));
  channel_axis_->setStartValue(-0.5);
  // Bottom lane first: category axes take ascending values.
  for (std::size_t i = labels.size(); i-- > 0;) {
    channel_axis_->append(QString::fromStdString(labels[i]), n - 1 - static_cast<double>(i));
  }
  QPen pen(QColor(20, 20, 30), 1.0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto* s = new QLineSeries();  // NOLINT(cppcoreguidelines-owning-memory): chart owns it
    s->setName(QString::fromStdString(labels[i]));
    s->setPen(pen);
    chart_->addSeries(s);
    s->attachAxis(time_axis_);
    s->attachAxis(channel_axis_);
    series_.push_back(s);
  }
}

QStringList EegChartView::channel_labels() const {
  QStringList out = channel_axis_->categoriesLabels();
  std::reverse(out.begin(), out.end());
  return out;
}

void EegChartView::update_time_axis(const ViewWindow& window) {
  const double step = tick_interval(window.span_s);
  if (time_axis_->tickInterval() != step) {
    time_axis_->setTickInterval(step);
    time_axis_->setLabelFormat(step < 1 ? "%.1f s" : "%.0f s");
  }
  time_axis_->setRange(window.start_s, window.start_s + window.span_s);
}

void EegChartView::show_window(const TraceHistory& history,
                               const std::vector<EpochDecision>& epochs, const ViewWindow& window,
                               std::optional<std::int64_t> wall_origin_ms) {
  window_ = window;
  wall_origin_ms_ = wall_origin_ms;
  // Each series change and each axis change makes Qt Charts recompute a series' geometry (a
  // stroke of the whole line, for hit testing: the biggest cost of a frame). Emptying the series
  // first makes the axis change nearly free, so each series is computed once per frame.
  for (QLineSeries* s : series_) s->clear();
  update_time_axis(window);

  visible_epochs_.clear();
  const double end = window.start_s + window.span_s;
  for (const EpochDecision& e : epochs) {
    if (e.stop_s > window.start_s && e.start_s < end) visible_epochs_.push_back(e);
  }

  const double rate = history.rate_hz();
  const auto first = static_cast<std::int64_t>(std::floor(window.start_s * rate));
  const auto count = static_cast<std::size_t>(std::ceil(window.span_s * rate));
  // Two points per pixel column; fewer samples than columns are drawn as they are.
  const auto width = static_cast<std::size_t>(std::max(64.0, chart_->plotArea().width()));
  decimated_width_ = width;
  const std::size_t columns = width / kPixelsPerColumn;
  const std::size_t ncols = std::min(columns, count);
  samples_.resize(count);
  columns_.resize(ncols);
  const double n = static_cast<double>(labels_.size());
  for (std::size_t c = 0; c < series_.size() && c < history.channels(); ++c) {
    history.read(c, first, samples_);
    decimate_min_max(samples_, columns_);
    const double centre = n - 1 - static_cast<double>(c);
    points_.clear();
    points_.reserve(2 * static_cast<qsizetype>(ncols));
    for (std::size_t k = 0; k < ncols; ++k) {
      const ColumnExtent& e = columns_[k];
      if (e.empty) continue;
      const double t = (static_cast<double>(first) + (static_cast<double>(k) + 0.5) *
                                                         static_cast<double>(count) /
                                                         static_cast<double>(ncols)) /
                       rate;
      // In the order they occur, so the trace runs on from where the last column ended.
      const double first_value = e.min_first ? e.min : e.max;
      const double second_value = e.min_first ? e.max : e.min;
      points_.append(QPointF(t, centre + first_value / window.uv_per_div));
      if (e.max != e.min) points_.append(QPointF(t, centre + second_value / window.uv_per_div));
    }
    series_[c]->replace(points_);
  }
  viewport()->update();  // the shading lives in the background layer
}

bool EegChartView::decimated_for_other_width() const {
  // Axis labels of changing width nudge the plot area by a pixel or two as the view scrolls;
  // only a real resize is worth a second pass.
  const double now = std::max(64.0, chart_->plotArea().width());
  return std::abs(now - static_cast<double>(decimated_width_)) > 0.02 * now;
}

double EegChartView::x_for_time(double t_s) const {
  const QPointF scene = chart_->mapToPosition(QPointF(t_s, 0));
  return mapFromScene(scene).x();
}

QRectF EegChartView::plot_rect() const {
  const QRectF area = chart_->plotArea();
  return {mapFromScene(area.topLeft()), mapFromScene(area.bottomRight())};
}

void EegChartView::drawForeground(QPainter* painter, const QRectF& /*rect*/) {
  if (!wall_origin_ms_ || labels_.empty()) return;
  // The wall-clock row under the recording-time labels, at the same ticks.
  const double step = tick_interval(window_.span_s);
  const double end = window_.start_s + window_.span_s;
  QFont font = painter->font();
  font.setPointSizeF(8);
  painter->setFont(font);
  painter->setPen(QColor(90, 90, 90));
  const double y = chart_->geometry().bottom() - 20;
  const auto first_tick = static_cast<long>(std::ceil(window_.start_s / step));
  for (long k = first_tick; static_cast<double>(k) * step <= end + 1e-9; ++k) {
    const double t = static_cast<double>(k) * step;
    const double x = chart_->mapToPosition(QPointF(t, 0)).x();
    const auto ms = *wall_origin_ms_ + static_cast<std::int64_t>(std::llround(t * 1000));
    const QString text = QDateTime::fromMSecsSinceEpoch(ms).toString("HH:mm:ss");
    painter->drawText(QRectF(x - 40, y, 80, 18), Qt::AlignCenter, text);
  }
}

void EegChartView::drawBackground(QPainter* painter, const QRectF& rect) {
  const QRectF area = chart_->plotArea();
  if (labels_.empty()) {
    fill_in_bands(painter, rect, Qt::white);
    return;
  }
  const double t0 = window_.start_s;
  const double t1 = window_.start_s + window_.span_s;
  const double strip_lanes = label_strip_lanes(labels_.size());
  const double strip =
      area.height() * strip_lanes / (static_cast<double>(labels_.size()) + strip_lanes);
  QFont font = painter->font();
  font.setPointSizeF(7.5);
  painter->setFont(font);
  const QFontMetrics metrics = painter->fontMetrics();
  const auto x_of = [&](double t) { return chart_->mapToPosition(QPointF(t, 0)).x(); };

  // Every pixel is painted each frame (the viewport is not cleared first): paper above and
  // below the plot, then across the plot band from left to right, paper where no epoch is
  // decided yet and one shaded fill per run of equal labels. One fill per run, not per epoch:
  // Qt splits every tall fill across its GUI thread pool, and thirty such hand-offs a frame
  // cost more than the filling itself.
  const QRectF all = rect.united(sceneRect());
  fill_in_bands(painter, QRectF(all.left(), all.top(), all.width(), area.top() - all.top()),
                Qt::white);
  fill_in_bands(painter,
                QRectF(all.left(), area.bottom(), all.width(), all.bottom() - area.bottom()),
                Qt::white);
  double covered = all.left();
  const auto paper_until = [&](double x) {
    if (x > covered)
      fill_in_bands(painter, QRectF(covered, area.top(), x - covered, area.height()), Qt::white);
    covered = std::max(covered, x);
  };
  for (std::size_t i = 0; i < visible_epochs_.size();) {
    std::size_t j = i + 1;
    while (j < visible_epochs_.size() && visible_epochs_[j].seizure == visible_epochs_[i].seizure &&
           visible_epochs_[j].start_s <= visible_epochs_[j - 1].stop_s + 1e-6) {
      ++j;
    }
    const double a = x_of(std::max(visible_epochs_[i].start_s, t0));
    const double b = x_of(std::min(visible_epochs_[j - 1].stop_s, t1));
    paper_until(a);
    fill_in_bands(painter, QRectF(a, area.top(), b - a, area.height()),
                  visible_epochs_[i].seizure ? seizure_shade() : background_shade());
    covered = std::max(covered, b);
    i = j;
  }
  paper_until(all.right());
  for (const EpochDecision& e : visible_epochs_) {
    const double a = x_of(std::max(e.start_s, t0));
    const double b = x_of(std::min(e.stop_s, t1));
    // The longest label that fits: "SEIZ 88%", "SZ 88", "88".
    const int pct = static_cast<int>(std::lround(100 * e.confidence));
    const std::array<QString, 3> texts = {
        QString("%1 %2%").arg(e.seizure ? "SEIZ" : "BCKG").arg(pct),
        QString("%1 %2").arg(e.seizure ? "SZ" : "BG").arg(pct), QString::number(pct)};
    const QRectF label(a, area.top(), b - a, strip);
    painter->setPen(e.seizure ? QColor(150, 0, 0) : QColor(0, 100, 0));
    for (const QString& text : texts) {
      if (metrics.horizontalAdvance(text) + 2 <= label.width()) {
        painter->drawText(label, Qt::AlignCenter, text);
        break;
      }
    }
  }
  // Lane separators keep 22 channels legible.
  // Opaque: a translucent line is blended through Qt's thread pool (see fill_in_bands).
  painter->setPen(QColor(200, 200, 200));
  const double lane = (area.height() - strip) / static_cast<double>(labels_.size());
  for (std::size_t i = 0; i <= labels_.size(); ++i) {
    const double y = area.top() + strip + lane * static_cast<double>(i);
    painter->drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
  }
}

}  // namespace streamdx
