// streamdx epr send: an EPR imaging acquisition replayed one projection at a time, as an
// instrument delivers it (docs/PROTOCOL.md, "EPR acquisition"), to a ZeroMQ endpoint, stdout or
// an .sdxe file.
#include <fmt/format.h>

#include <optional>

#include "apps/CommandLine.hpp"
#include "apps/EprGroup.hpp"
#include "runtime/EprAcquisitionInput.hpp"
#include "stages/epr/EprAcquisition.hpp"

namespace streamdx {

namespace {

class EprSendCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    cmd.add_option("PROJ", projections_, "projections, BES3T .DSC")->required();
    cmd.add_option("--reference", reference_, "zero-gradient reference spectrum h, BES3T .DSC")
        ->required();
    cmd.add_option("--fgrad", fgrad_, "gradient vectors, G/cm (as epr reconstruct)");
    cmd.add_option("--to", to_,
                   "- (stdout), an .sdxe file, or a ZeroMQ endpoint (binds unless '>'), e.g. "
                   "@tcp://127.0.0.1:5610")
        ->required();
    cmd.add_option("--interval", interval_s_,
                   "seconds between projections, as the instrument paces them (0: at once)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 3600.0));
    cmd.add_option("--order", order_,
                   "sequential (as stored) or interleaved (bit-reversed: every prefix covers the "
                   "angles evenly, so a live image is good early)")
        ->capture_default_str()
        ->check(CLI::IsMember({"sequential", "interleaved"}));
    config_.add_to(cmd);
  }
  int run() override {
    const Config config = config_.load();
    const auto fgrad = fgrad_.empty() ? std::nullopt : std::optional<std::filesystem::path>(fgrad_);
    const ProjectionSet set = load_projections(projections_, fgrad);
    const ReferenceSpectrum ref = load_reference(reference_);
    if (to_ != "-" && !is_acquisition_stream(to_)) {
      throw std::invalid_argument(
          fmt::format("--to {}: expected -, an .sdxe file or a ZeroMQ endpoint", to_));
    }
    send_acquisition(set, ref, acquisition_stream_spec(to_, config, ZmqRole::kBind), interval_s_,
                     order_);
    return 0;
  }

 private:
  std::string projections_;
  std::string reference_;
  std::string fgrad_;
  std::string to_;
  double interval_s_ = 0;
  std::string order_ = "sequential";
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<EprSendCli> kRegistered{
    {"send",
     "Replay an EPR imaging acquisition one projection at a time (header with the reference, "
     "then each projection with its gradient) to a ZeroMQ endpoint, stdout or an .sdxe file",
     35, kEprGroup}};

}  // namespace

}  // namespace streamdx
