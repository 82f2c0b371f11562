#include "gui/EprViewerWindow.hpp"

#include <QPainter>
#include <algorithm>
#include <utility>
#include <variant>

#include "core/Json.hpp"
#include "gui/EprImagePainter.hpp"

namespace streamdx {

namespace {

constexpr int kDrainMs = 40;
constexpr std::uint32_t kMaxSinogramRows = 100'000;

const char* stage_name(wire::EprImageStage s) {
  switch (s) {
    case wire::EprImageStage::kBackProjection: return "back-projection of what arrived";
    case wire::EprImageStage::kTv: return "TV re-run";
    case wire::EprImageStage::kFinal: return "final TV solve";
  }
  return "";
}

}  // namespace

EprViewerWindow::EprViewerWindow(ZmqEndpoint endpoint) : receiver_(std::move(endpoint)) {
  setWindowTitle(QString("streamdx EPR · %1").arg(QString::fromStdString(receiver_.endpoint())));
  resize(1400, 800);
  setAutoFillBackground(true);
  QPalette pal = palette();
  pal.setColor(QPalette::Window, Qt::white);
  setPalette(pal);
  timer_.callOnTimeout(this, [this] { drain(); });
  timer_.start(kDrainMs);
}

void EprViewerWindow::drain() {
  bool changed = false;
  while (auto item = receiver_.epr_ring().try_pop()) {
    const wire::Message& m = item->value->message;
    if (const auto* image = std::get_if<wire::EprImage>(&m)) {
      take(*image);
    } else if (std::holds_alternative<wire::EndOfStream>(m)) {
      ended_ = true;
    }
    changed = true;
  }
  if (!changed) return;
  if (ended_ && on_ended_) {
    repaint();  // drawn now, before whoever waits for the end looks
    std::exchange(on_ended_, nullptr)();
  } else {
    update();
  }
}

void EprViewerWindow::take(const wire::EprImage& m) {
  ++images_;
  projections_ = std::max(projections_, m.projections);
  expected_ = m.expected;
  if (m.stage == wire::EprImageStage::kBackProjection && m.projection_index < kMaxSinogramRows) {
    if (sinogram_.size() <= m.projection_index) sinogram_.resize(m.projection_index + 1);
    sinogram_[m.projection_index] = m.projection;
  }
  if (m.stage != wire::EprImageStage::kBackProjection) {
    ++tv_images_;
    lambda_ = m.lambda;
    lambda_projections_ = m.projections;
  }
  // Once a TV image is shown, a later back-projection would look worse, not newer: it replaces
  // a TV image only when no TV image has come for the last eight projections.
  const bool tv_shown = stage_ != wire::EprImageStage::kBackProjection;
  if (m.stage == wire::EprImageStage::kBackProjection && tv_shown &&
      m.projections < lambda_projections_ + 8) {
    return;
  }
  side_ = m.side;
  if (m.dimensions == 3) {
    // A volume shows as its maximum intensity projection along z.
    image_.assign(side_ * side_, 0.0F);
    for (std::size_t k = 0; k < side_; ++k) {
      for (std::size_t p = 0; p < side_ * side_; ++p)
        image_[p] = std::max(image_[p], m.image[k * side_ * side_ + p]);
    }
  } else {
    image_ = m.image;
  }
  dimensions_ = m.dimensions;
  fov_cm_ = m.fov_cm;
  stage_ = m.stage;
  age_s_ = m.age_s;
}

QString EprViewerWindow::status() const {
  QString s = QString("projections %1").arg(projections_);
  if (expected_ > 0) s += QString(" / %1").arg(expected_);
  s += QString(" · showing: %1").arg(stage_name(stage_));
  if (lambda_ > 0) {
    s += QString(" · λ %1 (TV over %2)").arg(lambda_, 0, 'g', 4).arg(lambda_projections_);
  }
  s += QString(" · published %1 ms after its newest projection").arg(age_s_ * 1e3, 0, 'f', 1);
  s += QString(" · images %1, missed %2").arg(images_).arg(receiver_.missed());
  if (ended_) s += " · acquisition ended";
  if (images_ == 0) s = QString("waiting for images on %1").arg(receiver_.endpoint().c_str());
  return s;
}

void EprViewerWindow::paintEvent(QPaintEvent* /*event*/) {
  QPainter p(this);
  const int status_height = 36;
  const int image_width = std::min(width() * 3 / 5, height() - status_height + 120);
  const QRect image_area(0, 0, image_width, height() - status_height);
  const QRect sinogram_area(image_width, 0, width() - image_width, height() - status_height);
  if (side_ > 0) {
    paint_epr_image(p, image_area, image_, side_, fov_cm_ * 10,
                    QString("EPR %1 · %2")
                        .arg(dimensions_ == 3 ? "volume, maximum along z" : "image")
                        .arg(stage_name(stage_)));
  }
  paint_sinogram(p, sinogram_area, sinogram_,
                 QString("sinogram · %1 projections (rows) × field points").arg(sinogram_.size()));
  p.setPen(Qt::black);
  p.drawText(QRect(12, height() - status_height, width() - 24, status_height),
             Qt::AlignLeft | Qt::AlignVCenter, status());
}

std::string EprViewerWindow::stats_json() const {
  return json::text({{"endpoint", receiver_.endpoint()},
                     {"images", images_},
                     {"tv_images", tv_images_},
                     {"projections", projections_},
                     {"received", receiver_.received()},
                     {"missed", receiver_.missed()},
                     {"malformed", receiver_.malformed()},
                     {"ended", ended_}});
}

}  // namespace streamdx
