// streamdx epr run: the live EPR pipeline (runtime/EprLivePipeline.hpp). Projections stream in
// from a BES3T replay, stdin or ZeroMQ; the image is published after each one (--display), TV
// re-runs sharpen it as they arrive, and the final image is written at the end.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "apps/EprRunOptions.hpp"
#include "core/Percentile.hpp"
#include "core/SpawnSelf.hpp"

namespace streamdx {

namespace {

class EprRunCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    options_.add_to(cmd);
    cmd.add_option("--display", display_,
                   "publish every image on this display feed (sdx.epr.image) [epr.display], e.g. "
                   "tcp://127.0.0.1:5610");
    cmd.add_flag("--gui", gui_, "open the viewer on the image feed (streamdx gui --epr)");
    cmd.add_option("--wait-viewer", wait_viewer_s_,
                   "seconds to wait for a viewer on the feed before the first projection "
                   "(default: 10 with --gui, else 0)")
        ->check(CLI::Range(0.0, 3600.0));
    config_.add_to(cmd);
  }

  int run() override {
    const Config config = config_.load();
    EprRunSettings settings = options_.settings(config);
    if (display_) settings.display = *display_;
    settings.wait_viewer_s = wait_viewer_s_.value_or(gui_ ? 10.0 : 0.0);
    if (gui_ && settings.display.empty()) {
      const char* dir = std::getenv("XDG_RUNTIME_DIR");  // NOLINT(concurrency-mt-unsafe)
      settings.display =
          fmt::format("@ipc://{}/streamdx-epr-{}", dir != nullptr ? dir : "/tmp", getpid());
    }
    if (gui_) {
      std::filesystem::create_directories(settings.out_dir);
      const std::string address = settings.display.substr(settings.display.front() == '@' ? 1 : 0);
      spawn_self({"gui", "--epr", address}, settings.out_dir / "viewer.log", "the EPR viewer");
    }
    const EprRunOutcome o = run_epr_pipeline(options_.input(config), settings, config);
    if (o.exit_code != 0) return o.exit_code;  // the error is logged, in one line
    const EprReconstruction& r = *o.image;
    std::printf(
        "%s: %zu projections, update latency p50 %.2f ms, p99 %.2f ms; %zu live tv re-runs; "
        "final %s%s -> %s\n",
        options_.spec().c_str(), o.projections, percentile(o.update_latency_ms, 0.5),
        percentile(o.update_latency_ms, 0.99), o.tv_reruns, r.method.c_str(),
        r.method == "tv"
            ? fmt::format(" (lambda {:.4g}, {} iterations)", r.lambda, r.iterations).c_str()
            : "",
        settings.out_dir.string().c_str());
    return 0;
  }

 private:
  EprRunOptions options_;
  std::optional<std::string> display_;
  bool gui_ = false;
  std::optional<double> wait_viewer_s_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<EprRunCli> kRegistered{
    {"run",
     "Reconstruct live: projections from a BES3T replay, stdin or ZeroMQ; the image published "
     "as each arrives and sharpened by TV re-runs; the final image written at the end",
     10, kEprGroup}};

}  // namespace

}  // namespace streamdx
