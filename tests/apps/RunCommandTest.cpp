// `streamdx run`, the main job: every output, the same bytes however the recording arrives
// (file, stdin in odd chunks, --realtime, one thread, split across processes over ZeroMQ),
// and what a broken input leaves behind.
#include <gtest/gtest.h>

#include <cmath>

#include <fstream>
#include <sstream>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/EdfBytes.hpp"
#include "support/Files.hpp"
#include "support/FreePort.hpp"
#include "support/RawRecording.hpp"
#include "support/TestData.hpp"
#include "training/DemoCheck.hpp"

namespace streamdx {
namespace {

using testing::read_file;

using testing::run_streamdx;

bool contains(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

TEST(RunCommand, TheSyntheticDemoWritesEveryOutputLabelledSynthetic) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-demo") / "out";
  const auto r = run_streamdx({"run", "-o", dir.string(), "--duration", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"synthetic-demo.edf", "synthetic-demo.hyp", "synthetic-demo.tse",
                        "synthetic-demo.csv_bi", "run.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  }
  const std::string csv = read_file(dir / "synthetic-demo.csv_bi");
  EXPECT_TRUE(
      csv.starts_with("# version = csv_v1.0.0\n# bname = synthetic-demo\n"
                      "# duration = 20.0000 secs\n# SYNTHETIC"))
      << csv;
  EXPECT_TRUE(contains(csv, "\nchannel,start_time,stop_time,label,confidence\n")) << csv;
  const std::string hyp = read_file(dir / "synthetic-demo.hyp");
  EXPECT_TRUE(contains(hyp, "# SYNTHETIC")) << hyp;
  EXPECT_TRUE(contains(hyp, "\n19.0000 20.0000 ")) << "one line per epoch: " << hyp;
  const std::string tse = read_file(dir / "synthetic-demo.tse");
  EXPECT_TRUE(tse.starts_with("version = tse_v1.0.0\n\n0.0000 ")) << tse;
  EXPECT_TRUE(contains(tse, " 20.0000 ")) << "TSE covers the whole recording: " << tse;
  const json::Json run = json::read_file(dir / "run.json");
  EXPECT_EQ(run["synthetic"], true);
  EXPECT_EQ(run["end"], "end_of_stream");
  EXPECT_EQ(run["counters"]["frames"], 200);
  EXPECT_EQ(run["counters"]["epochs"], 20);
  EXPECT_EQ(run["model"]["sha256"].get<std::string>().size(), 64U);
  EXPECT_TRUE(run["latency"]["end_to_end"].contains("p50_ms")) << json::line(run);
  EXPECT_EQ(run["duration_s"], 20.0);
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    EXPECT_FALSE(e.path().string().ends_with(".part")) << e.path();
  }
}

// The detection files of every run in `dirs` equal those of the first, byte for byte.
void expect_same_detections(const std::vector<std::filesystem::path>& dirs) {
  for (const char* f : {"rec.hyp", "rec.tse", "rec.csv_bi"}) {
    const std::string first = read_file(dirs[0] / f);
    ASSERT_FALSE(first.empty()) << dirs[0] / f;
    for (std::size_t i = 1; i < dirs.size(); ++i) {
      EXPECT_EQ(read_file(dirs[i] / f), first) << dirs[i] / f;
    }
  }
}

// A CSV recording with channels the montage does not use (FZ, PZ, EKG, as real ones carry):
// they are left out, and the detections equal those of the same recording without them.
TEST(RunCommand, ChannelsTheMontageDoesNotUseAreLeftOut) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-extra-channels");
  const std::vector<std::string> tcp = {"FP1", "F7", "T3", "T5", "O1", "FP2", "F8",
                                        "T4",  "T6", "O2", "A1", "C3", "CZ",  "C4",
                                        "A2",  "F3", "P3", "F4", "P4"};
  const std::vector<std::string> extra = {"FZ", "PZ", "EKG"};
  const auto write = [&](const std::filesystem::path& path, bool with_extra) {
    std::ofstream out(path);
    out << "# rate=256\n";
    std::vector<std::string> labels = tcp;
    if (with_extra) labels.insert(labels.end(), extra.begin(), extra.end());
    for (std::size_t k = 0; k < labels.size(); ++k) out << (k ? "," : "") << labels[k];
    out << "\n";
    for (int i = 0; i < 256 * 30; ++i) {
      for (std::size_t k = 0; k < labels.size(); ++k) {
        out << (k ? "," : "") << 20.0 * std::sin(0.05 * i + static_cast<double>(k));
      }
      out << "\n";
    }
  };
  write(dir / "with.csv", true);
  write(dir / "without.csv", false);
  for (const char* name : {"with", "without"}) {
    const auto r = run_streamdx({"run", (dir / (std::string(name) + ".csv")).string(), "--name",
                                 "rec", "-o", (dir / name).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  expect_same_detections({dir / "without", dir / "with"});
}

// The csv_bi duration of text and stdin input is the input's own: samples / rate, to 4 decimals,
// so that NEDC accepts a reference made from the same input (not whole 0.1 s output frames).
TEST(RunCommand, TextAndStdinInputKeepTheirOwnDuration) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-text-duration");
  const auto text = dir / "seg.txt";
  {
    std::ofstream out(text);
    for (int i = 0; i < 20'479; ++i) out << 30.0 * std::sin(0.07 * i) << "\n";
  }
  const auto from_file = run_streamdx(
      {"run", text.string(), "--rate", "200", "--montage", "none", "-o", (dir / "file").string()});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_NE(read_file(dir / "file" / "seg.csv_bi").find("# duration = 102.3950 secs"),
            std::string::npos)
      << read_file(dir / "file" / "seg.csv_bi");
  const auto from_stdin =
      testing::run_streamdx_like({STREAMDX_BINARY, "run", "-", "--rate", "200", "--montage", "none",
                                  "--name", "seg", "-o", (dir / "stdin").string()},
                                 text);
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(read_file(dir / "stdin" / "seg.csv_bi"), read_file(dir / "file" / "seg.csv_bi"));
}

// 10 s of one flat referential channel, FP1, 250 Hz, starting 01.01.20 at 10.00.00.
void write_flat_fp1(const std::filesystem::path& path) {
  testing::EdfBytesSignal ch;
  ch.label = "EEG FP1-REF";
  ch.samples_per_record = 250;
  ch.digital.assign(std::size_t{10} * 250, 100);
  testing::write_edf(path, {ch}, 10, 1.0);
}

// A physical range of +-1e30 puts every sample outside the signal file's +-4096 uV: the run says
// so, and run.json counts them (issue 26). A sane range clips nothing.
TEST(RunCommand, ClippedSamplesAreCountedAndSaid) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-clipped");
  testing::EdfBytesSignal ch;
  ch.label = "EEG FP1-REF";
  ch.samples_per_record = 250;
  for (int i = 0; i < 20 * 250; ++i) {
    ch.digital.push_back(static_cast<std::int16_t>(300 * std::sin(i * 0.1)));
  }
  testing::write_edf(dir / "sane.edf", {ch}, 20, 1.0);
  ch.physical_min = -1e30;
  ch.physical_max = 1e30;
  testing::write_edf(dir / "huge.edf", {ch}, 20, 1.0);
  for (const char* name : {"sane", "huge"}) {
    const auto r = run_streamdx({"run", (dir / (std::string(name) + ".edf")).string(), "--montage",
                                 "none", "-o", (dir / name).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json::Json run = json::read_file(dir / name / "run.json");
    if (std::string(name) == "sane") {
      EXPECT_EQ(run["counters"]["clipped_samples"], 0);
      EXPECT_EQ(r.err.find("were clipped there"), std::string::npos) << r.err;
    } else {
      EXPECT_GT(run["counters"]["clipped_samples"].get<std::uint64_t>(), 4000U);
      EXPECT_NE(r.err.find("huge.edf: "), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("were clipped there"), std::string::npos) << r.err;
    }
  }
}

// An endless simulation at full speed into files is refused before anything is written.
TEST(RunCommand, AnEndlessSimulationIntoFilesIsRefused) {
  const auto dir = testing::scratch_dir("run-endless");
  const auto run = run_streamdx({"run", "--duration", "0", "-o", (dir / "out").string()});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("simulate.duration_s = 0 is endless"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
  const auto stream = run_streamdx({"stream", "--duration", "0", "--to", (dir / "x.npy").string()});
  EXPECT_NE(stream.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.npy"));
}

// The signal file starts when the recording did (EDF input), or at EDF's anonymised
// 01.01.85 00.00.00 when the input has no date, so that two runs give the same bytes.
TEST(RunCommand, TheSignalFileKeepsTheRecordingsStart) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-start");
  write_flat_fp1(dir / "rec.edf");  // starts 01.01.20 at 10.00.00
  ASSERT_EQ(run_streamdx({"run", (dir / "rec.edf").string(), "--montage", "none", "-o",
                          (dir / "rec").string()})
                .exit_code,
            0);
  const std::string signal = read_file(dir / "rec" / "rec.edf").substr(168, 16);
  EXPECT_EQ(signal, "01.01.2010.00.00");
  for (const char* out : {"a", "b"}) {
    ASSERT_EQ(run_streamdx({"run", "--duration", "5", "-o", (dir / out).string()}).exit_code, 0);
  }
  const std::string a = read_file(dir / "a" / "synthetic-demo.edf");
  EXPECT_EQ(a.substr(168, 16), "01.01.8500.00.00");
  EXPECT_EQ(a, read_file(dir / "b" / "synthetic-demo.edf"));
}

// The input's EDF+ annotations are carried into the signal file, onset, duration and text
// (issue 26, item 9): MNE's test file with 38 overlapping annotations.
TEST(RunCommand, TheSignalFileKeepsTheInputsAnnotations) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(mne, "eeg/edf-samples/mne");
  const auto dir = testing::scratch_dir("run-annotations");
  const auto input = mne / "test_edf_overlapping_annotations.edf";
  ASSERT_EQ(run_streamdx({"run", input.string(), "-o", dir.string()}).exit_code, 0);
  const auto annotations = [](const std::filesystem::path& edf) {
    const auto r = run_streamdx({"inspect", edf.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, "inspect")["annotations"];
  };
  const json::Json in = annotations(input);
  ASSERT_EQ(in.size(), 38U);
  EXPECT_EQ(annotations(dir / "test_edf_overlapping_annotations.edf"), in);
  // `stream --to x.edf` writes the same signal file, start and annotations included.
  const auto streamed = dir / "streamed.edf";
  ASSERT_EQ(run_streamdx({"stream", "--from", input.string(), "--to", streamed.string()}).exit_code,
            0);
  EXPECT_EQ(annotations(streamed), in);
  EXPECT_EQ(read_file(streamed).substr(168, 16), read_file(input).substr(168, 16));
}

// A run that fails to start leaves no folder it made, and no earlier run's files that would
// look like its own (issue 26, item 10).
TEST(RunCommand, AFailedStartLeavesNothingThatLooksFinished) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-failed-start");
  write_flat_fp1(dir / "rec.edf");
  std::filesystem::create_directories(dir / "old");
  for (const char* f : {"rec.hyp", "rec.csv_bi", "run.json"}) std::ofstream(dir / "old" / f) << "x";
  std::ofstream(dir / "old" / "notes.txt") << "mine";
  for (const char* out : {"old", "new"}) {
    const auto r = run_streamdx(
        {"run", (dir / "rec.edf").string(), "--montage", "tcp20", "-o", (dir / out).string()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("cannot form the tcp20 montage"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "new"));
  EXPECT_FALSE(std::filesystem::exists(dir / "old" / "rec.hyp"));
  EXPECT_FALSE(std::filesystem::exists(dir / "old" / "run.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "old" / "notes.txt"));  // not ours: kept
}

TEST(RunCommand, OnlineEqualsOffline) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-online");
  const auto raw = testing::write_raw_recording(dir, 12);
  const auto out = [&](const char* name) { return (dir / name).string(); };
  const auto file = run_streamdx({"run", raw.string(), "-o", out("file")});
  ASSERT_EQ(file.exit_code, 0) << file.err;
  const auto single =
      run_streamdx({"run", raw.string(), "-o", out("single"), "--threads", "single"});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  // Source, signal file, LFCC and encoder on one thread; decoder, postprocessor and files on
  // another.
  const auto grouped =
      run_streamdx({"run", raw.string(), "-o", out("grouped"), "--threads", "0,0,0,0,1,1,1"});
  ASSERT_EQ(grouped.exit_code, 0) << grouped.err;
  const auto realtime = run_streamdx({"run", raw.string(), "-o", out("realtime"), "--realtime"});
  ASSERT_EQ(realtime.exit_code, 0) << realtime.err;
  const auto piped = testing::run_with_chunked_stdin(
      {STREAMDX_BINARY, "run", "-", "--name", "rec", "-o", out("stdin")}, raw,
      {1, 7, 4093, 3, 65536}, 200);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  expect_same_detections(
      {dir / "file", dir / "single", dir / "grouped", dir / "realtime", dir / "stdin"});
  EXPECT_TRUE(contains(read_file(dir / "file" / "rec.csv_bi"), "# duration = 12.0000 secs"));
}

TEST(RunCommand, StagesSplitAcrossProcessesGiveTheSameBytes) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-split");
  const auto raw = testing::write_raw_recording(dir, 12);
  const auto local = run_streamdx({"run", raw.string(), "-o", (dir / "local").string()});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  // Process A acquires and preprocesses; process B runs features, model and postprocessor.
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  testing::ChildProcess detector(
      {STREAMDX_BINARY, "run", ">" + address, "--name", "rec", "-o", (dir / "split").string()});
  const auto acquire = run_streamdx({"stream", "--from", raw.string(), "--to", "@" + address});
  ASSERT_EQ(acquire.exit_code, 0) << acquire.err;
  const auto detected = detector.wait();
  ASSERT_EQ(detected.exit_code, 0) << detected.err;
  expect_same_detections({dir / "local", dir / "split"});
}

TEST(RunCommand, ATruncatedStreamFailsAndTheFilesSayWhereItStopped) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-truncated");
  const auto raw = testing::write_raw_recording(dir, 12);
  const auto cut = dir / "cut.raw";
  std::filesystem::copy_file(raw, cut);
  std::filesystem::resize_file(cut, std::filesystem::file_size(raw) - 5);
  const auto r = testing::run_streamdx_like(
      {STREAMDX_BINARY, "run", "-", "--name", "rec", "-o", (dir / "out").string()}, cut);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "stdin: truncated")) << r.err;
  const std::string csv = read_file(dir / "out" / "rec.csv_bi");
  EXPECT_TRUE(contains(csv, "# INCOMPLETE: the run stopped at ")) << csv;
  const std::string run = read_file(dir / "out" / "run.json");
  EXPECT_TRUE(contains(run, R"("end": "error")")) << run;
  EXPECT_TRUE(contains(run, "truncated")) << run;
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "rec.edf"));
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// The built-in demo: the default model flags the synthetic discharge (60-80 s) and nothing else.
TEST(RunCommand, TheDemoFlagsTheDischargeAndNothingElse) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("run-demo-detect") / "out";
  const auto r = testing::run_streamdx({"run", "-o", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The rule the trainer and `evaluate` apply (DemoCheck), here on what `run` wrote.
  const DemoCheck demo = judge_demo(read_hyp(dir / "synthetic-demo.hyp"), 120.0, 60.0, 80.0);
  EXPECT_TRUE(demo.passed()) << demo.summary();
  EXPECT_FALSE(demo.events.empty());
  std::ifstream in(dir / "synthetic-demo.csv_bi");
  std::size_t events = 0;
  for (std::string line; std::getline(in, line);) events += line.starts_with("TERM,") ? 1U : 0U;
  EXPECT_EQ(events, demo.events.size()) << "csv_bi and HYP disagree";
}

}  // namespace
}  // namespace streamdx
