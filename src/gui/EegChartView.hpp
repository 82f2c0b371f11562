#pragma once
// EegChartView: the traces. One Qt Charts line series per montage channel, stacked top to
// bottom, labelled on the left; recording time and wall-clock time along the bottom; every
// 1 s epoch shaded behind the traces (red seiz, green bckg) with its label and confidence in a
// strip above them.
//
// Redraw cost is bounded by the screen, not the data: each channel is decimated to its min and
// max over every two-pixel column of the plot area (so a one-sample spike always shows) and
// handed to its series in one replace(). Two-pixel columns, not one, because Qt Charts strokes
// every line for hit testing on each change; one point per pixel halves that and the painting,
// which is what brings 22 channels to 30 frames per second on a 2-core machine
// (docs/PERFORMANCE.md).
#include <QChartView>
#include <QList>
#include <QPointF>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gui/TraceHistory.hpp"
#include "io/DetectionFiles.hpp"

QT_BEGIN_NAMESPACE
class QCategoryAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace streamdx {

// What the view shows: [start_s, start_s + span_s) of the recording at a gain.
struct ViewWindow {
  double start_s = 0;
  double span_s = 30;
  double uv_per_div = 100;  // µV per division; one division is one channel's lane
};

class EegChartView final : public QChartView {
 public:
  static constexpr int kShadeAlpha = 70;  // out of 255: the traces stay readable over it
  static constexpr std::size_t kPixelsPerColumn = 2;

  explicit EegChartView(QWidget* parent = nullptr);

  void set_channels(const std::vector<std::string>& labels);
  // Redraws from `history`, shading `epochs`. `wall_origin_ms`: wall-clock time (ms since the
  // Unix epoch) of recording time 0, when known.
  void show_window(const TraceHistory& history, const std::vector<EpochDecision>& epochs,
                   const ViewWindow& window, std::optional<std::int64_t> wall_origin_ms);

  // The labels on the channel axis, top to bottom (for tests and accessibility).
  [[nodiscard]] QStringList channel_labels() const;
  // Horizontal position of recording time `t_s` in this widget's coordinates.
  [[nodiscard]] double x_for_time(double t_s) const;
  // The plot area in this widget's coordinates.
  [[nodiscard]] QRectF plot_rect() const;
  // True when the plot area's width no longer matches the columns the traces were decimated to
  // (after a resize): the owner should redraw.
  [[nodiscard]] bool decimated_for_other_width() const;

 protected:
  void drawBackground(QPainter* painter, const QRectF& rect) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  void update_time_axis(const ViewWindow& window);

  QChart* chart_ = nullptr;
  QValueAxis* time_axis_ = nullptr;
  QCategoryAxis* channel_axis_ = nullptr;
  std::vector<QLineSeries*> series_;
  std::vector<std::string> labels_;
  std::vector<EpochDecision> visible_epochs_;
  ViewWindow window_;
  std::optional<std::int64_t> wall_origin_ms_;
  std::size_t decimated_width_ = 0;
  // Scratch buffers reused every redraw: no allocation once they have grown.
  std::vector<float> samples_;
  std::vector<ColumnExtent> columns_;
  QList<QPointF> points_;
};

}  // namespace streamdx
