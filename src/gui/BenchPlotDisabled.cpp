// Built instead of BenchPlot.cpp when STREAMDX_WITH_GUI=OFF.
#include <stdexcept>

#include "gui/BenchPlot.hpp"

namespace streamdx {

void write_latency_plot(const std::string& path,
                        const std::map<std::string, std::vector<double>>& /*samples_ms*/,
                        const std::string& /*title*/) {
  throw std::runtime_error(path + ": plots need the Qt GUI, and this build has none");
}

void write_scaling_plot(const std::string& path, const std::vector<BenchPlotPoint>& /*probes*/,
                        double /*budget_ms*/) {
  throw std::runtime_error(path + ": plots need the Qt GUI, and this build has none");
}

}  // namespace streamdx
