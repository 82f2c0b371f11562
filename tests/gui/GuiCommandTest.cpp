// `streamdx gui` and `streamdx run --display` as a user runs them: separate processes on a real
// X server, talking over real ZeroMQ sockets.
#include <gtest/gtest.h>

#include <QColor>
#include <QImage>
#include <csignal>
#include <cstdlib>
#include <regex>
#include <thread>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/FreePort.hpp"
#include "support/KnownRecording.hpp"
#include "support/TestData.hpp"
#include "support/XvfbServer.hpp"

namespace streamdx {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::run_streamdx;

// Running, and not a zombie waiting for whoever reaps orphans.
bool running(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  const std::string stat = testing::read_file("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

TEST(GuiCommand, ReplayScreenshotShowsSeizureAndBackground) {
  const auto dir = testing::scratch_dir("gui-cli-replay");
  const testing::KnownRecording rec = testing::write_known_recording(dir);
  const auto png = dir / "replay.png";
  const auto r = run_streamdx({"gui", "--replay", rec.signal.string(), rec.hyp.string(), "--span",
                               "60", "--screenshot", png.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  QImage shot(QString::fromStdString(png.string()));
  ASSERT_FALSE(shot.isNull());
  EXPECT_EQ(shot.width(), 1600);
  std::size_t red = 0;
  std::size_t green = 0;
  for (int y = 0; y < shot.height(); ++y) {
    for (int x = 0; x < shot.width(); ++x) {
      const QColor c = shot.pixelColor(x, y);
      red += (c.red() > c.green() + 25 && c.red() > c.blue() + 25) ? 1U : 0U;
      green += (c.green() > c.red() + 25 && c.green() > c.blue() + 25) ? 1U : 0U;
    }
  }
  const double pixels = static_cast<double>(shot.width()) * shot.height();
  // 12 of 60 s are seiz, 48 bckg: the shaded areas keep that proportion.
  EXPECT_GT(static_cast<double>(red) / pixels, 0.08);
  EXPECT_GT(static_cast<double>(green) / pixels, 0.35);
  EXPECT_NEAR(static_cast<double>(red) / static_cast<double>(green), 12.0 / 48.0, 0.08);
}

TEST(GuiCommand, BadReplayFilesGetAOneLineErrorNamingThem) {
  const auto dir = testing::scratch_dir("gui-cli-bad");
  const testing::KnownRecording rec = testing::write_known_recording(dir);
  auto r = run_streamdx({"gui", "--replay", (dir / "missing.edf").string(), rec.hyp.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("missing.edf"), std::string::npos) << r.err;

  const auto bad_hyp = dir / "bad.hyp";
  testing::write_file(bad_hyp, "start stop label confidence\n0 1 bckg 0.9\n1 2 seiz\n");
  r = run_streamdx({"gui", "--replay", rec.signal.string(), bad_hyp.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.hyp:3: expected 4 fields"), std::string::npos) << r.err;
}

TEST(GuiCommand, WithoutADisplayItSaysSo) {
  const char* shown = std::getenv("DISPLAY");  // NOLINT(concurrency-mt-unsafe)
  ASSERT_NE(shown, nullptr) << "the test environment starts Xvfb";
  const std::string display = shown;
  unsetenv("DISPLAY");  // NOLINT(concurrency-mt-unsafe)
  const auto r = run_streamdx({"gui", "--connect", "tcp://127.0.0.1:9"});
  setenv("DISPLAY", display.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no display"), std::string::npos) << r.err;
}

// `run --gui`: the viewer starts beside the run, subscribes before the first frame, sees the
// run end and stays open for the person watching; the run's own output is not held by it.
// `gui --epr` on a live `epr run` of the real phalanx data: the screenshot, taken when the run
// ends, shows the final image (bright where the phalanx is, dark around it, with a colour bar)
// and a sinogram with a row for every projection.
TEST(GuiCommand, TheEprViewerShowsTheImageSharpenAndTheSinogramFillIn) {
  STREAMDX_DATA_OR_SKIP(data, "epr/phalanx-2d");
  const auto dir = testing::scratch_dir("gui-epr");
  const auto png = dir / "epr.png";
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  ChildProcess viewer({STREAMDX_BINARY, "gui", "--epr", address, "--screenshot", png.string(),
                       "--screenshot-after", "120", "--stats", (dir / "stats.json").string()});
  const auto r = run_streamdx({"epr", "run", (data / "phalanx-20220203-proj.DSC").string(),
                               "--reference", (data / "phalanx-20220203-h.DSC").string(), "--fgrad",
                               (data / "phalanx-20220203-fgrad.txt").string(), "-o",
                               (dir / "run").string(), "--interval", "0.01", "--display", address,
                               "--wait-viewer", "30", "--set", "epr.rerun_every=40"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto ended = viewer.wait(60s);
  ASSERT_EQ(ended.exit_code, 0) << ended.err;
  const json::Json stats = json::read_file(dir / "stats.json");
  EXPECT_EQ(stats["ended"], true);
  EXPECT_EQ(stats["projections"], 113);
  EXPECT_EQ(stats["missed"], 0);
  EXPECT_GE(stats["tv_images"].get<int>(), 2);  // at least one re-run and the final

  QImage shot(QString::fromStdString(png.string()));
  ASSERT_FALSE(shot.isNull());
  // The image panel (left 3/5): the ramp's bright end where the phalanx is, near-black around
  // it; the sinogram panel (right): every row coloured, none left at the empty panel's grey.
  const int left = shot.width() * 3 / 5;
  std::size_t bright = 0;
  std::size_t dark = 0;
  for (int y = 60; y < shot.height() - 100; ++y) {
    for (int x = 80; x < left - 160; ++x) {
      const QColor c = shot.pixelColor(x, y);
      bright += (c.red() > 180 && c.blue() < 120) ? 1U : 0U;
      dark += (c.red() < 20 && c.green() < 20 && c.blue() < 30) ? 1U : 0U;
    }
  }
  EXPECT_GT(bright, 200U);
  EXPECT_GT(dark, 100'000U);
  int grey_rows = 0;
  for (int y = 60; y < shot.height() - 60; ++y) {
    const QColor c = shot.pixelColor(left + (shot.width() - left) / 2, y);
    grey_rows += (c.red() == 40 && c.green() == 40 && c.blue() == 40) ? 1 : 0;
  }
  EXPECT_EQ(grey_rows, 0);
}

TEST(GuiCommand, RunWithGuiStartsAViewerThatOutlivesTheRun) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-gui");
  const auto r = run_streamdx({"run", "--gui", "--duration", "4", "-o", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(R"re(viewer started \(pid (\d+)\))re")))
      << r.err;
  const pid_t viewer = std::stoi(m[1].str());
  EXPECT_EQ(r.err.find("no viewer subscribed"), std::string::npos) << r.err;
  EXPECT_TRUE(running(viewer)) << "the viewer stays open after the run";
  EXPECT_FALSE(testing::read_file(dir / "synthetic-demo.hyp").empty());
  ::kill(viewer, SIGTERM);
  for (int i = 0; i < 100 && running(viewer); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(running(viewer)) << "SIGTERM closes the viewer";
}

// The X server dies under a live viewer: Qt ends the process, which exits 1 with one line and
// still writes --stats, instead of aborting on the feed thread's ZeroMQ error (issue 26).
TEST(GuiCommand, ALostDisplayEndsTheViewerCleanlyAndKeepsItsStats) {
  const auto dir = testing::scratch_dir("gui-lost-x");
  const auto stats = dir / "stats.json";
  // The suite's own Xvfb set DISPLAY before any thread started (GuiTestMain.cpp).
  const char* display = std::getenv("DISPLAY");  // NOLINT(concurrency-mt-unsafe)
  const std::string shared_display = display != nullptr ? display : "";
  auto lost = std::make_unique<testing::XvfbServer>();  // exports its DISPLAY to the child
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  ChildProcess viewer({STREAMDX_BINARY, "gui", "--connect", address, "--stats", stats.string()});
  setenv("DISPLAY", shared_display.c_str(), 1);  // NOLINT(concurrency-mt-unsafe): test thread
  std::this_thread::sleep_for(3s);
  lost.reset();  // kills that X server
  const auto ended = viewer.wait(std::chrono::seconds(20));
  EXPECT_EQ(ended.exit_code, 1) << ended.err;
  EXPECT_EQ(ended.err.find("terminate called"), std::string::npos) << ended.err;
  EXPECT_NE(ended.err.find("the display connection was lost"), std::string::npos) << ended.err;
  EXPECT_NE(testing::read_file(stats).find("\"stream_ended\": false"), std::string::npos);
}

// The issue's acceptance test: the pipeline at real-time pace with a viewer attached; the viewer
// is frozen (SIGSTOP) for 10 s and resumed. The detections are byte-identical to a run without
// any viewer, and the viewer counted what it could not show.
TEST(GuiCommand, AFrozenViewerNeverChangesTheDetections) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("gui-stall");
  // A seizure while the viewer is frozen, for a whole minute (issue 26's fault list).
  const std::vector<std::string> recording = {"--duration", "76",
                                              "--set",      "simulate.discharge_start_s=20",
                                              "--set",      "simulate.discharge_length_s=30"};
  auto args = [&](std::vector<std::string> head) {
    head.insert(head.end(), recording.begin(), recording.end());
    return head;
  };
  const auto ref = run_streamdx(args({"run", "-o", (dir / "alone").string()}));
  ASSERT_EQ(ref.exit_code, 0) << ref.err;

  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  const auto stats = dir / "viewer-stats.json";
  ChildProcess viewer({STREAMDX_BINARY, "gui", "--connect", address, "--stats", stats.string()});
  ChildProcess run(args({STREAMDX_BINARY, "run", "--realtime", "--display", "@" + address,
                         "--wait-viewer", "20", "-o", (dir / "viewed").string()}));
  std::this_thread::sleep_for(5s);
  viewer.send_signal(SIGSTOP);
  std::this_thread::sleep_for(60s);
  viewer.send_signal(SIGCONT);
  const auto ran = run.wait(std::chrono::seconds(60));
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.err.find("no viewer subscribed"), std::string::npos) << ran.err;
  std::this_thread::sleep_for(1500ms);
  viewer.send_signal(SIGTERM);
  const auto viewed = viewer.wait(std::chrono::seconds(20));
  ASSERT_EQ(viewed.exit_code, 0) << viewed.err;

  const std::string alone_hyp = testing::read_file(dir / "alone" / "synthetic-demo.hyp");
  const std::string viewed_hyp = testing::read_file(dir / "viewed" / "synthetic-demo.hyp");
  ASSERT_FALSE(alone_hyp.empty());
  EXPECT_EQ(viewed_hyp, alone_hyp);

  const std::string json = testing::read_file(stats);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(json, m, std::regex(R"re("dropped_for_display": (\d+))re")))
      << json;
  EXPECT_GT(std::stoull(m[1].str()), 0U) << json;
  ASSERT_TRUE(std::regex_search(json, m, std::regex(R"re("signal_frames_shown": (\d+))re")));
  EXPECT_GT(std::stoull(m[1].str()), 100U) << "the viewer showed the rest of the run: " << json;
  EXPECT_NE(json.find("\"stream_ended\": true"), std::string::npos) << json;
}

// A display feed beyond loopback needs CURVE keys (issue 26): refused without, naming keygen;
// with them, a viewer holding the feed's public key shows it live.
TEST(GuiCommand, ADisplayFeedBeyondLoopbackIsCurveAndTheViewerReadsIt) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("gui-curve");
  const std::string port = std::to_string(testing::free_tcp_port());
  const auto refused = run_streamdx({"run", "--duration", "2", "--display",
                                     "@tcp://0.0.0.0:" + port, "-o", (dir / "refused").string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("streamdx keygen"), std::string::npos) << refused.err;

  ASSERT_EQ(run_streamdx({"keygen", "-o", (dir / "feed").string()}).exit_code, 0);
  const auto stats = dir / "stats.json";
  ChildProcess viewer({STREAMDX_BINARY, "gui", "--connect", "tcp://127.0.0.1:" + port, "--set",
                       "zmq.curve_server_key=" + (dir / "feed.pub").string(), "--stats",
                       stats.string()});
  const auto ran =
      run_streamdx({"run", "--realtime", "--duration", "4", "--display", "@tcp://0.0.0.0:" + port,
                    "--wait-viewer", "20", "--set", "zmq.curve_key=" + (dir / "feed.key").string(),
                    "-o", (dir / "viewed").string()});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.err.find("no viewer subscribed"), std::string::npos) << ran.err;
  std::this_thread::sleep_for(1500ms);
  viewer.send_signal(SIGTERM);
  ASSERT_EQ(viewer.wait(std::chrono::seconds(20)).exit_code, 0);
  const std::string json = testing::read_file(stats);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(json, m, std::regex(R"re("signal_frames_shown": (\d+))re")))
      << json;
  EXPECT_GT(std::stoull(m[1].str()), 20U) << json;
}

}  // namespace
}  // namespace streamdx
