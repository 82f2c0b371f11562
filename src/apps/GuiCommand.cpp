// streamdx gui: the Qt viewer, live on a run's display feed or replaying its files.
#include <string>
#include <vector>

#include "apps/CommandLine.hpp"
#include "gui/GuiApp.hpp"
#include "io/CurveKeys.hpp"

namespace streamdx {

namespace {

class GuiCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    auto* connect =
        cmd.add_option("--connect", o_.connect, "the display feed, e.g. tcp://127.0.0.1:5600");
    auto* epr = cmd.add_option(
        "--epr", o_.epr,
        "a live EPR run's image feed (epr run --display), e.g. tcp://127.0.0.1:5610");
    cmd.add_option("--replay", replay_, "SIGNAL.edf HYP: a finished run's signal and HYP files")
        ->expected(2)
        ->excludes(connect)
        ->excludes(epr);
    epr->excludes(connect);
    cmd.add_option("--span", o_.span_s, "seconds shown (10, 30, 60; replay also 5-600)")
        ->capture_default_str();
    cmd.add_option("--gain", o_.uv_per_div, "µV per division")->capture_default_str();
    cmd.add_option("--at", o_.at_s, "replay: start the view here (seconds)");
    cmd.add_option("--event", o_.event, "replay: open on the Nth seizure event");
    cmd.add_option("--screenshot", o_.screenshot, "save the window as PNG, then quit");
    cmd.add_option("--screenshot-after", o_.screenshot_after_s,
                   "seconds to wait before the screenshot (live)");
    cmd.add_option("--stats", o_.stats,
                   "live: write the feed counters (received, dropped for display) here on exit");
    config_.add_to(cmd);  // zmq.curve_server_key (and zmq.curve_key) for a CURVE feed
  }
  int run() override {
    const Config config = config_.load();
    if (const std::string server = config.get_string("zmq.curve_server_key"); !server.empty()) {
      o_.curve_server_key = read_curve_keys(server, false).public_key;
    }
    if (const std::string own = config.get_string("zmq.curve_key"); !own.empty()) {
      o_.curve_keys = read_curve_keys(own, true);
    }
    if (replay_.size() == 2) {
      o_.replay_signal = replay_[0];
      o_.replay_hyp = replay_[1];
    }
    return run_gui(o_);
  }

 private:
  GuiOptions o_;
  std::vector<std::string> replay_;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<GuiCli> kRegistered{
    {"gui",
     "The Qt viewer: --connect ADDR shows a running pipeline live (`streamdx run --display "
     "ADDR`); --epr ADDR a live EPR image (`streamdx epr run --display ADDR`); --replay "
     "SIGNAL.edf HYP shows a finished run from its files",
     60}};

}  // namespace

}  // namespace streamdx
