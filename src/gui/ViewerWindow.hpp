#pragma once
// ViewerWindow: the visualizer's main window, for both uses:
// - live: the view follows the newest sample; the status line says how old it is;
// - replay: a finished run, with a position bar, jumps to the previous and next seizure event,
//   and zoom (the span box, + and -, Ctrl+wheel).
// Both: gain (µV per division) and span controls, the traces with their epoch shading, and a
// red alarm banner while a seizure event is open at the right edge of the view.
#include <QMainWindow>
#include <QString>
#include <cstdint>

#include "gui/EegChartView.hpp"
#include "gui/ViewerModel.hpp"

QT_BEGIN_NAMESPACE
class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollBar;
QT_END_NAMESPACE

namespace streamdx {

enum class ViewerMode { kLive, kReplay };

class ViewerWindow final : public QMainWindow {
 public:
  ViewerWindow(ViewerModel& model, ViewerMode mode, double span_s, double uv_per_div);

  // Call after the model changed: live follows the newest sample, replay keeps its position.
  void refresh();
  void set_status(const QString& text);
  // Replay: moves the view to start at `t_s` (clamped to the recording).
  void set_start(double t_s);
  // Replay: centres the next (+1) or previous (-1) seizure event; false when there is none.
  bool jump_to_event(int direction);
  void set_span(double span_s);
  // Live: how far the clock has run past the newest sample (up to one frame), so the traces
  // scroll smoothly between frames instead of jumping ten times a second.
  void set_live_lead(double lead_s) { live_lead_s_ = lead_s; }

  [[nodiscard]] const ViewWindow& view() const noexcept { return view_; }
  [[nodiscard]] EegChartView* chart() const noexcept { return chart_; }
  [[nodiscard]] std::uint64_t redraws() const noexcept { return redraws_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void build_controls(double span_s, double uv_per_div);
  void add_replay_navigation(QHBoxLayout* bar, QWidget* central);
  void update_position_bar();
  void update_alarm();
  void zoom(int steps);

  ViewerModel& model_;
  ViewerMode mode_;
  ViewWindow view_;
  EegChartView* chart_ = nullptr;
  QLabel* alarm_ = nullptr;
  QLabel* status_ = nullptr;
  QComboBox* gain_ = nullptr;
  QComboBox* span_ = nullptr;
  QScrollBar* position_ = nullptr;
  QPushButton* previous_ = nullptr;
  QPushButton* next_ = nullptr;
  std::uint64_t redraws_ = 0;
  double live_lead_s_ = 0;
  bool updating_bar_ = false;
};

}  // namespace streamdx
