#include "gui/GuiApp.hpp"

#include <spdlog/spdlog.h>

#include <QApplication>
#include <QImage>
#include <QPixmap>
#include <QScreen>
#include <QTimer>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/SignalStop.hpp"
#include "gui/EprViewerWindow.hpp"
#include "gui/LiveFeedController.hpp"
#include "gui/ReplayLoader.hpp"
#include "gui/ViewerWindow.hpp"
#include "io/AtomicFile.hpp"

namespace streamdx {

namespace {

// Read before any thread starts (run_gui's first step).
bool have_display() {
  const char* platform = std::getenv("QT_QPA_PLATFORM");  // NOLINT(concurrency-mt-unsafe)
  const char* x11 = std::getenv("DISPLAY");               // NOLINT(concurrency-mt-unsafe)
  const char* wayland = std::getenv("WAYLAND_DISPLAY");   // NOLINT(concurrency-mt-unsafe)
  return (platform != nullptr && *platform != '\0') || (x11 != nullptr && *x11 != '\0') ||
         (wayland != nullptr && *wayland != '\0');
}

// What is on the screen inside the window (the X server's pixels under Xvfb); the widget's
// own rendering where the platform cannot grab the screen (offscreen).
QImage grab_window(QWidget& window) {
  QPixmap shot;
  if (QScreen* screen = window.screen()) shot = screen->grabWindow(window.winId());
  if (shot.isNull() || shot.size() != window.size()) shot = window.grab();
  return shot.toImage();
}

void save_png(const QImage& image, const std::filesystem::path& path) {
  const std::filesystem::path tmp = path.string() + ".tmp.png";
  if (!image.save(QString::fromStdString(tmp.string()), "PNG")) {
    throw std::runtime_error(path.string() + ": cannot write the screenshot");
  }
  std::filesystem::rename(tmp, path);
}

// Replay: the view where asked, and the status line. False (logged) when there is no such event.
bool prepare_replay(ViewerWindow& window, const ViewerModel& model, const GuiOptions& options) {
  window.set_start(options.at_s);
  if (options.event > 0) {
    window.set_start(0);
    for (int k = 0; k < options.event; ++k) {
      if (!window.jump_to_event(+1)) {
        spdlog::error("gui: {} has fewer than {} seizure events", options.replay_hyp,
                      options.event);
        return false;
      }
    }
  }
  const std::size_t events = seizure_events(model.epochs).size();
  window.set_status(QString("REPLAY · %1 · %2 channels · %3 s · %4 seizure event%5")
                        .arg(QString::fromStdString(model.title))
                        .arg(model.labels.size())
                        .arg(model.duration_s, 0, 'f', 1)
                        .arg(events)
                        .arg(events == 1 ? "" : "s"));
  return true;
}

// --screenshot: grabs the window once it is on screen and painted (replay) or after the wait
// asked for (live), then quits. `failed` becomes 1 when the file cannot be written.
void schedule_screenshot(QTimer& timer, QWidget& window, const GuiOptions& options, bool live,
                         int& failed) {
  if (options.screenshot.empty()) return;
  const int after_ms = static_cast<int>(1000 * (live ? std::max(options.screenshot_after_s, 0.5)
                                                     : std::max(options.screenshot_after_s, 0.3)));
  // A timer of our own, not QTimer::singleShot(functor), whose Qt-owned allocation clang's
  // static analyser reports as a leak.
  timer.setSingleShot(true);
  timer.callOnTimeout(QCoreApplication::instance(), [&window, &options, &failed] {
    try {
      save_png(grab_window(window), options.screenshot);
    } catch (const std::exception& e) {
      spdlog::error("gui: {}", e.what());
      failed = 1;
    }
    QCoreApplication::quit();
  });
  timer.start(after_ms);
}

// Qt ends the process with exit(1) when the X connection breaks, without returning from exec():
// the live feed's statistics are then written by this exit handler, from the controller that
// still lives on run_gui's stack. A normal return writes them itself and clears the pointer.
struct StatsAtExit {
  const LiveFeedController* feed = nullptr;
  std::string path;
};
StatsAtExit& stats_at_exit() {
  static StatsAtExit s;
  return s;
}

void write_stats_at_exit() {
  const StatsAtExit& s = stats_at_exit();
  if (s.feed == nullptr) return;
  try {
    write_file_atomically(s.path, s.feed->stats_json());
    spdlog::error("gui: the display connection was lost; the feed's statistics are in {}", s.path);
  } catch (const std::exception& e) {
    spdlog::error("gui: the display connection was lost, and {}", e.what());
  }
}

// --epr: the live EPR viewer, its screenshot and its statistics.
int run_epr_viewer(const GuiOptions& options) {
  ZmqEndpoint endpoint = ZmqEndpoint::parse(options.epr, ZmqRole::kConnect, false);
  endpoint.curve_server_key = options.curve_server_key;
  endpoint.curve_keys = options.curve_keys;
  EprViewerWindow window(std::move(endpoint));
  window.show();
  int failed = 0;
  QTimer screenshot_timer;
  schedule_screenshot(screenshot_timer, window, options, true, failed);
  // With a screenshot asked for, the end of the run takes it at once (--screenshot-after is
  // then the longest wait).
  if (!options.screenshot.empty())
    window.on_ended([&screenshot_timer] { screenshot_timer.start(0); });
  const int rc = QApplication::exec();
  if (!options.stats.empty()) write_file_atomically(options.stats, window.stats_json());
  return rc != 0 ? rc : failed;
}

}  // namespace

int run_gui(const GuiOptions& options) {
  const bool live = !options.connect.empty();
  const int modes = static_cast<int>(live) + static_cast<int>(!options.replay_signal.empty()) +
                    static_cast<int>(!options.epr.empty());
  if (modes != 1) {
    spdlog::error("gui: give one of --connect ADDR, --epr ADDR or --replay SIGNAL.edf HYP");
    return 2;
  }
  if (!have_display()) {
    spdlog::error(
        "gui: no display (DISPLAY is not set): run it on a desktop, under xvfb-run, or with "
        "QT_QPA_PLATFORM=offscreen");
    return 1;
  }
  // Before Qt starts its threads, so that SIGINT/SIGTERM reach SignalStop's thread only.
  SignalStop stop([](int /*signal*/) {
    if (QCoreApplication* app = QCoreApplication::instance()) {
      // By name: the functor overload allocates a slot object that Qt owns, which clang's
      // static analyser reports as a leak.
      QMetaObject::invokeMethod(app, "quit", Qt::QueuedConnection);
    }
  });

  int argc = 1;
  std::array<char*, 2> argv = {const_cast<char*>("streamdx"), nullptr};  // NOLINT
  QApplication app(argc, argv.data());
  if (!options.epr.empty()) return run_epr_viewer(options);

  ViewerModel model;
  try {
    if (live) {
      model.title = options.connect;  // before the window, which shows it in its title
    } else {
      model = load_replay(options.replay_signal, options.replay_hyp);
    }
  } catch (const std::exception& e) {
    spdlog::error("gui: {}", e.what());
    return 1;
  }
  ViewerWindow window(model, live ? ViewerMode::kLive : ViewerMode::kReplay, options.span_s,
                      options.uv_per_div);
  std::unique_ptr<LiveFeedController> feed;
  if (live) {
    ZmqEndpoint endpoint = ZmqEndpoint::parse(options.connect, ZmqRole::kConnect, false);
    endpoint.curve_server_key = options.curve_server_key;
    endpoint.curve_keys = options.curve_keys;
    feed = std::make_unique<LiveFeedController>(std::move(endpoint), model, window);
    if (!options.stats.empty()) {
      stats_at_exit() = StatsAtExit{feed.get(), options.stats};
      static const bool registered = std::atexit(write_stats_at_exit) == 0;
      if (!registered) spdlog::warn("gui: cannot register the exit handler for --stats");
    }
  } else if (!prepare_replay(window, model, options)) {
    return 1;
  }
  window.show();

  int failed = 0;
  QTimer screenshot_timer;
  schedule_screenshot(screenshot_timer, window, options, live, failed);
  const int rc = QApplication::exec();
  stats_at_exit().feed = nullptr;  // written here, not again at exit
  if (feed && !options.stats.empty()) {
    write_file_atomically(options.stats, feed->stats_json());
  }
  return rc != 0 ? rc : failed;
}

}  // namespace streamdx
