// `streamdx epr send` and an acquisition stream into `epr reconstruct`: the real phalanx data one
// projection at a time through a file, a pipe and ZeroMQ gives the image of the BES3T files, bit
// for bit; a truncated stream, a header that never came, a sender killed mid-acquisition and a
// projection that does not fit its header each end in one line naming what is wrong.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

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

struct Phalanx {
  std::string proj, ref, fgrad;
};

Phalanx phalanx(const fs::path& dir) {
  return {(dir / "phalanx-20220203-proj.DSC").string(), (dir / "phalanx-20220203-h.DSC").string(),
          (dir / "phalanx-20220203-fgrad.txt").string()};
}

std::vector<std::string> send(const Phalanx& p, const std::string& to,
                              const std::string& interval = "0") {
  return {"epr",   "send", p.proj, "--reference", p.ref,   "--fgrad",
          p.fgrad, "--to", to,     "--interval",  interval};
}

std::vector<std::string> reconstruct(const std::string& input, const fs::path& out) {
  return {"epr", "reconstruct", input, "--method", "fourier", "-o", out.string()};
}

TEST(EprAcquisition, EveryTransportGivesTheImageOfTheFiles) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-acquisition");
  const Phalanx p = phalanx(dir);
  auto r = run_streamdx({"epr", "reconstruct", p.proj, "--reference", p.ref, "--fgrad", p.fgrad,
                         "--method", "fourier", "-o", (out / "files").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string expected = read_file(out / "files" / "image.f32");
  ASSERT_EQ(expected.size(), 256U * 256U * 4U);

  // A file of the messages.
  ASSERT_EQ(run_streamdx(send(p, (out / "acq.sdxe").string())).exit_code, 0);
  r = run_streamdx(reconstruct((out / "acq.sdxe").string(), out / "file"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_file(out / "file" / "image.f32") == expected);

  // The same bytes on stdin.
  r = testing::run_streamdx_like({STREAMDX_BINARY, "epr", "reconstruct", "-", "--method", "fourier",
                                  "-o", (out / "stdin").string()},
                                 out / "acq.sdxe");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_file(out / "stdin" / "image.f32") == expected);

  // Over ZeroMQ, paced as an instrument would (5 ms a projection).
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  testing::ChildProcess sender([&] {
    auto args = send(p, "@" + address, "0.005");
    args.insert(args.begin(), STREAMDX_BINARY);
    return args;
  }());
  r = run_streamdx(reconstruct(address, out / "zmq"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sender.wait().exit_code, 0);
  EXPECT_TRUE(read_file(out / "zmq" / "image.f32") == expected);
  EXPECT_NE(r.err.find("113 projections of 2000 points received"), std::string::npos) << r.err;
}

TEST(EprAcquisition, BadStreamsEndInOneLineNamingWhatIsWrong) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-acquisition-bad");
  const Phalanx p = phalanx(dir);
  ASSERT_EQ(run_streamdx(send(p, (out / "acq.sdxe").string())).exit_code, 0);
  const std::string bytes = read_file(out / "acq.sdxe");

  auto refused = [&](const std::vector<std::string>& args, const std::string& words) {
    const auto r = run_streamdx(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out / "never" / "image.f32"));
  };
  testing::write_file(out / "cut.sdxe", bytes.substr(0, bytes.size() / 2));
  refused(reconstruct((out / "cut.sdxe").string(), out / "never"),
          "cut.sdxe: truncated inside a message after ");
  // A projection whose length differs from the header's, written by the library.
  {
    EprStreamSpec spec;
    spec.spec = (out / "long.sdxe").string();
    EprAcquisitionWriter w(spec);
    wire::EprHeader h;
    h.field = {1.0F, 2.0F, 3.0F};
    h.reference_field = {1.0F, 2.0F, 3.0F};
    h.reference = {0.0F, 1.0F, 0.0F};
    w.send(h);
    wire::EprProjection pr;
    pr.gradient_g_per_cm = {1.0, 0.0, 0.0};
    pr.values = {1.0F, 2.0F, 3.0F, 4.0F};
    w.send(pr);
    w.finish();
  }
  refused(reconstruct((out / "long.sdxe").string(), out / "never"),
          "projection 0 has 4 points where the header says 3");
  // No sender at all: the header never comes.
  const std::string silent = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  refused({"epr", "reconstruct", silent, "-o", (out / "never").string(), "--set",
           "zmq.peer_timeout_s=2"},
          "sent nothing for 2 s (dead or stalled) after 0 messages: no header came");
  // A sender killed mid-acquisition.
  const std::string address = "tcp://127.0.0.1:" + std::to_string(testing::free_tcp_port());
  testing::ChildProcess sender([&] {
    auto args = send(p, "@" + address, "0.05");
    args.insert(args.begin(), STREAMDX_BINARY);
    return args;
  }());
  testing::ChildProcess receiver({STREAMDX_BINARY, "epr", "reconstruct", address, "-o",
                                  (out / "never").string(), "--set", "zmq.peer_timeout_s=2"});
  std::this_thread::sleep_for(1500ms);
  sender.send_signal(SIGKILL);
  const auto ended = receiver.wait(30s);
  EXPECT_EQ(ended.exit_code, 1) << ended.err;
  EXPECT_NE(ended.err.find("sent nothing for 2 s (dead or stalled) after"), std::string::npos)
      << ended.err;
  EXPECT_FALSE(fs::exists(out / "never" / "image.f32"));
}

}  // namespace
}  // namespace streamdx
