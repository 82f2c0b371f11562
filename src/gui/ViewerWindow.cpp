#include "gui/ViewerWindow.hpp"

#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QStatusBar>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace streamdx {

namespace {

constexpr std::array<double, 9> kGains = {5, 10, 20, 50, 100, 200, 500, 1000, 2000};
constexpr std::array<double, 3> kLiveSpans = {10, 30, 60};
constexpr std::array<double, 7> kReplaySpans = {5, 10, 30, 60, 120, 300, 600};
constexpr int kPositionSteps = 10;  // position bar steps per second

template <std::size_t N>
void fill_combo(QComboBox* box, const std::array<double, N>& values, double selected,
                const char* unit) {
  for (const double v : values) box->addItem(QString("%1 %2").arg(v).arg(unit), v);
  const auto it = std::min_element(values.begin(), values.end(), [&](double a, double b) {
    return std::abs(a - selected) < std::abs(b - selected);
  });
  box->setCurrentIndex(static_cast<int>(it - values.begin()));
}

}  // namespace

ViewerWindow::ViewerWindow(ViewerModel& model, ViewerMode mode, double span_s, double uv_per_div)
    : model_(model), mode_(mode) {
  setWindowTitle(QString("streamdx %1 — %2")
                     .arg(mode == ViewerMode::kLive ? "live" : "replay")
                     .arg(QString::fromStdString(model.title)));
  build_controls(span_s, uv_per_div);
  resize(1600, 1000);
}

// Replay only: the previous/next seizure buttons, and the N, P, + and - keys.
void ViewerWindow::add_replay_navigation(QHBoxLayout* bar, QWidget* central) {
  previous_ = new QPushButton("◀ Previous seizure (P)", central);  // NOLINT
  previous_->setObjectName("previousEvent");
  next_ = new QPushButton("Next seizure (N) ▶", central);  // NOLINT
  next_->setObjectName("nextEvent");
  bar->addWidget(previous_);
  bar->addWidget(next_);
  connect(previous_, &QPushButton::clicked, this, [this] { jump_to_event(-1); });
  connect(next_, &QPushButton::clicked, this, [this] { jump_to_event(+1); });
  auto* key_next = new QShortcut(QKeySequence(Qt::Key_N), this);      // NOLINT
  auto* key_previous = new QShortcut(QKeySequence(Qt::Key_P), this);  // NOLINT
  auto* key_in = new QShortcut(QKeySequence(Qt::Key_Plus), this);     // NOLINT
  auto* key_out = new QShortcut(QKeySequence(Qt::Key_Minus), this);   // NOLINT
  connect(key_next, &QShortcut::activated, this, [this] { jump_to_event(+1); });
  connect(key_previous, &QShortcut::activated, this, [this] { jump_to_event(-1); });
  connect(key_in, &QShortcut::activated, this, [this] { zoom(-1); });
  connect(key_out, &QShortcut::activated, this, [this] { zoom(+1); });
}

void ViewerWindow::build_controls(double span_s, double uv_per_div) {
  auto* central = new QWidget(this);  // NOLINT(cppcoreguidelines-owning-memory): Qt parent owns
  auto* layout = new QVBoxLayout(central);  // NOLINT(cppcoreguidelines-owning-memory)
  layout->setContentsMargins(6, 6, 6, 6);

  alarm_ = new QLabel(central);  // NOLINT(cppcoreguidelines-owning-memory)
  alarm_->setObjectName("alarm");
  alarm_->setStyleSheet(
      "QLabel { background: #c00000; color: white; font-weight: bold; font-size: 16pt;"
      " padding: 6px; }");
  alarm_->hide();
  layout->addWidget(alarm_);

  auto* bar = new QHBoxLayout();  // NOLINT(cppcoreguidelines-owning-memory)
  auto* mode = new QLabel(mode_ == ViewerMode::kLive ? "LIVE" : "REPLAY", central);  // NOLINT
  mode->setObjectName("mode");
  mode->setStyleSheet("QLabel { font-weight: bold; padding: 0 8px; }");
  bar->addWidget(mode);
  bar->addWidget(new QLabel("Gain", central));  // NOLINT(cppcoreguidelines-owning-memory)
  gain_ = new QComboBox(central);               // NOLINT(cppcoreguidelines-owning-memory)
  gain_->setObjectName("gain");
  fill_combo(gain_, kGains, uv_per_div, "µV/div");
  bar->addWidget(gain_);
  bar->addWidget(new QLabel("Span", central));  // NOLINT(cppcoreguidelines-owning-memory)
  span_ = new QComboBox(central);               // NOLINT(cppcoreguidelines-owning-memory)
  span_->setObjectName("span");
  if (mode_ == ViewerMode::kLive) {
    fill_combo(span_, kLiveSpans, span_s, "s");
  } else {
    fill_combo(span_, kReplaySpans, span_s, "s");
  }
  bar->addWidget(span_);
  if (mode_ == ViewerMode::kReplay) add_replay_navigation(bar, central);
  bar->addStretch(1);
  layout->addLayout(bar);

  chart_ = new EegChartView(central);  // NOLINT(cppcoreguidelines-owning-memory)
  chart_->setObjectName("traces");
  chart_->set_channels(model_.labels);
  chart_->viewport()->installEventFilter(this);
  // A resize changes the pixel columns the traces are decimated to.
  connect(chart_->chart(), &QChart::plotAreaChanged, this, [this] {
    if (chart_->decimated_for_other_width()) refresh();
  });
  layout->addWidget(chart_, 1);

  if (mode_ == ViewerMode::kReplay) {
    position_ = new QScrollBar(Qt::Horizontal, central);  // NOLINT
    position_->setObjectName("position");
    layout->addWidget(position_);
    connect(position_, &QScrollBar::valueChanged, this, [this](int v) {
      if (!updating_bar_) set_start(static_cast<double>(v) / kPositionSteps);
    });
  }
  setCentralWidget(central);

  status_ = new QLabel(this);  // NOLINT(cppcoreguidelines-owning-memory)
  status_->setObjectName("status");
  statusBar()->addWidget(status_, 1);

  view_.span_s = span_->currentData().toDouble();
  view_.uv_per_div = gain_->currentData().toDouble();
  connect(gain_, &QComboBox::currentIndexChanged, this, [this] {
    view_.uv_per_div = gain_->currentData().toDouble();
    refresh();
  });
  connect(span_, &QComboBox::currentIndexChanged, this,
          [this] { set_span(span_->currentData().toDouble()); });
}

