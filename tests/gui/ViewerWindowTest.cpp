// The viewer in real windows on a real X server (Xvfb, see GuiTestMain.cpp), checked through
// screenshots taken from the server and through the widget tree.
#include "gui/ViewerWindow.hpp"

#include <gtest/gtest.h>

#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QScreen>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "gui/LiveFeedController.hpp"
#include "gui/ReplayLoader.hpp"
#include "io/DisplayPublisher.hpp"
#include "io/DisplayTap.hpp"
#include "stages/eeg/Postprocessor.hpp"
#include "support/ChildProcess.hpp"
#include "support/FreePort.hpp"
#include "support/KnownRecording.hpp"

namespace streamdx {
namespace {

using namespace std::chrono_literals;

// Lets the window be mapped, laid out and painted.
void settle(int ms = 600) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    std::this_thread::sleep_for(5ms);
  }
}

// The X server's pixels inside the window.
QImage screenshot(ViewerWindow& w) {
  return w.screen()->grabWindow(w.winId()).toImage();
}

struct Colours {
  double red = 0;    // of the pixels that are not trace ink
  double green = 0;  // likewise
  double ink = 0;    // of all pixels
};

// Under [t0, t1) of the recording, over the lanes: the fractions of reddish and greenish pixels
// among those the traces leave uncovered, and how much is covered.
Colours colours_under(ViewerWindow& w, const QImage& shot, double t0, double t1) {
  EegChartView* chart = w.chart();
  const QRectF plot = chart->plot_rect();
  const int x0 = chart->mapTo(&w, QPoint(static_cast<int>(chart->x_for_time(t0)) + 3, 0)).x();
  const int x1 = chart->mapTo(&w, QPoint(static_cast<int>(chart->x_for_time(t1)) - 3, 0)).x();
  const int y0 = chart->mapTo(&w, QPoint(0, static_cast<int>(plot.top()) + 3)).y();
  const int y1 = chart->mapTo(&w, QPoint(0, static_cast<int>(plot.bottom()) - 3)).y();
  std::size_t red = 0;
  std::size_t green = 0;
  std::size_t ink = 0;
  std::size_t all = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const QColor c = shot.pixelColor(x, y);
      ++all;
      if (std::max({c.red(), c.green(), c.blue()}) < 120) {
        ++ink;
        continue;
      }
      red += (c.red() > c.green() + 25 && c.red() > c.blue() + 25) ? 1U : 0U;
      green += (c.green() > c.red() + 25 && c.green() > c.blue() + 25) ? 1U : 0U;
    }
  }
  if (all == ink) return {0, 0, 1};
  const auto paper = static_cast<double>(all - ink);
  return {static_cast<double>(red) / paper, static_cast<double>(green) / paper,
          static_cast<double>(ink) / static_cast<double>(all)};
}

// The known recording replayed in a shown window, from its start.
struct KnownReplay {
  std::filesystem::path dir;
  testing::KnownRecording recording;
  ViewerModel model;
  std::unique_ptr<ViewerWindow> window;

  KnownReplay(const std::string& name, double span_s)
      : dir(testing::scratch_dir(name)),
        recording(testing::write_known_recording(dir)),
        model(load_replay(recording.signal, recording.hyp)),
        window(std::make_unique<ViewerWindow>(model, ViewerMode::kReplay, span_s, 100)) {
    window->set_start(0);
    window->show();
    settle();
  }
};

TEST(ViewerWindow, ReplayShadesTheSeizureRedAndBackgroundGreen) {
  KnownReplay replay("viewer-replay", 60);
  ViewerWindow& w = *replay.window;
  const auto& dir = replay.dir;
  const QImage shot = screenshot(w);
  ASSERT_FALSE(shot.isNull());
  shot.save(QString::fromStdString((dir / "replay.png").string()));

  const Colours seizure = colours_under(w, shot, 21, 31);
  const Colours before = colours_under(w, shot, 2, 18);
  const Colours after = colours_under(w, shot, 34, 58);
  EXPECT_GT(seizure.red, 0.8) << "under the seizure epochs";
  EXPECT_LT(seizure.green, 0.02);
  EXPECT_GT(before.green, 0.8) << "under background epochs";
  EXPECT_LT(before.red, 0.02);
  EXPECT_GT(after.green, 0.8);
  EXPECT_LT(after.red, 0.02);
  // The traces are drawn over the shading, and the shading is what most of the area shows.
  for (const Colours& c : {seizure, before, after}) {
    EXPECT_GT(c.ink, 0.01);
    EXPECT_LT(c.ink, 0.5);
  }
}

