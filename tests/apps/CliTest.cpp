// The streamdx binary's contract with its users: exit codes and one-line errors that say what is
// wrong and where.
#include <gtest/gtest.h>

#include "support/ChildProcess.hpp"

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
  EXPECT_TRUE(contains(level.err, "unknown log level 'loud'")) << level.err;
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
}

TEST(Cli, StreamsTheSimulatorThroughTheCoreOnOneOrManyThreads) {
  for (const char* threads : {"single", "per-stage"}) {
    const auto r = run_streamdx(
        {"stream", "--from", "sim", "--duration", "30", "--to", "null", "--threads", threads});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "300 frames")) << r.err;
  }
}

}  // namespace
}  // namespace streamdx
