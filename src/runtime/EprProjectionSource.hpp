#pragma once
// The live EPR pipeline's source and what its nodes share (runtime/EprLivePipeline.hpp).
//
// The source reads an acquisition, whatever carries it: a BES3T data set replayed one
// projection at a time (paced by the [epr] interval, through PacedSource), or an acquisition
// stream (`epr send`: stdin, ZeroMQ, an .sdxe file). Each projection becomes a one-channel frame
// of its points; the frame's recording time is index x interval, and its first stamp is when it
// arrived, the start of the latency the image sink measures.
//
// A projection's gradient and the header are not samples: the source files each projection in
// the EprAcquisitionLog, which the later nodes read by the frame's sequence number. A frame
// reaches a node only after it was filed (the ring between them orders the two).
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/Config.hpp"
#include "core/Stage.hpp"
#include "io/EprAcquisitionStream.hpp"
#include "io/EprWireMessages.hpp"
#include "stages/epr/ProjectionDeconvolution.hpp"

namespace streamdx {

class EprAcquisitionLog {
 public:
  // `reference_name`: the reference spectrum's file, or the stream's source.
  EprAcquisitionLog(wire::EprHeader header, const std::string& reference_name);
  [[nodiscard]] const wire::EprHeader& header() const noexcept { return header_; }
  [[nodiscard]] const ReferenceSpectrum& reference() const noexcept { return reference_; }
  void file(wire::EprProjection p);
  // A copy: the source may be filing the next one meanwhile.
  [[nodiscard]] wire::EprProjection projection(std::size_t sequence) const;

  // Set by the deconvolution node with the first projection, read by the sink after it.
  void set_deconvolution(std::shared_ptr<const ProjectionDeconvolution> d);
  [[nodiscard]] std::shared_ptr<const ProjectionDeconvolution> deconvolution() const;

 private:
  const wire::EprHeader header_;
  ReferenceSpectrum reference_;
  mutable std::mutex mutex_;
  std::deque<wire::EprProjection> projections_;
  std::shared_ptr<const ProjectionDeconvolution> deconvolution_;
};

// Where the projections come from, as the user names them.
struct EprInput {
  std::string spec;       // a BES3T .DSC, "-", a ZeroMQ endpoint or an .sdxe file
  std::string reference;  // BES3T only
  std::string fgrad;      // BES3T only, optional
  double interval_s = 0;  // BES3T replay: seconds between projections
};

// A source node reading `input`. Reads the header now (throws one line naming the input when it
// never comes, or the files are wrong); `log` then holds it.
class EprProjectionSource final : public FrameSourceNode {
 public:
  EprProjectionSource(const EprInput& input, const Config& config);
  ~EprProjectionSource() override;
  [[nodiscard]] std::string_view name() const override { return "epr-source"; }
  FramePtr next(const std::stop_token& stop) override;
  [[nodiscard]] std::shared_ptr<EprAcquisitionLog> log() const { return log_; }
  [[nodiscard]] std::string where() const;

 private:
  std::optional<wire::EprProjection> read_next();

  struct Replay;
  std::unique_ptr<Replay> replay_;                // BES3T input
  std::unique_ptr<EprAcquisitionReader> reader_;  // stream input
  std::shared_ptr<EprAcquisitionLog> log_;
  double interval_s_ = 0;
  std::uint64_t sequence_ = 0;
};

}  // namespace streamdx
