// `streamdx epr run`, the live EPR pipeline, end to end on the real phalanx data: a viewer on
// the image feed sees an image after every projection (with its projection, for the sinogram),
// TV re-runs with their lambda, the final image and the end; the final image is the one
// `epr reconstruct` writes, bit for bit; a NaN mid-acquisition ends the run with one line, and
// the image of what came before is kept under a name that says it is partial.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>
#include <variant>

#include "core/Json.hpp"
#include "gui/DisplayFeedReceiver.hpp"
#include "io/EprAcquisitionStream.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/FreePort.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::read_file;
using testing::run_streamdx;

std::vector<std::string> phalanx_args(const fs::path& dir) {
  return {(dir / "phalanx-20220203-proj.DSC").string(), "--reference",
          (dir / "phalanx-20220203-h.DSC").string(), "--fgrad",
          (dir / "phalanx-20220203-fgrad.txt").string()};
}

struct FeedSeen {
  std::vector<std::uint32_t> backprojection_counts;
  std::size_t projection_points = 0;
  std::vector<double> tv_lambdas;
  std::optional<wire::EprImage> final_image;
  bool ended = false;
};

FeedSeen watch(DisplayFeedReceiver& receiver, std::chrono::seconds limit) {
  FeedSeen seen;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!seen.ended && std::chrono::steady_clock::now() < deadline) {
    auto item = receiver.epr_ring().try_pop();
    if (!item) {
      std::this_thread::sleep_for(5ms);
      continue;
    }
    const wire::Message& m = item->value->message;
    if (std::holds_alternative<wire::EndOfStream>(m)) {
      seen.ended = true;
      continue;
    }
    const auto& image = std::get<wire::EprImage>(m);
    if (image.stage == wire::EprImageStage::kBackProjection) {
      seen.backprojection_counts.push_back(image.projections);
      seen.projection_points = image.projection.size();
    } else if (image.stage == wire::EprImageStage::kTv) {
      seen.tv_lambdas.push_back(image.lambda);
    } else {
      seen.final_image = image;
    }
  }
  return seen;
}

TEST(EprRun, AViewerWatchesTheImageBuildUpToTheBatchImage) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-run");
  auto args = phalanx_args(dir);
  args.insert(args.begin(), {"epr", "reconstruct"});
  args.insert(args.end(), {"-o", (out / "batch").string()});
  const auto batch = run_streamdx(args);
  ASSERT_EQ(batch.exit_code, 0) << batch.err;

  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  DisplayFeedReceiver receiver(address);
  std::vector<std::string> live = {STREAMDX_BINARY, "epr", "run"};
  const auto input = phalanx_args(dir);
  live.insert(live.end(), input.begin(), input.end());
  live.insert(live.end(), {"-o", (out / "live").string(), "--interval", "0.01", "--display",
                           address, "--wait-viewer", "20", "--set", "epr.rerun_every=30"});
  testing::ChildProcess run(live);
  const FeedSeen seen = watch(receiver, 120s);
  const auto ended = run.wait(60s);
  ASSERT_EQ(ended.exit_code, 0) << ended.err;

  ASSERT_EQ(seen.backprojection_counts.size(), 113U) << "missed " << receiver.missed();
  for (std::size_t i = 0; i < seen.backprojection_counts.size(); ++i)
    EXPECT_EQ(seen.backprojection_counts[i], i + 1);
  EXPECT_EQ(seen.projection_points, 2000U);
  EXPECT_GE(seen.tv_lambdas.size(), 1U);
  for (double lambda : seen.tv_lambdas) EXPECT_GT(lambda, 0);
  EXPECT_TRUE(seen.ended);
  EXPECT_EQ(receiver.missed(), 0U);

  // The final image, on the feed and in the files, is the batch command's, bit for bit.
  const std::string expected = read_file(out / "batch" / "image.f32");
  ASSERT_TRUE(seen.final_image);
  EXPECT_EQ(seen.final_image->projections, 113U);
  const std::string fed(reinterpret_cast<const char*>(seen.final_image->image.data()),
                        4 * seen.final_image->image.size());
  EXPECT_TRUE(fed == expected);
  EXPECT_TRUE(read_file(out / "live" / "image.f32") == expected);
  const json::Json meta = json::read_file(out / "live" / "image.json");
  EXPECT_EQ(meta["live"]["projections"], 113);
  EXPECT_EQ(meta["live"]["complete"], true);
  EXPECT_EQ(meta["live"]["ended"], "end of stream");
  EXPECT_EQ(meta["live"]["tv_reruns"], seen.tv_lambdas.size());
  EXPECT_GT(meta["live"]["update_latency_ms"]["p99"].get<double>(), 0);
}

