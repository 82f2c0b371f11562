#pragma once
// The flags `epr run` and `epr reconstruct` share: the input and the reconstruction's knobs.
// Each flag given overrides its [epr] setting (configs/default.toml); the rest come from the
// configuration, so `--config` and `--set epr.KEY=VALUE` work as for EEG.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "apps/CommandLine.hpp"
#include "runtime/EprLivePipeline.hpp"

namespace streamdx {

class EprRunOptions {
 public:
  void add_to(CLI::App& cmd);
  // [epr] of `config`, then the flags given.
  [[nodiscard]] EprRunSettings settings(const Config& config) const;
  [[nodiscard]] EprInput input(const Config& config) const;
  [[nodiscard]] const std::string& spec() const noexcept { return input_.spec; }

 private:
  EprInput input_;
  std::string out_dir_ = "streamdx-epr";
  std::optional<std::string> method_;
  std::optional<std::string> tv_operator_;
  std::optional<std::string> reservoir_model_;
  std::optional<std::size_t> size_;
  std::optional<double> fov_cm_;
  std::optional<double> width_per_cm_;
  std::optional<unsigned> threads_;
  std::optional<unsigned> max_iterations_;
  std::optional<double> tolerance_;
  std::optional<double> step_scale_;
  std::optional<double> model_error_;
  std::optional<double> interval_s_;
};

}  // namespace streamdx
