#pragma once
// The `streamdx epr` command group's command line (CLI11), kept out of main.cpp.
#include <CLI/CLI.hpp>

#include "apps/EprCommands.hpp"

namespace streamdx {

class EprCli {
 public:
  explicit EprCli(CLI::App& app);
  [[nodiscard]] bool parsed() const;
  int run() const;

 private:
  CLI::App* group_;
  CLI::App* simulate_;
  CLI::App* reconstruct_;
  CLI::App* compare_;
  CLI::App* inspect_;
  EprSimulateCommand simulate_cmd_;
  EprReconstructCommand reconstruct_cmd_;
  EprCompareCommand compare_cmd_;
  std::string inspect_path_;
};

}  // namespace streamdx
