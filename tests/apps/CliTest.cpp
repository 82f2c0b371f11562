// The streamdx binary's contract with its users: exit codes and one-line errors that say what is
// wrong and where.
#include <gtest/gtest.h>

#include <fstream>

#include "io/FrameFile.hpp"
#include "support/ChildProcess.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

using testing::run_streamdx;

bool contains(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

TEST(Cli, VersionNamesTheBuild) {
  const auto r = run_streamdx({"version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "streamdx 0.")) << r.out;
  EXPECT_TRUE(contains(r.out, "GPU:")) << r.out;
  const auto j = run_streamdx({"version", "--json"});
  EXPECT_TRUE(contains(j.out, "\"cuda_devices\": ")) << j.out;
  // The LibTorch plugin loads from beside the binary exactly when the build has LibTorch.
  EXPECT_EQ(contains(j.out, "\"libtorch\": \"1."), STREAMDX_HAVE_TORCH == 1) << j.out;
  EXPECT_EQ(contains(j.out, "\"qt\": \"6."), STREAMDX_HAVE_GUI == 1) << j.out;
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_streamdx({}).exit_code, 2);
  EXPECT_EQ(run_streamdx({"stream"}).exit_code, 2);  // --to is required
  EXPECT_EQ(run_streamdx({"stream", "--to", "null", "--no-such-flag"}).exit_code, 2);
}

TEST(Cli, ConfigOverridesApplyAndTyposAreNamed) {
  const auto ok = run_streamdx({"config", "--set", "simulate.seed=31"});
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_TRUE(contains(ok.out, "seed = 31")) << ok.out;
  const auto bad = run_streamdx({"config", "--set", "simulate.sed=3"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "unknown config key 'simulate.sed'")) << bad.err;
  const auto level = run_streamdx({"config", "--log-level", "loud"});
  EXPECT_EQ(level.exit_code, 1);
  EXPECT_TRUE(contains(level.err, "'log.level' = 'loud': must be one of trace|")) << level.err;
}

TEST(Cli, BadEndpointsAreOneLineErrors) {
  const auto src = run_streamdx({"stream", "--from", "nonsense", "--to", "null"});
  EXPECT_EQ(src.exit_code, 1);
  EXPECT_TRUE(contains(src.err, "cannot read frames from 'nonsense'")) << src.err;
  const auto pub = run_streamdx({"stream", "--from", "sim", "--to", "@tcp://0.0.0.0:5999"});
  EXPECT_EQ(pub.exit_code, 1);
  EXPECT_TRUE(contains(pub.err, "refusing to bind tcp://0.0.0.0:5999 beyond loopback")) << pub.err;
  const auto missing = run_streamdx({"stream", "--from", "/nonexistent/x.sdxf", "--to", "null"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "/nonexistent/x.sdxf: cannot open")) << missing.err;
  // ZeroMQ would take port 99999 modulo 65536, binding 34463 without a word.
  for (const char* to : {"@tcp://127.0.0.1:99999", "@tcp://127.0.0.1:0", "@tcp://127.0.0.1:5x"}) {
    const auto port = run_streamdx({"stream", "--from", "sim", "--to", to, "--duration", "1"});
    EXPECT_EQ(port.exit_code, 1) << to;
    EXPECT_TRUE(contains(port.err, "is not a number from 1 to 65535")) << port.err;
  }
}

// A directory given as a file is named as one, not read as an empty (truncated) file.
TEST(Cli, ADirectoryGivenAsAFileIsNamedAsOne) {
  const auto dir = testing::scratch_dir("cli-directory");
  const std::string d = dir.string();
  const std::vector<std::vector<std::string>> commands = {{"stream", "--from", d, "--to", "null"},
                                                          {"features", d, "-o", "null"},
                                                          {"inspect", d},
                                                          {"score", d, d},
                                                          {"run", d, "-o", (dir / "out").string()}};
  for (const auto& args : commands) {
    const auto r = run_streamdx(args);
    EXPECT_EQ(r.exit_code, 1) << args[0];
    EXPECT_TRUE(contains(r.err, d + ": cannot open")) << args[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "it is a directory")) << args[0] << ": " << r.err;
  }
  if (STREAMDX_HAVE_TORCH == 1) {
    const auto model = run_streamdx({"run", "--model", d, "-o", (dir / "out").string()});
    EXPECT_EQ(model.exit_code, 1);
    EXPECT_TRUE(contains(model.err, d + ": the model is a directory, not a file")) << model.err;
  }
}

// Sample rates outside what acquisition accepts are one-line errors naming the input; below 1 Hz
// the resampler's history would otherwise grow without bound (2.28 GB after 120 s at 1e-9 Hz).
TEST(Cli, ImpossibleSampleRatesAreRefusedNamingTheInput) {
  const auto dir = testing::scratch_dir("cli-rates");
  const auto text = dir / "values.txt";
  {
    std::ofstream out(text);
    for (int i = 0; i < 2000; ++i) out << (i % 7) << "\n";
  }
  // `stream` reads through the same acquisition as `run`, without a model to load.
  for (const char* rate : {"1e-9", "0.5"}) {
    const auto r = run_streamdx(
        {"stream", "--from", text.string(), "--rate", rate, "--montage", "none", "--to", "null"});
    EXPECT_EQ(r.exit_code, 1) << rate;
    EXPECT_TRUE(contains(r.err, text.string() + ": sample rate")) << r.err;
    EXPECT_TRUE(contains(r.err, "is outside 1 to 100000 Hz")) << r.err;
  }
  const auto huge = run_streamdx(
      {"stream", "--from", text.string(), "--rate", "1e9", "--montage", "none", "--to", "null"});
  EXPECT_EQ(huge.exit_code, 1);
  EXPECT_TRUE(contains(huge.err, "'eeg.input_rate_hz' = 1000000000.0: must be 0 to 100000 Hz"))
      << huge.err;
  const auto zero = run_streamdx(
      {"stream", "--from", text.string(), "--rate", "0", "--montage", "none", "--to", "null"});
  EXPECT_EQ(zero.exit_code, 1);
  EXPECT_TRUE(contains(zero.err, "need a sample rate: give --rate HZ (more than 0)")) << zero.err;
}

TEST(Cli, StreamsTheSimulatorThroughTheCoreOnOneOrManyThreads) {
  for (const char* threads : {"single", "per-stage"}) {
    const auto r = run_streamdx(
        {"stream", "--from", "sim", "--duration", "30", "--to", "null", "--threads", threads});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "300 frames")) << r.err;
  }
  for (const char* bad : {"0,2", "1,1", "0", "0,x"}) {
    const auto r = run_streamdx(
        {"stream", "--from", "sim", "--duration", "30", "--to", "null", "--threads", bad});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_TRUE(contains(r.err, std::string("pipeline.threads = '") + bad + "'")) << r.err;
  }
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// inspect's JSON, checked by Python's json module. TCP 22 reads 19 electrodes (not FZ or PZ).
TEST(CliInspect, PrintsValidJsonWithReaderMontageAndReasons) {
  STREAMDX_DATA_OR_SKIP(root, "eeg");
  const std::string check =
      "import json,sys\n"
      "d=json.load(sys.stdin)\n"
      "m=d['montage']\n"
      "print(d['format'], d['reader'], m.get('kind', 'error: ' + m.get('error', '')), "
      "len(m.get('channels', [])), "
      "sum(s['kept'] for s in d['signals']))\n";
  auto inspect = [&](const std::filesystem::path& file) {
    const auto r = testing::run_streamdx({"inspect", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto json_path = testing::scratch_dir("inspect") / "out.json";
    std::ofstream(json_path) << r.out;
    const auto py = testing::run_streamdx_like({"/usr/bin/python3", "-c", check}, json_path);
    EXPECT_EQ(py.exit_code, 0) << py.err << r.out;
    return py.out;
  };
  const auto tuh =
      root / "format-samples/tuh/dev/aaaaaool/s004_2013/01_tcp_ar/aaaaaool_s004_t001.edf";
  EXPECT_EQ(inspect(tuh), "EDF+C EDFlib 123 tcp22 22 19\n");
  EXPECT_EQ(inspect(root / "edf-samples/mne/MB0400FU.EDF"),
            "EDF+D streamdx tolerant reader tcp22 22 19\n");
  // CHB-MIT's 18 bipolar derivations form 18 of the 20 TCP channels, from 16 inputs.
  EXPECT_EQ(inspect(root / "format-samples/chbmit/chb05/chb05_06.edf"),
            "EDF+C EDFlib 123 tcp20 18 16\n");
}

TEST(CliInspect, GarbageIsAOneLineErrorNamingTheFile) {
  const auto path = testing::scratch_dir("garbage") / "bad.edf";
  std::ofstream(path) << "0       not really an EDF header";
  const auto r = testing::run_streamdx({"inspect", path.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path.string() + ": truncated"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// Raw samples through stdin of a real process give the frames that the same samples in a file
// give; the montage is formed from the header's labels.
TEST(CliStdin, RawStdinEqualsTheSameFile) {
  const auto dir = testing::scratch_dir("stdin");
  const auto raw = dir / "rec.raw";
  {
    std::ofstream out(raw, std::ios::binary);
    const std::vector<std::string> electrodes{"FP1", "FP2", "F3", "F4", "C3", "C4", "P3",
                                              "P4",  "O1",  "O2", "F7", "F8", "T3", "T4",
                                              "T5",  "T6",  "A1", "A2", "CZ"};
    out << "streamdx-raw 1; rate=400; type=int16; scale=0.1; channels=";
    for (std::size_t i = 0; i < electrodes.size(); ++i)
      out << (i ? "," : "") << "EEG " << electrodes[i] << "-REF";
    out << "\n";
    for (int s = 0; s < 400 * 5; ++s) {
      for (std::size_t c = 0; c < electrodes.size(); ++c) {
        const auto v = static_cast<std::int16_t>((s * 7 + static_cast<int>(c) * 131) % 2000 - 1000);
        out.put(static_cast<char>(v & 0xFF)).put(static_cast<char>((v >> 8) & 0xFF));
      }
    }
  }
  const auto a = testing::run_streamdx_like(
      {STREAMDX_BINARY, "stream", "--from", "-", "--to", (dir / "a.sdxf").string()}, raw);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto b =
      testing::run_streamdx({"stream", "--from", raw.string(), "--to", (dir / "b.sdxf").string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto fa = FrameFileReader::read_all(dir / "a.sdxf");
  const auto fb = FrameFileReader::read_all(dir / "b.sdxf");
  ASSERT_EQ(fa.size(), 50U) << "5 s at 400 Hz: finish() completes the tail";
  ASSERT_EQ(fa.size(), fb.size());
  for (std::size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fa[i].shape.channels, 22U);
    EXPECT_EQ(fa[i].samples, fb[i].samples) << i;
    EXPECT_EQ(fa[i].first_sample_ns, fb[i].first_sample_ns) << i;
  }
  // Through a real pipe in odd chunk sizes (down to one byte, with pauses so reads come back
  // short): the same frames again.
  const auto c = testing::run_with_chunked_stdin(
      {STREAMDX_BINARY, "stream", "--from", "-", "--to", (dir / "c.sdxf").string()}, raw,
      {1, 2, 3, 7, 64, 1000}, 500);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto fc = FrameFileReader::read_all(dir / "c.sdxf");
  ASSERT_EQ(fc.size(), fa.size());
  for (std::size_t i = 0; i < fa.size(); ++i) EXPECT_EQ(fc[i].samples, fa[i].samples) << i;

  const auto cut = dir / "cut.raw";
  std::filesystem::copy_file(raw, cut);
  std::filesystem::resize_file(cut, std::filesystem::file_size(raw) - 3);
  const auto t =
      testing::run_streamdx_like({STREAMDX_BINARY, "stream", "--from", "-", "--to", "null"}, cut);
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_NE(t.err.find("stdin: truncated: 35 bytes of a partial sample"), std::string::npos)
      << t.err;
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// The signal file of a real recording opens in MNE (python3-mne), with the montage's values.
TEST(CliSignalFile, MneOpensItWithTheMontageDifferences) {
  STREAMDX_DATA_OR_SKIP(root, "eeg/format-samples/tuh");
  const auto original = root / "dev/aaaaaool/s004_2013/01_tcp_ar/aaaaaool_s004_t001.edf";
  const auto signal = testing::scratch_dir("signal") / "signal.edf";
  const auto r =
      testing::run_streamdx({"stream", "--from", original.string(), "--to", signal.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto py = testing::run_streamdx_like(
      {"/usr/bin/python3",
       std::string(STREAMDX_SOURCE_DIR) + "/tests/reference/check_signal_file.py", signal.string(),
       original.string()},
      "/dev/null", std::chrono::seconds(120));
  EXPECT_EQ(py.exit_code, 0) << py.out << py.err;
  EXPECT_NE(py.out.find("MNE read 22 channels x 500 samples"), std::string::npos)
      << py.out << py.err;
}

}  // namespace
}  // namespace streamdx
