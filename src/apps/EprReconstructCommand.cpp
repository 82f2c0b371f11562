// streamdx epr reconstruct: one image from projections and the reference, by TV with automatic
// lambda (default) or the Fourier baseline. It is the live pipeline (`epr run`) run to the end
// without the live re-runs and the image feed: the same stages, the same final image.
#include <fmt/format.h>

#include <cstdio>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "apps/EprRunOptions.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

class EprReconstructCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    options_.add_to(cmd);
    cmd.add_flag("--json", json_, "print the metadata JSON");
    config_.add_to(cmd);  // [epr]; [zmq]: peer timeout and CURVE keys for a ZeroMQ acquisition
  }

  int run() override {
    const Config config = config_.load();
    EprRunSettings settings = options_.settings(config);
    settings.live.rerun_every = 0;  // no live re-runs, no feed: only the final image
    settings.live.idle_s = 0;
    settings.display.clear();
    const EprRunOutcome o = run_epr_pipeline(options_.input(config), settings, config);
    if (o.exit_code != 0) return o.exit_code;  // the error is logged, in one line
    const EprReconstruction& r = *o.image;
    if (json_) {
      std::fputs(read_text_file(settings.out_dir / "image.json").c_str(), stdout);
      return 0;
    }
    std::printf("%s: %s in %.0f ms, residual %.3f x noise, negative mass %.2f %%%s -> %s\n",
                options_.spec().c_str(), r.method.c_str(), r.timings_ms.at("total"),
                r.residual_over_noise, 100 * r.negative_mass,
                r.method == "tv"
                    ? fmt::format(", lambda {:.4g}, {} iterations", r.lambda, r.iterations).c_str()
                    : "",
                settings.out_dir.string().c_str());
    return 0;
  }

 private:
  EprRunOptions options_;
  bool json_ = false;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<EprReconstructCli> kRegistered{
    {"reconstruct",
     "Reconstruct a 2D EPR image: non-negative TV with automatic lambda (default) or the Fourier "
     "baseline (the live pipeline, run to the end)",
     20, kEprGroup}};

}  // namespace

}  // namespace streamdx
