// `streamdx serve` and `run --decoder ADDR`, as separate processes on real sockets: the remote
// run writes the in-process run's files byte for byte, a server killed with SIGKILL mid-run and
// restarted costs no decision, and CURVE keeps out a client without the right key.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <regex>
#include <thread>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/FreePort.hpp"
#include "support/TestData.hpp"
#include "training/SegmentStreams.hpp"

namespace streamdx {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;

std::string free_address() {
  return "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
}

std::vector<std::string> streamdx_args(std::vector<std::string> args) {
  args.insert(args.begin(), STREAMDX_BINARY);
  return args;
}

void expect_same_detections(const std::filesystem::path& a, const std::filesystem::path& b,
                            const std::string& bname) {
  for (const char* ext : {".hyp", ".tse", ".csv_bi", ".edf"}) {
    const auto fa = a / (bname + ext);
    ASSERT_TRUE(std::filesystem::exists(fa)) << fa;
    EXPECT_EQ(testing::read_file(fa), testing::read_file(b / (bname + ext))) << bname << ext;
  }
}

// The number of resent requests a run reports at its end.
long resent_requests(const std::string& err) {
  static const std::regex kLine(R"((\d+) requests, (\d+) resent)");
  std::smatch m;
  return std::regex_search(err, m, kLine) ? std::stol(m[2]) : -1;
}

TEST(ServeCommand, RemoteDecodingWritesTheInProcessFilesForTheDemoAndARealRecording) {
  STREAMDX_TORCH_OR_SKIP();
  STREAMDX_DATA_OR_SKIP(delhi, "eeg/delhi");
  const auto dir = testing::scratch_dir("serve-identical");
  // Real scalp EEG: four non-seizure segments, then three ictal ones.
  std::vector<SegmentFile> segments;
  for (const char* f :
       {"interictal/interictal01.txt", "interictal/interictal02.txt", "preictal/preictal01.txt",
        "preictal/preictal02.txt", "ictal/ictal01.txt", "ictal/ictal02.txt", "ictal/ictal03.txt"}) {
    segments.push_back({delhi / f, std::string(f).starts_with("ictal")});
  }
  join_segments(segments, 200, dir / "delhi.txt");

  const std::string address = free_address();
  ChildProcess server(streamdx_args({"serve", "--bind", address, "--max-queue-delay-us", "500"}));
  for (const auto& [input, extra] :
       {std::pair<std::string, std::string>{"sim", "sim"},
        std::pair<std::string, std::string>{(dir / "delhi.txt").string(), "none"}}) {
    std::vector<std::string> args = {"run", input, "--montage", extra == "none" ? "none" : "auto"};
    auto local = args;
    local.insert(local.end(), {"-o", (dir / "local").string()});
    auto remote = args;
    remote.insert(remote.end(), {"-o", (dir / "remote").string(), "--decoder", address});
    const auto l = testing::run_streamdx(local);
    ASSERT_EQ(l.exit_code, 0) << l.err;
    const auto r = testing::run_streamdx(remote);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_same_detections(dir / "local", dir / "remote",
                           input == "sim" ? "synthetic-demo" : "delhi");
  }
  // The real recording's seizure is decided remotely too (not an all-background file).
  EXPECT_NE(testing::read_file(dir / "remote" / "delhi.csv_bi").find("seiz"), std::string::npos);

  const auto status = testing::run_streamdx({"serve-status", address, "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const json::Json stats = json::parse(status.out, "serve-status");
  EXPECT_GE(stats["windows"].get<long>(), 120 * 22);
  EXPECT_EQ(stats["busy_replies"], 0);
  EXPECT_EQ(stats["model"]["engine"], "native");
  EXPECT_EQ(stats["model"]["sha256"].get<std::string>().size(), 64U);
  server.send_signal(SIGTERM);
  const auto stopped = server.wait(30s);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_NE(stopped.err.find("decoder service stopped after"), std::string::npos) << stopped.err;
}

TEST(ServeCommand, AServerKilledMidRunAndRestartedCostsNoDecision) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("serve-kill");
  const std::string address = free_address();
  // Each request waits a second in the server's queue, so that the kill always finds one request
  // of every bed there: lost with the server, it must be resent.
  const std::vector<std::string> serve =
      streamdx_args({"serve", "--bind", address, "--max-queue-delay-us", "1000000"});
  auto server = std::make_unique<ChildProcess>(serve);
  // Three beds at wall-clock pace through one server, each resending after 3 s.
  std::vector<std::unique_ptr<ChildProcess>> runs;
  for (int s = 1; s <= 3; ++s) {
    runs.push_back(std::make_unique<ChildProcess>(
        streamdx_args({"run", "sim", "--seed", std::to_string(s), "--duration", "16", "--realtime",
                       "--decoder", address, "--set", "decoder.service_resend_ms=3000", "-o",
                       (dir / ("remote" + std::to_string(s))).string()})));
  }
  std::this_thread::sleep_for(5s);
  server->send_signal(SIGKILL);
  EXPECT_EQ(server->wait(10s).signal, SIGKILL);
  std::this_thread::sleep_for(2s);  // two epochs without a server
  server = std::make_unique<ChildProcess>(serve);
  for (int s = 1; s <= 3; ++s) {
    const auto r = runs[static_cast<std::size_t>(s - 1)]->wait(60s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_GT(resent_requests(r.err), 0) << "the kill fell outside the run? " << r.err;
    const auto l =
        testing::run_streamdx({"run", "sim", "--seed", std::to_string(s), "--duration", "16", "-o",
                               (dir / ("local" + std::to_string(s))).string()});
    ASSERT_EQ(l.exit_code, 0) << l.err;
    expect_same_detections(dir / ("local" + std::to_string(s)),
                           dir / ("remote" + std::to_string(s)), "synthetic-demo");
  }
  server->send_signal(SIGTERM);
  EXPECT_EQ(server->wait(30s).exit_code, 0);
}

TEST(ServeCommand, BeyondLoopbackNeedsCurveAndCurveKeepsOutTheWrongKeys) {
  STREAMDX_TORCH_OR_SKIP();
  const auto dir = testing::scratch_dir("serve-curve");
  const auto open_bind = testing::run_streamdx({"serve", "--bind", "tcp://0.0.0.0:5599"});
  EXPECT_NE(open_bind.exit_code, 0);
  EXPECT_NE(open_bind.err.find("streamdx keygen"), std::string::npos) << open_bind.err;

  for (const char* who : {"server", "client", "stranger"}) {
    const auto k = testing::run_streamdx({"keygen", "-o", (dir / who).string()});
    ASSERT_EQ(k.exit_code, 0) << k.err;
  }
  struct stat st {};
  ASSERT_EQ(::stat((dir / "server.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777U, 0600U);
  EXPECT_NE(testing::run_streamdx({"keygen", "-o", (dir / "server").string()}).exit_code, 0)
      << "keygen replaced an existing key";

  const std::string address = free_address();
  ChildProcess server(
      streamdx_args({"serve", "--bind", address, "--curve-key", (dir / "server.key").string(),
                     "--allow-client", (dir / "client.pub").string()}));
  const auto run = [&](const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args = {"run",
                                     "--duration",
                                     "20",
                                     "-o",
                                     (dir / out).string(),
                                     "--decoder",
                                     address,
                                     "--set",
                                     "decoder.service_timeout_s=3"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::run_streamdx(args);
  };
  const auto keyed = run("keyed", {"--set", "decoder.service_key=" + (dir / "server.pub").string(),
                                   "--set", "decoder.client_key=" + (dir / "client.key").string()});
  ASSERT_EQ(keyed.exit_code, 0) << keyed.err;
  const auto local =
      testing::run_streamdx({"run", "--duration", "20", "-o", (dir / "local").string()});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  expect_same_detections(dir / "local", dir / "keyed", "synthetic-demo");

  const auto plain = run("plain", {});
  EXPECT_NE(plain.exit_code, 0);
  EXPECT_NE(plain.err.find("no answer within 3 s"), std::string::npos) << plain.err;
  const auto stranger =
      run("stranger", {"--set", "decoder.service_key=" + (dir / "server.pub").string(), "--set",
                       "decoder.client_key=" + (dir / "stranger.key").string()});
  EXPECT_NE(stranger.exit_code, 0);
  server.send_signal(SIGTERM);
  const auto stopped = server.wait(30s);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_NE(stopped.err.find("is not on the allow-list"), std::string::npos) << stopped.err;
  EXPECT_NE(stopped.err.find("refused a connection"), std::string::npos) << stopped.err;
}

}  // namespace
}  // namespace streamdx
