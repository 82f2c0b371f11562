#pragma once
// EprSnapshot: the image an EPR run published last, kept so that it can be written on request
// (SIGUSR1, `kill -USR1 PID`) while the run goes on: snapshot.f32 and snapshot.json in the output
// folder, each written atomically, so a reader never sees half of one. No PNG: drawing needs Qt's
// main thread, which the run holds.
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "stages/epr/LiveEprImage.hpp"

namespace streamdx {

class EprSnapshot {
 public:
  explicit EprSnapshot(std::filesystem::path out_dir);
  void set_expected(std::uint32_t projections);  // the header's count, once it came

  // Keeps a copy of `u` (any thread).
  void update(const EprImageUpdate& u);
  // Writes the latest image, or says there is none yet (any thread). Returns whether it wrote.
  bool write();

 private:
  std::filesystem::path out_dir_;
  std::uint32_t expected_ = 0;
  std::mutex mutex_;
  std::vector<float> image_;
  ImageGrid grid_;
  wire::EprImageStage stage_ = wire::EprImageStage::kBackProjection;
  std::size_t projections_ = 0;
  double lambda_ = 0;
  unsigned iterations_ = 0;
  std::uint64_t sequence_ = 0;
};

}  // namespace streamdx
