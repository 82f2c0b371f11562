#pragma once
// The benchmark's plots (`streamdx bench --plot FILE.png`), drawn off-screen with Qt Charts: no
// display is needed. Free of Qt types, like GuiApp.hpp.
#include <map>
#include <string>
#include <vector>

namespace streamdx {

// One --find-max probe.
struct BenchPlotPoint {
  double streams = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  bool within_budget = false;
};

// The latency distribution of every stage as a CDF (log time axis). Throws std::runtime_error
// naming the file when it cannot be written, or when this build has no GUI.
void write_latency_plot(const std::string& path,
                        const std::map<std::string, std::vector<double>>& samples_ms,
                        const std::string& title);

// Decision latency (p50, p99) against the number of streams, with the budget.
void write_scaling_plot(const std::string& path, const std::vector<BenchPlotPoint>& probes,
                        double budget_ms);

}  // namespace streamdx
