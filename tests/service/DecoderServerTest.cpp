// The decoder service in this process, on real sockets, with the real model: batched posteriors
// are the in-process bits, a full queue answers busy (and the client's resend still gets its
// answer), and garbage on the port changes nothing.
#include "service/DecoderServer.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <random>
#include <thread>

#include "io/NpyWriter.hpp"
#include "runtime/ModelLoading.hpp"
#include "service/DecoderConnection.hpp"
#include "stages/decoder/DecoderShape.hpp"
#include "support/ChildProcess.hpp"
#include "support/TestData.hpp"

namespace streamdx::service {
namespace {

std::shared_ptr<SeizureModel> real_model() {
  Config config;
  config.set_string("decoder.model", STREAMDX_SOURCE_DIR "/models/seizure-lstm.pt");
  return load_seizure_model(config);
}

// `count` requests of `channels` channel-windows, each from random LFCC-like epochs encoded by
// the model, as the encoder stage would make them.
struct Windows {
  std::vector<RequestHead> heads;
  std::vector<std::vector<float>> encodings;
};

Windows make_windows(SeizureModel& model, std::size_t count, std::uint16_t channels,
                     std::uint64_t stream) {
  std::mt19937 rng(static_cast<std::uint32_t>(stream));
  std::normal_distribution<float> normal(0.0F, 2.0F);
  Windows w;
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<float> raw(std::size_t{channels} * decoder::kSteps * decoder::kInputs);
    for (float& v : raw) v = normal(rng);
    std::vector<float> enc(std::size_t{channels} * decoder::kSteps * model.encoding_size());
    model.encode_epochs(raw, std::size_t{channels} * decoder::kSteps, enc);
    RequestHead h;
    h.stream_id = stream;
    h.sequence = i;
    h.channels = channels;
    h.steps = decoder::kSteps;
    h.encoding_size = static_cast<std::uint32_t>(model.encoding_size());
    w.heads.push_back(h);
    w.encodings.push_back(std::move(enc));
  }
  return w;
}

// Sends every window through `connection` in one decode() and returns the posteriors.
std::vector<std::vector<float>> decode_remotely(DecoderConnection& connection, const Windows& w) {
  std::vector<std::vector<float>> out(w.heads.size());
  std::vector<DecodeCall> calls(w.heads.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    out[i].resize(std::size_t{w.heads[i].channels} * 2);
    calls[i] = {w.heads[i], w.encodings[i], out[i]};
  }
  connection.decode(calls);
  return out;
}

std::vector<float> decode_here(SeizureModel& model, const Windows& w, std::size_t i) {
  std::vector<float> p(std::size_t{w.heads[i].channels} * 2);
  model.decode_windows(w.encodings[i], w.heads[i].channels, p);
  return p;
}

struct RunningServer {
  std::unique_ptr<DecoderServer> server;
  std::thread thread;
  std::string address;

  RunningServer(const std::shared_ptr<SeizureModel>& model, DecoderServerOptions options) {
    options.bind = ZmqEndpoint::parse("@tcp://127.0.0.1:*", ZmqRole::kBind, false);
    ServerIdentity id;
    id.engine = model->engine();
    id.encoding_size = model->encoding_size();
    server = std::make_unique<DecoderServer>(model, id, std::move(options));
    address = server->endpoints().at(0);
    thread = std::thread([this] { server->run(); });
  }
  ~RunningServer() {
    server->stop();
    thread.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;
};

TEST(DecoderServer, BatchedPosteriorsAreTheInProcessBits) {
  STREAMDX_TORCH_OR_SKIP();
  auto model = real_model();
  auto reference = real_model();
  DecoderServerOptions options;
  options.max_batch = 64;
  options.max_queue_delay = std::chrono::milliseconds(20);
  RunningServer running(model, options);
  std::vector<Windows> streams;
  for (std::uint64_t s = 0; s < 3; ++s) streams.push_back(make_windows(*reference, 30, 4, s + 1));
  std::vector<std::vector<std::vector<float>>> got(streams.size());
  std::vector<std::thread> clients;
  for (std::size_t s = 0; s < streams.size(); ++s) {
    clients.emplace_back([&, s] {
      ConnectionSettings settings;
      settings.address = running.address;
      DecoderConnection connection(settings);
      got[s] = decode_remotely(connection, streams[s]);
    });
  }
  for (auto& t : clients) t.join();
  for (std::size_t s = 0; s < streams.size(); ++s) {
    for (std::size_t i = 0; i < streams[s].heads.size(); ++i) {
      ASSERT_EQ(got[s][i], decode_here(*reference, streams[s], i)) << "stream " << s << " #" << i;
    }
  }
  const json::Json stats = running.server->metrics().to_json();
  EXPECT_EQ(stats["windows"], 3 * 30 * 4);
  // 90 requests of 4 windows, up to 16 a batch: batching must have happened.
  EXPECT_LT(stats["batches"].get<int>(), 45) << stats.dump();
  EXPECT_EQ(stats["busy_replies"], 0);
}

// A model that holds its first forward pass until released, so that the queue can be filled
// while the compute thread is busy.
class GatedModel final : public SeizureModel {
 public:
  explicit GatedModel(std::shared_ptr<SeizureModel> inner) : inner_(std::move(inner)) {}
  [[nodiscard]] std::size_t encoding_size() const override { return inner_->encoding_size(); }
  void encode_epochs(std::span<const float> e, std::size_t n, std::span<float> out) override {
    inner_->encode_epochs(e, n, out);
  }
  void decode_windows(std::span<const float> e, std::size_t b, std::span<float> out) override {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
    inner_->decode_windows(e, b, out);
  }
  [[nodiscard]] std::string device() const override { return inner_->device(); }
  [[nodiscard]] std::string engine() const override { return inner_->engine(); }
  void wait_entered() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return entered_; });
  }
  void open() {
    const std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::shared_ptr<SeizureModel> inner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool open_ = false;
};

