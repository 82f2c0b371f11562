// SIGTERM and SIGINT stop a running pipeline cleanly: every frame taken is written, and the
// output file is complete and valid. SIGKILL leaves no file under the final name.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#include "io/FrameFile.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

namespace fs = std::filesystem;

struct Stopped {
  testing::ChildExit exit;
  fs::path output;
};

Stopped start_then_signal(int sig, const std::string& tag) {
  const fs::path out = testing::scratch_dir(tag) / "out.sdxf";
  testing::ChildProcess child({STREAMDX_BINARY, "stream", "--from", "sim", "--realtime",
                               "--duration", "600", "--to", out.string()});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  child.send_signal(sig);
  return {child.wait(std::chrono::seconds(20)), out};
}

void expect_complete_file(const Stopped& s) {
  ASSERT_FALSE(s.exit.timed_out) << "the pipeline did not stop";
  EXPECT_EQ(s.exit.exit_code, 0) << s.exit.err;
  EXPECT_NE(s.exit.err.find("stopping"), std::string::npos) << s.exit.err;
  ASSERT_TRUE(fs::exists(s.output));
  EXPECT_FALSE(fs::exists(s.output.string() + ".part"));
  const std::vector<Frame> frames = FrameFileReader::read_all(s.output);  // throws if invalid
  // 1.5 s at real-time pace is about 15 frames; allow for a slow start on a loaded machine.
  EXPECT_GE(frames.size(), 3U);
  EXPECT_LE(frames.size(), 20U);
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(frames[i].sequence, i);
}

TEST(Shutdown, SigtermFlushesACompleteValidFile) {
  expect_complete_file(start_then_signal(SIGTERM, "sigterm"));
}

TEST(Shutdown, SigintFlushesACompleteValidFile) {
  expect_complete_file(start_then_signal(SIGINT, "sigint"));
}

// `run` with the model loaded, and OpenBLAS's worker threads running (LibTorch starts them when
// it loads, before the run's own stop handler exists): the signal must still stop the run
// cleanly, with every output written, not kill it with only a .part file left.
void expect_run_stops_cleanly(int sig, const std::string& tag) {
  if (!STREAMDX_HAVE_TORCH) GTEST_SKIP() << "built without LibTorch (STREAMDX_WITH_TORCH=OFF)";
  const fs::path out = testing::scratch_dir(tag) / "out";
  testing::ChildProcess child({"/usr/bin/env", "OPENBLAS_NUM_THREADS=2", STREAMDX_BINARY, "run",
                               "--realtime", "-o", out.string()});
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  child.send_signal(sig);
  const testing::ChildExit e = child.wait(std::chrono::seconds(20));
  ASSERT_FALSE(e.timed_out) << "the run did not stop";
  EXPECT_EQ(e.signal, 0) << "killed by signal " << e.signal << "\n" << e.err;
  EXPECT_EQ(e.exit_code, 0) << e.err;
  for (const char* f : {"synthetic-demo.hyp", "synthetic-demo.tse", "synthetic-demo.csv_bi",
                        "synthetic-demo.edf", "run.json"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
    EXPECT_FALSE(fs::exists(out / (std::string(f) + ".part"))) << f;
  }
  const std::string csv = testing::read_file(out / "synthetic-demo.csv_bi");
  EXPECT_NE(csv.find("# INCOMPLETE: the run stopped at "), std::string::npos) << csv;
  EXPECT_NE(testing::read_file(out / "run.json").find("\"stopped\""), std::string::npos);
}

TEST(Shutdown, SigtermStopsARunWhoseLibrariesStartedThreadsAndWritesEveryOutput) {
  expect_run_stops_cleanly(SIGTERM, "run-sigterm");
}

TEST(Shutdown, SigintStopsARunWhoseLibrariesStartedThreadsAndWritesEveryOutput) {
  expect_run_stops_cleanly(SIGINT, "run-sigint");
}

// SIGTERM while the model loads (100 ms after start): one line, the signal's own exit status,
// and nothing written, because nothing was processed. Should the load already have finished,
// the run stops the usual way instead, with every output saying INCOMPLETE.
TEST(Shutdown, SigtermDuringTheModelLoadSaysSoAndLeavesNothingHalfDone) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("sigterm-load");
  testing::ChildProcess run({STREAMDX_BINARY, "run", "-o", (dir / "out").string()});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  run.send_signal(SIGTERM);
  const auto ended = run.wait(std::chrono::seconds(30));
  if (ended.exit_code == 128 + SIGTERM) {
    EXPECT_NE(ended.err.find("SIGTERM received while starting: stopped, nothing processed"),
              std::string::npos)
        << ended.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out" / "synthetic-demo.hyp"));
  } else {
    ASSERT_EQ(ended.exit_code, 0) << ended.err;
    EXPECT_NE(testing::read_file(dir / "out" / "synthetic-demo.hyp").find("# INCOMPLETE"),
              std::string::npos);
  }
}

