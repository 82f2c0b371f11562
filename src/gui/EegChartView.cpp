#include "gui/EegChartView.hpp"

#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QLineSeries>
#include <QPainter>
#include <algorithm>
#include <array>
#include <cmath>

namespace streamdx {

namespace {

// Above the top lane: the strip that holds each epoch's label and confidence.
constexpr double kLabelStrip = 0.7;

const QColor kSeizureShade(220, 0, 0, EegChartView::kShadeAlpha);
const QColor kBackgroundShade(0, 170, 0, EegChartView::kShadeAlpha);

// A "nice" tick interval giving about eight ticks over `span_s`.
double tick_interval(double span_s) {
  constexpr std::array<double, 10> steps = {0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300};
  for (const double s : steps) {
    if (span_s / s <= 8.5) return s;
  }
  return 600;
}

}  // namespace

EegChartView::EegChartView(QWidget* parent) : QChartView(parent) {
  chart_ = new QChart();  // NOLINT(cppcoreguidelines-owning-memory): the view takes ownership
  chart_->legend()->hide();
  chart_->setBackgroundVisible(false);  // drawBackground() paints white and the epochs
  chart_->setPlotAreaBackgroundVisible(false);
  chart_->setMargins(QMargins(4, 4, 12, 4));
  chart_->setAnimationOptions(QChart::NoAnimation);
  setChart(chart_);
  setRenderHint(QPainter::Antialiasing, false);  // 1-px traces: crisper and much faster
  setMinimumSize(640, 360);

  time_axis_ = new QCategoryAxis();  // NOLINT(cppcoreguidelines-owning-memory): chart owns it
  time_axis_->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  time_axis_->setTitleText("recording time / wall clock");
  chart_->addAxis(time_axis_, Qt::AlignBottom);
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
  channel_axis_->setRange(-0.5, n - 0.5 + kLabelStrip);
  channel_axis_->setStartValue(-0.5);
  // Bottom lane first: category axes take ascending values.
  for (std::size_t i = labels.size(); i-- > 0;) {
    channel_axis_->append(QString::fromStdString(labels[i]), n - 1 - static_cast<double>(i));
  }
  const QPen pen(QColor(20, 20, 30), 1.0);
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

void EegChartView::update_time_axis(const ViewWindow& window,
                                    std::optional<std::int64_t> wall_origin_ms) {
  const double end = window.start_s + window.span_s;
  for (const QString& old : time_axis_->categoriesLabels()) time_axis_->remove(old);
  time_axis_->setRange(window.start_s, end);
  time_axis_->setStartValue(window.start_s);
  const double step = tick_interval(window.span_s);
  for (double t = std::ceil(window.start_s / step) * step; t <= end + 1e-9; t += step) {
    QString label = QString::number(t, 'f', step < 1 ? 1 : 0) + " s";
    if (wall_origin_ms) {
      const auto ms = *wall_origin_ms + static_cast<std::int64_t>(std::llround(t * 1000));
      label += "\n" + QDateTime::fromMSecsSinceEpoch(ms).toString("HH:mm:ss");
    }
    time_axis_->append(label, t);
  }
}

void EegChartView::show_window(const TraceHistory& history,
                               const std::vector<EpochDecision>& epochs, const ViewWindow& window,
                               std::optional<std::int64_t> wall_origin_ms) {
  window_ = window;
  update_time_axis(window, wall_origin_ms);

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
  const std::size_t ncols = std::min(width, count);
  samples_.resize(count);
  columns_.resize(ncols);
  const double n = static_cast<double>(labels_.size());
  for (std::size_t c = 0; c < series_.size() && c < history.channels(); ++c) {
    history.read(c, first, samples_);
    decimate_min_max(samples_, columns_);
    const double centre = n - 1 - static_cast<double>(c);
    points_.clear();
    points_.reserve(static_cast<qsizetype>(2 * ncols));
    for (std::size_t k = 0; k < ncols; ++k) {
      const ColumnExtent& e = columns_[k];
      if (e.empty) continue;
      const double t = (static_cast<double>(first) +
                        (static_cast<double>(k) + 0.5) * static_cast<double>(count) /
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
  return decimated_width_ != static_cast<std::size_t>(std::max(64.0, chart_->plotArea().width()));
}

double EegChartView::x_for_time(double t_s) const {
  const QPointF scene = chart_->mapToPosition(QPointF(t_s, 0));
  return mapFromScene(scene).x();
}

QRectF EegChartView::plot_rect() const {
  const QRectF area = chart_->plotArea();
  return {mapFromScene(area.topLeft()), mapFromScene(area.bottomRight())};
}

void EegChartView::drawBackground(QPainter* painter, const QRectF& rect) {
  painter->fillRect(rect, Qt::white);
  const QRectF area = chart_->plotArea();
  if (labels_.empty()) return;
  const double t0 = window_.start_s;
  const double t1 = window_.start_s + window_.span_s;
  const double strip = area.height() * kLabelStrip / (static_cast<double>(labels_.size()) + kLabelStrip);
  QFont font = painter->font();
  font.setPointSizeF(7.5);
  painter->setFont(font);
  const QFontMetrics metrics = painter->fontMetrics();
  for (const EpochDecision& e : visible_epochs_) {
    const double a = chart_->mapToPosition(QPointF(std::max(e.start_s, t0), 0)).x();
    const double b = chart_->mapToPosition(QPointF(std::min(e.stop_s, t1), 0)).x();
    const QRectF shade(a, area.top(), b - a, area.height());
    painter->fillRect(shade, e.seizure ? kSeizureShade : kBackgroundShade);
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
  painter->setPen(QColor(0, 0, 0, 25));
  const double lane = (area.height() - strip) / static_cast<double>(labels_.size());
  for (std::size_t i = 0; i <= labels_.size(); ++i) {
    const double y = area.top() + strip + lane * static_cast<double>(i);
    painter->drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
  }
}

}  // namespace streamdx
