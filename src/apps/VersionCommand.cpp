#include <fmt/format.h>

#include <cstdio>

#include "apps/CommandLine.hpp"
#include "core/Json.hpp"
#include "core/Version.hpp"
#include "gui/QtRuntime.hpp"
#include "runtime/CudaDevices.hpp"
#include "stages/decoder/TorchBackend.hpp"

namespace streamdx {

int run_version_command(bool as_json) {
  const CudaDevices cuda = probe_cuda_devices();
  std::string torch;
  std::string torch_note;
  bool torch_cuda = false;
  try {
    TorchBackend& backend = torch_backend();
    torch = backend.version();
    torch_cuda = backend.cuda_available();
    torch_note =
        fmt::format("{} (plugin; CUDA {})", torch, backend.cuda_available() ? "yes" : "no");
  } catch (const std::exception& e) {
    torch_note = e.what();
  }
  const std::string qt = qt_version();
  const std::string gpu = cuda.count > 0 ? fmt::format("{} x {}", cuda.count, cuda.first_name)
                                         : fmt::format("none, using the CPU ({})", cuda.why_none);
  if (as_json) {
    const json::Json out = {{"version", version_string()},
                            {"git", git_describe()},
                            {"cuda_compiled", cuda.compiled_in},
                            {"cuda_devices", cuda.count},
                            {"gpu", gpu},
                            {"libtorch", torch},
                            {"libtorch_cuda", torch_cuda},
                            {"qt", qt}};
    std::fputs(json::text(out).c_str(), stdout);
    return 0;
  }
  fmt::print("streamdx {} ({})\n", version_string(), git_describe());
  fmt::print("  CUDA code paths: {}\n", cuda.compiled_in ? "built" : "not built");
  fmt::print("  GPU:             {}\n", gpu);
  fmt::print("  LibTorch:        {}\n", torch_note);
  fmt::print("  Qt GUI:          {}\n", qt.empty() ? "not built" : qt);
  return 0;
}

namespace {

class VersionCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override { cmd.add_flag("--json", json_, "As JSON"); }
  int run() override { return run_version_command(json_); }

 private:
  bool json_ = false;
};

const cli::CommandRegistration<VersionCli> kRegistered{
    {"version", "Print the version and the features of this build", 10}};

}  // namespace

}  // namespace streamdx