TEST(Shutdown, SigkillLeavesNoFileUnderTheFinalName) {
  const Stopped s = start_then_signal(SIGKILL, "sigkill");
  EXPECT_EQ(s.exit.signal, SIGKILL);
  EXPECT_FALSE(fs::exists(s.output)) << "a half-written file must never look finished";
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// --realtime paces a real recording at wall-clock speed: its 2 s take about 2 s, not milliseconds.
TEST(Realtime, AFileIsReplayedAtWallClockSpeed) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/format-samples/tuh");
  const auto file = root / "dev/aaaaaool/s004_2013/01_tcp_ar/aaaaaool_s004_t001.edf";
  const auto start = std::chrono::steady_clock::now();
  const auto r =
      testing::run_streamdx({"stream", "--from", file.string(), "--realtime", "--to", "null"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(seconds, 1.9) << "2 s of recording must take at least about 2 s";
  EXPECT_NE(r.err.find("20 frames"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// A 200 KB file system, mounted for the test (as root) and unmounted after it.
class TinyDisk {
 public:
  explicit TinyDisk(const fs::path& dir) : dir_(dir) {
    fs::create_directories(dir_);
    const std::string cmd = "mount -t tmpfs -o size=200k tmpfs '" + dir_.string() + "' 2>/dev/null";
    // NOLINTNEXTLINE(cert-env33-c,concurrency-mt-unsafe): the test's own mount, one thread
    mounted_ = std::system(cmd.c_str()) == 0;
  }
  ~TinyDisk() {
    if (mounted_) {
      const std::string cmd = "umount '" + dir_.string() + "'";
      (void)std::system(cmd.c_str());  // NOLINT(cert-env33-c,concurrency-mt-unsafe)
    }
  }
  TinyDisk(const TinyDisk&) = delete;
  TinyDisk& operator=(const TinyDisk&) = delete;
  [[nodiscard]] bool mounted() const { return mounted_; }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

// A full disk: no output is published truncated under its final name, the error names the file
// that could not be written, and the outputs that did fit stay valid.
TEST(FullDisk, NothingTruncatedIsPublishedAndTheErrorNamesTheFile) {
  STREAMDX_TORCH_OR_SKIP();
  const fs::path dir = testing::scratch_dir("full-disk") / "disk";
  const TinyDisk disk(dir);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root): skipped";

  const auto stream = testing::run_streamdx(
      {"stream", "--from", "sim", "--duration", "120", "--to", (dir / "x.edf").string()});
  EXPECT_EQ(stream.exit_code, 1) << stream.err;
  EXPECT_NE(stream.err.find((dir / "x.edf").string() + ": not written"), std::string::npos)
      << stream.err;
  EXPECT_FALSE(fs::exists(dir / "x.edf"));
  EXPECT_FALSE(fs::exists(dir / "x.edf.part"));

  const auto features = testing::run_streamdx({"features", "sim", "-o", (dir / "f.npy").string()});
  EXPECT_EQ(features.exit_code, 1);
  EXPECT_NE(features.err.find("No space left on device"), std::string::npos) << features.err;
  EXPECT_FALSE(fs::exists(dir / "f.npy"));

  const auto run = testing::run_streamdx({"run", "-o", (dir / "run").string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("synthetic-demo.edf: not written"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir / "run" / "synthetic-demo.edf"));
  // The detections fit, and say that the run did not finish.
  const std::string csv = testing::read_file(dir / "run" / "synthetic-demo.csv_bi");
  EXPECT_NE(csv.find("# INCOMPLETE: the run stopped at "), std::string::npos) << csv;
}

}  // namespace
}  // namespace streamdx