void ViewerWindow::set_span(double span_s) {
  // Zoom about the centre of the view in replay; live keeps following the newest sample.
  const double centre = view_.start_s + view_.span_s / 2;
  view_.span_s = span_s;
  if (mode_ == ViewerMode::kReplay) view_.start_s = centre - span_s / 2;
  const int index = span_->findData(span_s);
  if (index >= 0 && index != span_->currentIndex()) span_->setCurrentIndex(index);
  if (mode_ == ViewerMode::kReplay) {
    set_start(view_.start_s);
  } else {
    refresh();
  }
}

void ViewerWindow::zoom(int steps) {
  const int index = std::clamp(span_->currentIndex() + steps, 0, span_->count() - 1);
  set_span(span_->itemData(index).toDouble());
}

void ViewerWindow::set_start(double t_s) {
  const double last = std::max(0.0, model_.duration_s - view_.span_s);
  view_.start_s = std::clamp(t_s, 0.0, last);
  refresh();
}

bool ViewerWindow::jump_to_event(int direction) {
  const auto events = seizure_events(model_.epochs);
  const double centre = view_.start_s + view_.span_s / 2;
  const std::pair<double, double>* target = nullptr;
  for (const auto& e : events) {
    const double mid = (e.first + e.second) / 2;
    if (direction > 0 && mid > centre + 0.5 && target == nullptr) target = &e;
    if (direction < 0 && mid < centre - 0.5) target = &e;
  }
  if (target == nullptr) return false;
  set_start((target->first + target->second) / 2 - view_.span_s / 2);
  return true;
}

void ViewerWindow::refresh() {
  chart_->set_channels(model_.labels);  // a live feed learns them from its header
  if (mode_ == ViewerMode::kLive) {
    view_.start_s = std::max(0.0, model_.history.end_s() + live_lead_s_ - view_.span_s);
  } else {
    update_position_bar();
  }
  if (!model_.history.empty() || mode_ == ViewerMode::kReplay) {
    chart_->show_window(model_.history, model_.epochs, view_, model_.wall_origin_ms);
  }
  update_alarm();
  ++redraws_;
}

void ViewerWindow::update_position_bar() {
  updating_bar_ = true;
  const double last = std::max(0.0, model_.duration_s - view_.span_s);
  position_->setRange(0, static_cast<int>(std::lround(last * kPositionSteps)));
  position_->setPageStep(static_cast<int>(std::lround(view_.span_s * kPositionSteps)));
  position_->setValue(static_cast<int>(std::lround(view_.start_s * kPositionSteps)));
  updating_bar_ = false;
}

void ViewerWindow::update_alarm() {
  const double at = mode_ == ViewerMode::kLive ? std::numeric_limits<double>::infinity()
                                               : view_.start_s + view_.span_s;
  const std::optional<OpenEvent> event = open_event_at(model_.epochs, at);
  if (!event) {
    alarm_->hide();
    return;
  }
  QString since = QString("%1 s").arg(event->start_s, 0, 'f', 0);
  if (model_.wall_origin_ms) {
    const auto ms = *model_.wall_origin_ms + static_cast<std::int64_t>(event->start_s * 1000);
    since += " (" + QDateTime::fromMSecsSinceEpoch(ms).toString("HH:mm:ss") + ")";
  }
  alarm_->setText(QString("SEIZURE since %1 — confidence %2%")
                      .arg(since)
                      .arg(static_cast<int>(std::lround(100 * event->confidence))));
  alarm_->show();
}

void ViewerWindow::set_status(const QString& text) {
  status_->setText(text);
}

bool ViewerWindow::eventFilter(QObject* watched, QEvent* event) {
  if (mode_ == ViewerMode::kReplay && event->type() == QEvent::Wheel) {
    auto* wheel = static_cast<QWheelEvent*>(
        event);  // NOLINT(cppcoreguidelines-pro-type-static-cast-downcast)
    const int delta = wheel->angleDelta().y();
    if (delta != 0) {
      if ((wheel->modifiers() & Qt::ControlModifier) != 0) {
        zoom(delta > 0 ? -1 : +1);
      } else {
        set_start(view_.start_s + (delta > 0 ? -0.1 : 0.1) * view_.span_s);
      }
      return true;
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

}  // namespace streamdx
