#include "runtime/EprSnapshot.hpp"

#include <spdlog/spdlog.h>

#include "core/Json.hpp"
#include "core/Version.hpp"
#include "io/AtomicFile.hpp"
#include "io/RawFloatFile.hpp"

namespace streamdx {

namespace {

const char* stage_name(wire::EprImageStage s) {
  switch (s) {
    case wire::EprImageStage::kBackProjection: return "back-projection";
    case wire::EprImageStage::kTv: return "tv re-run";
    case wire::EprImageStage::kFinal: return "final";
  }
  return "";
}

}  // namespace

EprSnapshot::EprSnapshot(std::filesystem::path out_dir) : out_dir_(std::move(out_dir)) {}

void EprSnapshot::set_expected(std::uint32_t projections) {
  const std::lock_guard lock(mutex_);
  expected_ = projections;
}

void EprSnapshot::update(const EprImageUpdate& u) {
  const std::lock_guard lock(mutex_);
  image_ = *u.image;
  grid_ = u.grid;
  stage_ = u.stage;
  projections_ = u.projections;
  lambda_ = u.lambda;
  iterations_ = u.iterations;
  sequence_ = u.sequence;
}

bool EprSnapshot::write() {
  const std::lock_guard lock(mutex_);
  if (image_.empty()) {
    spdlog::info("snapshot requested: no image yet");
    return false;
  }
  std::filesystem::create_directories(out_dir_);
  write_f32_file(out_dir_ / "snapshot.f32", image_);
  const json::Json grid =
      grid_.dimensions == 3 ? json::Json{grid_.n, grid_.n, grid_.n} : json::Json{grid_.n, grid_.n};
  write_file_atomically(out_dir_ / "snapshot.json",
                        json::text({{"version", version_string()},
                                    {"image", stage_name(stage_)},
                                    {"sequence", sequence_},
                                    {"projections", projections_},
                                    {"expected_projections", expected_},
                                    {"grid", grid},
                                    {"fov_cm", grid_.fov_cm},
                                    {"dtype", "float32 little-endian, x fastest"},
                                    {"lambda", lambda_},
                                    {"iterations", iterations_}}));
  spdlog::info("snapshot written: {} ({}, {} projections)", (out_dir_ / "snapshot.f32").string(),
               stage_name(stage_), projections_);
  return true;
}

}  // namespace streamdx