TEST(DecoderServer, AFullQueueAnswersBusyAndTheResendIsAnswered) {
  STREAMDX_TORCH_OR_SKIP();
  auto reference = real_model();
  auto gated = std::make_shared<GatedModel>(real_model());
  DecoderServerOptions options;
  options.max_batch = 8;
  options.max_queue = 8;  // one request of 8 windows
  options.max_queue_delay = std::chrono::microseconds(0);
  RunningServer running(gated, options);
  ConnectionSettings settings;
  settings.address = running.address;

  const Windows first = make_windows(*reference, 1, 8, 1);
  const Windows more = make_windows(*reference, 2, 8, 2);
  std::vector<std::vector<float>> got_first;
  std::vector<std::vector<float>> got_more;
  ConnectionCounters counters;
  std::thread a([&] {
    DecoderConnection c(settings);
    got_first = decode_remotely(c, first);
  });
  gated->wait_entered();  // the first request is being computed; the queue is empty
  std::thread b([&] {
    DecoderConnection c(settings, &counters);
    got_more = decode_remotely(c, more);  // one fills the queue, the other is refused: busy
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (running.server->metrics().to_json()["busy_replies"].get<int>() == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  gated->open();
  a.join();
  b.join();
  ASSERT_GE(counters.busy.load(), 1U) << "the full queue never answered busy";
  EXPECT_EQ(got_first[0], decode_here(*reference, first, 0));
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(got_more[i], decode_here(*reference, more, i));
}

TEST(DecoderServer, AnUnansweredRequestIsResentAndTheDuplicateReplyDropped) {
  STREAMDX_TORCH_OR_SKIP();
  auto reference = real_model();
  auto gated = std::make_shared<GatedModel>(real_model());
  RunningServer running(gated, DecoderServerOptions{});
  ConnectionSettings settings;
  settings.address = running.address;
  settings.resend_after = std::chrono::milliseconds(50);
  ConnectionCounters counters;
  DecoderConnection connection(settings, &counters);
  const Windows w = make_windows(*reference, 2, 3, 4);
  const Windows first{{w.heads[0]}, {w.encodings[0]}};
  const Windows second{{w.heads[1]}, {w.encodings[1]}};
  std::vector<std::vector<float>> got;
  std::thread client([&] { got = decode_remotely(connection, first); });
  gated->wait_entered();
  while (counters.resent.load() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  gated->open();
  client.join();
  EXPECT_EQ(got[0], decode_here(*reference, first, 0));
  // The resent copies are answered too; those answers arrive during the next call and are
  // dropped by sequence number, and the next call still gets its own.
  got = decode_remotely(connection, second);
  EXPECT_EQ(got[0], decode_here(*reference, second, 0));
  EXPECT_GE(counters.duplicates.load(), 1U);
}

TEST(DecoderServer, GarbageOnThePortIsDroppedAndChangesNothing) {
  STREAMDX_TORCH_OR_SKIP();
  auto model = real_model();
  RunningServer running(model, DecoderServerOptions{});
  const std::string& a = running.address;
  const int port = std::stoi(a.substr(a.rfind(':') + 1));
  // A raw TCP client that speaks no ZMTP.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string junk(4096, '\xff');
  ASSERT_GT(::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL), 0);
  char buf[256];
  while (::recv(fd, buf, sizeof buf, 0) > 0) {
  }  // the server hangs up
  ::close(fd);

  // A ZeroMQ client sending a malformed request gets an error reply, not silence.
  zmq::socket_t dealer(zmq_context(), zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect(a);
  dealer.send(zmq::str_buffer("SDXQ not a request"));
  zmq::message_t reply;
  ASSERT_TRUE(dealer.recv(reply));
  const Reply r = parse_reply({reply.data<std::uint8_t>(), reply.size()});
  EXPECT_EQ(r.kind, ReplyKind::kError);
  EXPECT_NE(r.text.find("bad request"), std::string::npos) << r.text;

  ConnectionSettings settings;
  settings.address = a;
  DecoderConnection good(settings);
  EXPECT_EQ(good.hello()["encoding_size"], model->encoding_size());
  const json::Json stats = good.stats();
  EXPECT_GE(stats["clients_refused"].get<int>(), 1) << stats.dump();
  EXPECT_EQ(stats["error_replies"], 1);
}

// tests/protocol/client.py, written from docs/PROTOCOL.md alone with pyzmq, gets the C++
// client's posteriors for the same windows.
TEST(DecoderServer, AnIndependentPythonClientGetsTheSamePosteriors) {
  STREAMDX_TORCH_OR_SKIP();
  const char* python = "/usr/bin/python3";
  if (std::system("/usr/bin/python3 -c 'import zmq, numpy' 2>/dev/null") != 0) {  // NOLINT
    if (testing::data_required()) FAIL() << "python3-zmq and python3-numpy are needed";
    GTEST_SKIP() << "python3-zmq or python3-numpy missing (scripts/setup.sh installs them)";
  }
  auto model = real_model();
  auto reference = real_model();
  RunningServer running(model, DecoderServerOptions{});
  const Windows w = make_windows(*reference, 12, 22, 9);
  ConnectionSettings settings;
  settings.address = running.address;
  DecoderConnection connection(settings);
  const auto posteriors = decode_remotely(connection, w);

  const auto dir = testing::scratch_dir("python-client");
  NpyWriter windows(dir / "windows.npy", {22, decoder::kSteps, model->encoding_size()});
  NpyWriter expected(dir / "expected.npy", {22, 2});
  for (std::size_t i = 0; i < w.heads.size(); ++i) {
    windows.append(w.encodings[i]);
    expected.append(posteriors[i]);
  }
  windows.commit();
  expected.commit();
  const std::string client = STREAMDX_SOURCE_DIR "/tests/protocol/client.py";
  const auto r =
      testing::run_streamdx_like({python, client, running.address, (dir / "windows.npy").string(),
                                  (dir / "expected.npy").string()},
                                 "/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("bit for bit"), std::string::npos) << r.out;
}

// A stand-in model whose posteriors are a checksum of each window, so that the server's threads
// can be exercised where the real model cannot load (the sanitizer builds have no LibTorch).
class ChecksumModel final : public SeizureModel {
 public:
  [[nodiscard]] std::size_t encoding_size() const override { return 3; }
  void encode_epochs(std::span<const float> e, std::size_t, std::span<float> out) override {
    std::copy(e.begin(), e.begin() + static_cast<std::ptrdiff_t>(out.size()), out.begin());
  }
  void decode_windows(std::span<const float> e, std::size_t batch, std::span<float> out) override {
    const std::size_t per = decoder::kSteps * 3;
    for (std::size_t b = 0; b < batch; ++b) {
      float sum = 0;
      for (std::size_t i = 0; i < per; ++i) sum += e[b * per + i] * static_cast<float>(i + 1);
      out[2 * b] = sum;
      out[2 * b + 1] = -sum;
    }
  }
  [[nodiscard]] std::string device() const override { return "cpu"; }
  [[nodiscard]] std::string engine() const override { return "checksum"; }
};

TEST(DecoderServer, ManyClientsThroughASmallQueueEachGetTheirOwnAnswers) {
  auto model = std::make_shared<ChecksumModel>();
  DecoderServerOptions options;
  options.max_batch = 6;
  options.max_queue = 12;  // four clients of 3-channel requests keep it full: busy replies
  options.max_queue_delay = std::chrono::microseconds(200);
  RunningServer running(model, options);
  ConnectionCounters counters;
  std::vector<std::thread> clients;
  std::atomic<int> wrong{0};
  for (std::uint64_t c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      ConnectionSettings settings;
      settings.address = running.address;
      DecoderConnection connection(settings, &counters);
      std::mt19937 rng(static_cast<std::uint32_t>(c));
      std::uniform_real_distribution<float> u(-1, 1);
      for (std::uint64_t round = 0; round < 20; ++round) {
        Windows w;
        for (std::uint64_t i = 0; i < 5; ++i) {
          RequestHead h{RequestKind::kDecode, c, round * 5 + i, 3, decoder::kSteps, 3};
          std::vector<float> enc(3 * decoder::kSteps * 3);
          for (float& v : enc) v = u(rng);
          w.heads.push_back(h);
          w.encodings.push_back(std::move(enc));
        }
        const auto got = decode_remotely(connection, w);
        for (std::size_t i = 0; i < got.size(); ++i) {
          ChecksumModel local;
          if (got[i] != decode_here(local, w, i)) ++wrong;
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(counters.requests.load(), 4U * 20 * 5);
  const json::Json stats = running.server->metrics().to_json();
  EXPECT_EQ(stats["windows"], 4 * 20 * 5 * 3) << stats.dump();
}

TEST(DecoderServer, AServerWithoutKeysRefusesAPublicBind) {
  EXPECT_TRUE(
      ZmqEndpoint::parse("@tcp://0.0.0.0:5555", ZmqRole::kBind, true).binds_beyond_loopback());
  EXPECT_FALSE(
      ZmqEndpoint::parse("@tcp://127.0.0.1:5555", ZmqRole::kBind, true).binds_beyond_loopback());
  EXPECT_FALSE(ZmqEndpoint::parse("@ipc:///tmp/x", ZmqRole::kBind, true).binds_beyond_loopback());
}

}  // namespace
}  // namespace streamdx::service