TEST(ViewerWindow, ChannelLabelsComeFromTheSignalFile) {
  KnownReplay replay("viewer-labels", 30);
  ViewerWindow& w = *replay.window;
  const testing::KnownRecording& rec = replay.recording;
  auto* traces = w.findChild<EegChartView*>("traces");
  ASSERT_NE(traces, nullptr);
  QStringList expected;
  for (const std::string& l : rec.labels) expected << QString::fromStdString(l);
  EXPECT_EQ(traces->channel_labels(), expected);
  EXPECT_NE(w.findChild<QWidget*>("gain"), nullptr);
  EXPECT_NE(w.findChild<QWidget*>("span"), nullptr);
  EXPECT_NE(w.findChild<QWidget*>("nextEvent"), nullptr);
}

TEST(ViewerWindow, ReplayJumpsToTheEventAndRaisesTheAlarmThere) {
  KnownReplay replay("viewer-jump", 10);
  ViewerWindow& w = *replay.window;
  auto* alarm = w.findChild<QLabel*>("alarm");
  ASSERT_NE(alarm, nullptr);
  EXPECT_FALSE(alarm->isVisible());
  ASSERT_TRUE(w.jump_to_event(+1));
  EXPECT_NEAR(w.view().start_s + w.view().span_s / 2, 26, 1e-9);  // centred on 20-32 s
  settle(200);
  EXPECT_TRUE(alarm->isVisible());
  EXPECT_TRUE(alarm->text().startsWith("SEIZURE since 20 s")) << alarm->text().toStdString();
  EXPECT_FALSE(w.jump_to_event(+1));          // the only event
  ASSERT_TRUE(w.jump_to_event(-1) == false);  // nothing before it either, from its centre
  w.set_span(60);
  EXPECT_DOUBLE_EQ(w.view().start_s, 0);  // clamped to the recording
}

TEST(ViewerWindow, LiveViewFollowsTheFeedAndRaisesTheAlarm) {
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  auto publisher = std::make_shared<DisplayPublisher>(
      ZmqEndpoint::parse("@" + address, ZmqRole::kBind, false), 100);
  ViewerModel model;
  ViewerWindow w(model, ViewerMode::kLive, 10, 100);
  LiveFeedController feed(ZmqEndpoint::parse(address, ZmqRole::kConnect, false), model, w);
  w.show();
  ASSERT_TRUE(publisher->wait_for_subscriber(5));

  DisplayTap signal(publisher, display::Topic::kSignal, {"C3-P3", "C4-P4", "CZ-PZ"});
  DisplayTap decisions(publisher, display::Topic::kDecision);
  for (std::uint64_t k = 0; k < 50; ++k) {
    auto f = std::make_unique<Frame>();
    f->sequence = k;
    f->sample_rate_hz = 250;
    f->first_sample_ns = static_cast<std::int64_t>(k) * 100'000'000;
    f->reshape({3, 25});
    f->stamp("source");
    (void)signal.process(std::move(f));
    settle(2);  // a fast feed, but paced like a stream, with the GUI thread drawing meanwhile
    if (k % 10 == 9) {
      auto d = std::make_unique<Frame>();
      d->first_sample_ns = static_cast<std::int64_t>(k / 10) * 1'000'000'000;
      d->reshape({1, kDecisionFields});
      d->samples[kLabel] = k >= 30 ? 1.0F : 0.0F;
      d->samples[kConfidence] = 0.8F;
      d->stamp("source");
      d->stamp("postprocess");
      (void)decisions.process(std::move(d));
    }
  }
  settle(800);
  EXPECT_EQ(model.labels, (std::vector<std::string>{"C3-P3", "C4-P4", "CZ-PZ"}));
  EXPECT_EQ(model.epochs.size(), 5U);
  EXPECT_DOUBLE_EQ(model.history.end_s(), 5.0);
  EXPECT_EQ(w.chart()->channel_labels(), (QStringList{"C3-P3", "C4-P4", "CZ-PZ"}));
  auto* alarm = w.findChild<QLabel*>("alarm");
  ASSERT_NE(alarm, nullptr);
  EXPECT_TRUE(alarm->isVisible()) << "epochs 3 and 4 are seiz";
  auto* status = w.findChild<QLabel*>("status");
  ASSERT_NE(status, nullptr);
  EXPECT_TRUE(status->text().contains("decision")) << status->text().toStdString();
  EXPECT_TRUE(status->text().contains("postprocess")) << status->text().toStdString();
  EXPECT_TRUE(status->text().contains("dropped for display 0")) << status->text().toStdString();
  EXPECT_EQ(feed.stats().dropped_for_display, 0U);
}

}  // namespace
}  // namespace streamdx
