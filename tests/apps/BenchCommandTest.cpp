// `streamdx bench` in its three modes, as a user runs it. Figures are not asserted here (speed
// targets live in docs/PERFORMANCE.md); what is asserted is that every stream was run, every
// decision counted, and the reports and plots written.
#include <gtest/gtest.h>

#include <functional>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

bool is_png(const std::filesystem::path& p) {
  const std::string bytes = testing::read_file(p);
  return bytes.size() > 1000 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

// A count anywhere in a JSON document: the first member named `key`, depth first.
std::uint64_t json_number(const std::string& text, const std::string& key) {
  const std::function<std::uint64_t(const json::Json&)> find = [&](const json::Json& j) {
    if (j.is_object()) {
      if (j.contains(key) && j[key].is_number()) return j[key].get<std::uint64_t>();
      for (const auto& [k, v] : j.items()) {
        if (const std::uint64_t n = find(v)) return n;
      }
    }
    return std::uint64_t{0};
  };
  return find(json::parse(text, "bench JSON"));
}

TEST(BenchCommand, ReportsThroughputLatencyAndDrops) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("bench");
  const auto json = dir / "bench.json";
  const auto r = testing::run_streamdx(
      {"bench", "--duration", "20", "--json", json.string(), "--plot", (dir / "b.png").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("x real time"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("end_to_end"), std::string::npos) << r.out;
  const json::Json j = json::read_file(json);
  EXPECT_EQ(j["mode"], "throughput");
  EXPECT_EQ(j["synthetic"], true);
  EXPECT_EQ(j["frames"], 200);
  EXPECT_EQ(j["decisions"], 20);
  EXPECT_EQ(j["drops"], 0);
  EXPECT_EQ(j["threads"], "per-stage");
  EXPECT_TRUE(j["latency"]["encoder>decoder"].contains("p50_ms")) << json::line(j);
  EXPECT_TRUE(is_png(dir / "b.png"));
}

TEST(BenchCommand, EprReportsTheUpdateLatencyOfEveryProjection) {
  STREAMDX_DATA_OR_SKIP(data, "epr/phalanx-2d");
  const auto dir = testing::scratch_dir("bench-epr");
  const auto json = dir / "epr.json";
  const auto r = testing::run_streamdx(
      {"bench", "--epr", "--interval", "0.01", "--json", json.string(), "--set", "epr.size=128"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("arrival -> image published"), std::string::npos) << r.out;
  const json::Json j = json::read_file(json);
  EXPECT_EQ(j["mode"], "epr");
  EXPECT_EQ(j["projections"], 113);
  EXPECT_EQ(j["size"], 128);
  const auto& lat = j["update_latency_ms"];
  EXPECT_GT(lat["p50"].get<double>(), 0);
  EXPECT_LE(lat["p50"].get<double>(), lat["p99"].get<double>());
  EXPECT_LE(lat["p99"].get<double>(), lat["max"].get<double>());
  // Every image published reached the in-process viewer: one per projection, the re-runs and
  // the final one.
  EXPECT_EQ(j["images_published"], 113 + j["tv_reruns"].get<int>() + 1);
  EXPECT_EQ(j["images_received"], j["images_published"]);
  EXPECT_EQ(j["images_missed"], 0);
  EXPECT_GT(j["baseline"]["fft_pair_us"].get<double>(), 0);
}

TEST(BenchCommand, RealtimeRunsEveryStreamAtWallClockPace) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("bench-realtime");
  const auto json = dir / "rt.json";
  const auto r =
      testing::run_streamdx({"bench", "--mode", "realtime", "--streams", "6", "--seconds", "3",
                             "--json", json.string(), "--plot", (dir / "rt.png").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string j = testing::read_file(json);
  EXPECT_EQ(json_number(j, "streams"), 6U) << j;
  // 3 s at 10 frames a second for each of the 6 streams, all of them processed.
  EXPECT_EQ(json_number(j, "frames"), 6U * 30U) << j;
  // Each stream decides once a second; the staggered starts cost at most one epoch each.
  EXPECT_GE(json_number(j, "decisions"), 6U * 2U) << j;
  EXPECT_LE(json_number(j, "decisions"), 6U * 3U) << j;
  const json::Json parsed = json::parse(j, "bench JSON");
  for (const char* stage : {"decision", "decoder_batch", "encoder", "lfcc", "postprocess"}) {
    EXPECT_TRUE(parsed["result"]["latency"][stage].contains("p50_ms")) << stage << "\n" << j;
  }
  EXPECT_EQ(parsed["algorithmic_delay_s"], 0.6);
  EXPECT_NE(r.out.find("late ticks"), std::string::npos) << r.out;
  EXPECT_TRUE(is_png(dir / "rt.png"));
}

TEST(BenchCommand, FindMaxSearchesUpToTheLimitAndPlotsTheProbes) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("bench-findmax");
  const auto json = dir / "fm.json";
  // A budget no small run can miss: the search doubles 2, 4, 8 and stops at --max-streams.
  const auto r = testing::run_streamdx({"bench", "--find-max", "--streams", "2", "--max-streams",
                                        "8", "--budget-ms", "5000", "--seconds", "3", "--json",
                                        json.string(), "--plot", (dir / "fm.png").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("largest within budget: 8 streams"), std::string::npos) << r.out;
  const std::string j = testing::read_file(json);
  EXPECT_EQ(json_number(j, "largest_within_budget"), 8U) << j;
  EXPECT_TRUE(is_png(dir / "fm.png"));

  // And one it cannot meet: it says so.
  const auto over = testing::run_streamdx(
      {"bench", "--find-max", "--streams", "2", "--budget-ms", "0.000001", "--seconds", "3"});
  ASSERT_EQ(over.exit_code, 0) << over.err;
  EXPECT_NE(over.out.find("even 2 stream(s) exceed the budget"), std::string::npos) << over.out;

  // Too short a run to reach a steady state is refused with the reason.
  const auto short_run = testing::run_streamdx({"bench", "--mode", "realtime", "--seconds", "1"});
  EXPECT_EQ(short_run.exit_code, 1);
  EXPECT_NE(short_run.err.find("--seconds 1 is too short"), std::string::npos) << short_run.err;
}

}  // namespace
}  // namespace streamdx
