#pragma once
// EprViewerWindow: `streamdx gui --epr ADDR`, the live EPR image as a run (`epr run --display`)
// publishes it: the image as it sharpens, with a colour bar and millimetre axes; the sinogram
// filling in, one row per projection as it arrives; a status line with the projection count,
// what the image is (the back-projection of what arrived, a TV re-run, the final solve), the
// current lambda, how old the image is, and the images missed.
//
// The feed's thread (DisplayFeedReceiver) fills a drop-oldest ring; a timer on the GUI thread
// drains it, so a slow screen never holds up the run.
#include <QTimer>
#include <QWidget>
#include <cstdint>
#include <functional>
#include <vector>

#include "gui/DisplayFeedReceiver.hpp"

namespace streamdx {

class EprViewerWindow final : public QWidget {
 public:
  explicit EprViewerWindow(ZmqEndpoint endpoint);

  // Feed statistics, for --stats: received, missed, images by kind, whether the run ended.
  [[nodiscard]] std::string stats_json() const;
  // Called once, on the GUI thread, after the run's end has been drawn.
  void on_ended(std::function<void()> f) { on_ended_ = std::move(f); }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void drain();
  void take(const wire::EprImage& image);
  [[nodiscard]] QString status() const;

  DisplayFeedReceiver receiver_;
  QTimer timer_;
  std::vector<float> image_;
  std::size_t side_ = 0;
  std::uint16_t dimensions_ = 2;
  double fov_cm_ = 0;
  wire::EprImageStage stage_ = wire::EprImageStage::kBackProjection;
  std::uint32_t projections_ = 0;
  std::uint32_t expected_ = 0;
  double lambda_ = 0;
  std::uint32_t lambda_projections_ = 0;  // the re-run lambda_ came from
  double age_s_ = 0;
  std::vector<std::vector<float>> sinogram_;  // by projection index
  std::uint64_t images_ = 0;
  std::uint64_t tv_images_ = 0;
  bool ended_ = false;
  std::function<void()> on_ended_;
};

}  // namespace streamdx