TEST(EprRun, ANanMidAcquisitionEndsInOneLineAndKeepsThePartialImage) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-run-bad");
  std::vector<std::string> send = {"epr", "send"};
  const auto input = phalanx_args(dir);
  send.insert(send.end(), input.begin(), input.end());
  send.insert(send.end(), {"--to", (out / "good.sdxe").string()});
  ASSERT_EQ(run_streamdx(send).exit_code, 0);
  {
    EprStreamSpec from{(out / "good.sdxe").string(), std::nullopt, 5};
    EprStreamSpec to{(out / "nan.sdxe").string(), std::nullopt, 5};
    EprAcquisitionReader reader(from);
    EprAcquisitionWriter writer(to);
    writer.send(reader.header());
    while (auto p = reader.next()) {
      if (p->index == 50) p->values[10] = std::numeric_limits<float>::quiet_NaN();
      writer.send(*p);
    }
    writer.finish();
  }
  const auto r = run_streamdx({"epr", "run", (out / "nan.sdxe").string(), "-o",
                               (out / "run").string(), "--set", "epr.rerun_every=0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("nan.sdxe"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("projection 50: a non-finite value (nan) at point 10"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out / "run" / "image.f32"));
  ASSERT_TRUE(fs::exists(out / "run" / "image-partial.f32"));
  const json::Json meta = json::read_file(out / "run" / "image-partial.json");
  EXPECT_EQ(meta["live"]["projections"], 50);
  EXPECT_EQ(meta["live"]["complete"], false);
}

// SIGUSR1 asks a running `epr run` for its image now: snapshot.f32 and snapshot.json appear, of
// the projections so far, and the run goes on to its final image and exit 0.
TEST(EprRun, Sigusr1WritesASnapshotAndTheRunGoesOn) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-run-snapshot");
  std::vector<std::string> args = {STREAMDX_BINARY, "epr", "run"};
  const auto input = phalanx_args(dir);
  args.insert(args.end(), input.begin(), input.end());
  args.insert(args.end(), {"-o", out.string(), "--interval", "0.05", "--method", "fourier"});
  testing::ChildProcess run(args);
  // Until the feed has images (the first projection comes 50 ms after the files are read).
  for (int i = 0; i < 100 && !fs::exists(out / "snapshot.json"); ++i) {
    std::this_thread::sleep_for(200ms);
    run.send_signal(SIGUSR1);
    std::this_thread::sleep_for(100ms);
  }
  const auto ended = run.wait(60s);
  ASSERT_EQ(ended.exit_code, 0) << ended.err;
  ASSERT_TRUE(fs::exists(out / "snapshot.json")) << ended.err;
  const json::Json meta = json::read_file(out / "snapshot.json");
  const auto projections = meta["projections"].get<int>();
  EXPECT_GT(projections, 0);
  EXPECT_LT(projections, 113);  // taken while the acquisition was under way
  EXPECT_EQ(meta["expected_projections"], 113);
  EXPECT_EQ(read_file(out / "snapshot.f32").size(), 256U * 256U * 4U);
  EXPECT_NE(ended.err.find("snapshot written"), std::string::npos) << ended.err;
  EXPECT_EQ(json::read_file(out / "image.json")["live"]["projections"], 113);
}

}  // namespace
}  // namespace streamdx
