#pragma once
// The visualizer as a command (`streamdx gui`): a live view of a running pipeline's display
// feed, or the replay of a finished run. Kept free of Qt types so the command line and builds
// without the GUI need no Qt headers.
#include <optional>
#include <string>

#include "io/CurveKeys.hpp"

namespace streamdx {

struct GuiOptions {
  std::string connect;        // live: the display feed, e.g. tcp://127.0.0.1:5600
  std::string epr;            // live EPR: an `epr run --display` feed
  std::string replay_signal;  // replay: the run's EDF+ signal file ...
  std::string replay_hyp;     // ... and its HYP file
  double span_s = 30;
  double uv_per_div = 100;
  double at_s = 0;                // replay: where the view starts
  int event = 0;                  // replay: open centred on this seizure event (1 = first)
  std::string screenshot;         // grab the window to this PNG, then quit
  double screenshot_after_s = 0;  // live: wait this long first
  std::string stats;              // live: write the feed's counters here (JSON) on exit
  // live: CURVE for a feed bound with zmq.curve_key (the publisher's public key, Z85), and this
  // viewer's own pair (a fresh one when absent).
  std::string curve_server_key;
  std::optional<CurveKeyPair> curve_keys;
};

// Returns the exit code. Fails with a one-line error when there is no display to open.
int run_gui(const GuiOptions& options);

}  // namespace streamdx
