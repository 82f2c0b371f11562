// `streamdx serve`: the seizure decoder as a ZeroMQ service; `streamdx serve-status`: its
// metrics. The server is service/DecoderServer.hpp; this file parses options and calls it.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>

#include "apps/CommandLine.hpp"
#include "core/SignalStop.hpp"
#include "runtime/ModelLoading.hpp"
#include "service/DecoderConnection.hpp"
#include "service/DecoderServer.hpp"

namespace streamdx {

namespace {

struct ServeOptions {
  std::string bind = "tcp://127.0.0.1:5555";
  std::string admin;
  std::string model;
  std::string device;
  std::size_t max_batch = 1024;
  std::size_t max_queue = 16384;
  std::int64_t max_queue_delay_us = 1000;
  std::string curve_key;                     // the server's NAME.key
  std::vector<std::string> allowed_clients;  // NAME.pub files
};

ZmqEndpoint serve_endpoint(const std::string& spec, bool curve) {
  ZmqEndpoint ep = ZmqEndpoint::parse(spec, ZmqRole::kBind, true);
  if (ep.role != ZmqRole::kBind) {
    throw std::invalid_argument(fmt::format("{}: a server binds; drop the '>'", spec));
  }
  if (ep.binds_beyond_loopback() && !curve) {
    throw std::invalid_argument(fmt::format(
        "refusing to serve on {} beyond loopback without CURVE: make keys with `streamdx keygen "
        "-o server` and start with --curve-key server.key (clients: --set "
        "decoder.service_key=server.pub)",
        ep.address));
  }
  return ep;
}

int run_serve(const ServeOptions& o, Config& config) {
  if (!o.device.empty()) config.set_string("decoder.device", o.device);
  service::DecoderServerOptions options;
  if (!o.curve_key.empty()) options.curve = read_curve_keys(o.curve_key, true);
  for (const std::string& f : o.allowed_clients) {
    options.allowed_clients.push_back(read_curve_keys(f, false).public_key);
  }
  if (!options.allowed_clients.empty() && !options.curve) {
    throw std::invalid_argument("--allow-client needs --curve-key: an allow-list is of CURVE keys");
  }
  options.bind = serve_endpoint(o.bind, options.curve.has_value());
  if (!o.admin.empty()) options.admin = serve_endpoint(o.admin, options.curve.has_value());
  options.max_batch = o.max_batch;
  options.max_queue = o.max_queue;
  options.max_queue_delay = std::chrono::microseconds(o.max_queue_delay_us);

  const std::filesystem::path model_path =
      resolve_model_path(o.model.empty() ? config.get_string("decoder.model") : o.model);
  const std::shared_ptr<SeizureModel> model = load_seizure_model(config, model_path.string());
  service::ServerIdentity identity;
  identity.model_file = model_path.string();
  identity.model_sha256 = sha256_file(model_path);
  identity.engine = model->engine();
  identity.device = model->device();
  identity.encoding_size = model->encoding_size();

  service::DecoderServer server(model, identity, std::move(options));
  const SignalStop signals([&server](int) { server.stop(); });
  spdlog::info(
      "decoder service on {} ({}, {} engine on {}, sha256 {}); batches of up to {} "
      "windows, {} us queue delay, queue of {} windows{}",
      fmt::join(server.endpoints(), " and "), model_path.filename().string(), identity.engine,
      identity.device, identity.model_sha256, o.max_batch, o.max_queue_delay_us, o.max_queue,
      o.curve_key.empty() ? "" : ", CURVE");
  server.run();
  const json::Json stats = server.metrics().to_json();
  spdlog::info("decoder service stopped after {} requests in {} batches ({} busy, {} errors)",
               stats.at("requests").dump(), stats.at("batches").dump(),
               stats.at("busy_replies").dump(), stats.at("error_replies").dump());
  return 0;  // a signal is how a service is meant to stop
}

class ServeCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("--bind", o_.bind,
                   "where clients connect (loopback unless CURVE keys are given)")
        ->capture_default_str();
    cmd.add_option("--admin", o_.admin,
                   "a second endpoint answering hello and stats only (serve-status)");
    cmd.add_option("--model", o_.model, "the model file (default decoder.model)");
    cmd.add_option("--device", o_.device, "cpu or cuda (default decoder.device)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
    cmd.add_option("--max-batch", o_.max_batch, "channel-windows per forward pass")
        ->capture_default_str()
        ->check(CLI::Range(1, 1 << 20));
    cmd.add_option("--max-queue", o_.max_queue,
                   "channel-windows waiting at most; beyond, requests get a busy reply")
        ->capture_default_str()
        ->check(CLI::Range(1, 1 << 24));
    cmd.add_option("--max-queue-delay-us", o_.max_queue_delay_us,
                   "how long a partial batch waits for more requests")
        ->capture_default_str()
        ->check(CLI::Range(0, 10'000'000));
    cmd.add_option("--curve-key", o_.curve_key,
                   "the server's key pair (NAME.key from streamdx keygen): clients need NAME.pub");
    cmd.add_option("--allow-client", o_.allowed_clients,
                   "only these clients' public keys (NAME.pub) may connect (with --curve-key)");
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    return run_serve(o_, config);
  }

 private:
  ServeOptions o_;
  cli::ConfigOptions config_;
};

class ServeStatusCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("ADDR", address_, "the service or its admin endpoint")->required();
    cmd.add_flag("--json", json_, "as JSON");
    cmd.add_option("--server-key", server_key_, "the service's public key (NAME.pub), for CURVE");
    cmd.add_option("--timeout", timeout_s_, "seconds to wait for an answer")->capture_default_str();
  }
  int run() override {
    service::ConnectionSettings s;
    s.address = address_;
    s.give_up_after = std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s_ * 1000));
    s.resend_after = s.give_up_after;
    if (!server_key_.empty())
      s.server_key = read_curve_keys(server_key_, false).public_key;
    service::DecoderConnection connection(s);
    const json::Json stats = connection.stats();
    std::fputs(json_ ? json::text(stats).c_str() : service::stats_text(stats).c_str(), stdout);
    return 0;
  }

 private:
  std::string address_;
  std::string server_key_;
  double timeout_s_ = 5;
  bool json_ = false;
};

class KeygenCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("-o,--out", stem_, "writes STEM.key (secret, mode 0600) and STEM.pub")
        ->capture_default_str();
  }
  int run() override {
    write_curve_keys(stem_, make_curve_keys());
    fmt::print("{0}.key: the key pair (keep it private)\n{0}.pub: the public key (hand it out)\n",
               stem_);
    return 0;
  }

 private:
  std::string stem_ = "streamdx";
};

const cli::CommandRegistration<ServeCli> kServe{
    {"serve",
     "Run the seizure decoder as a network service (ZeroMQ ROUTER) that `run --decoder ADDR` "
     "and `bench --decoder ADDR` use: dynamic batching across streams, a bounded queue, "
     "metrics (docs/PROTOCOL.md)",
     55}};
const cli::CommandRegistration<ServeStatusCli> kServeStatus{
    {"serve-status", "Print a decoder service's metrics: requests, batches, queue delay, busy",
     56}};
const cli::CommandRegistration<KeygenCli> kKeygen{
    {"keygen", "Make a CURVE key pair for the decoder service (STEM.key and STEM.pub)", 57}};

}  // namespace

}  // namespace streamdx
