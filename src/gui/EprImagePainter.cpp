#include "gui/EprImagePainter.hpp"

#include <QFont>
#include <QImage>
#include <algorithm>
#include <array>
#include <cmath>

namespace streamdx {

namespace {

// Negative values: black to saturated blue as t goes 0 -> 1.
QColor negative(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return {static_cast<int>(30 * t), static_cast<int>(90 * t), static_cast<int>(255 * t)};
}

// Millimetre ticks on both axes of the square `img`, centred on 0, with their labels.
void paint_axes(QPainter& p, const QRect& img, double fov_mm, const QString& across,
                const QString& up) {
  const double half = fov_mm / 2;
  const double tick = half > 10 ? 5 : half > 4 ? 2 : 1;
  const auto ticks = static_cast<int>(std::floor(half / tick));
  const int side = img.width();
  for (int t = -ticks; t <= ticks; ++t) {
    const double v = t * tick;
    const int x = img.left() + static_cast<int>((v + half) / fov_mm * side);
    const int y = img.top() + side - static_cast<int>((v + half) / fov_mm * side);
    p.drawLine(x, img.bottom(), x, img.bottom() + 5);
    p.drawText(QRect(x - 30, img.bottom() + 6, 60, 20), Qt::AlignCenter, QString::number(v));
    p.drawLine(img.left() - 5, y, img.left(), y);
    p.drawText(QRect(img.left() - 48, y - 10, 40, 20), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(v));
  }
  p.drawText(QRect(img.left(), img.bottom() + 28, side, 24), Qt::AlignCenter, across + " (mm)");
  p.save();
  p.translate(QPoint(img.left() - 56, img.top() + (side / 2)));  // integer pixels
  p.rotate(-90);
  p.drawText(QRect(-60, -10, 120, 20), Qt::AlignCenter, up + " (mm)");
  p.restore();
}

}  // namespace

QColor epr_ramp(double t) {
  static constexpr std::array<std::array<double, 3>, 5> kStops = {
      {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}}};
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(kStops.size() - 1);
  const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), kStops.size() - 2);
  const double f = t - static_cast<double>(i);
  auto mix = [&](std::size_t c) {
    return static_cast<int>(kStops[i][c] + f * (kStops[i + 1][c] - kStops[i][c]));
  };
  return {mix(0), mix(1), mix(2)};
}

void paint_epr_image(QPainter& p, const QRect& area, std::span<const float> image, std::size_t n,
                     double fov_mm, const QString& title, const QString& across,
                     const QString& up) {
  constexpr int kLeft = 70, kTop = 50, kBottom = 60, kRight = 150, kBar = 24;
  const int side =
      std::max(16, std::min(area.width() - kLeft - kRight, area.height() - kTop - kBottom));
  const QRect img(area.left() + kLeft, area.top() + kTop, side, side);
  double hi = 1e-30;
  double lo = 0;
  for (const float v : image) {
    hi = std::max(hi, static_cast<double>(v));
    lo = std::min(lo, static_cast<double>(v));
  }
  auto colour = [&](double v) { return v >= 0 ? epr_ramp(v / hi) : negative(lo < 0 ? v / lo : 0); };
  QImage pixels(static_cast<int>(n), static_cast<int>(n), QImage::Format_RGB32);
  for (std::size_t j = 0; j < n && image.size() >= n * n; ++j) {
    for (std::size_t i = 0; i < n; ++i) {
      pixels.setPixelColor(static_cast<int>(i), static_cast<int>(n - 1 - j),
                           colour(image[j * n + i]));
    }
  }
  p.setRenderHint(QPainter::Antialiasing);
  p.drawImage(img, pixels);
  p.setPen(Qt::black);
  p.drawRect(img);
  QFont font = p.font();
  font.setPointSize(11);
  p.setFont(font);
  p.drawText(QRect(area.left(), area.top() + 8, area.width(), 36), Qt::AlignCenter, title);
  paint_axes(p, img, fov_mm, across, up);
  // Colour bar from lo to hi.
  const int bx = img.right() + 30;
  for (int y = 0; y < side; ++y) {
    p.setPen(colour(hi - (hi - lo) * y / std::max(1, side - 1)));
    p.drawLine(bx, img.top() + y, bx + kBar, img.top() + y);
  }
  p.setPen(Qt::black);
  p.drawRect(bx, img.top(), kBar, side);
  for (int k = 0; k <= 4; ++k) {
    const double v = hi - (hi - lo) * k / 4.0;
    const int y = img.top() + side * k / 4;
    p.drawLine(bx + kBar, y, bx + kBar + 4, y);
    p.drawText(QRect(bx + kBar + 6, y - 10, 90, 20), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(v, 'g', 3));
  }
}

void paint_sinogram(QPainter& p, const QRect& area, const std::vector<std::vector<float>>& rows,
                    const QString& title) {
  constexpr int kTop = 50, kMargin = 20;
  const QRect box(area.left() + kMargin, area.top() + kTop, area.width() - 2 * kMargin,
                  area.height() - kTop - kMargin);
  p.setPen(Qt::black);
  p.drawText(QRect(area.left(), area.top() + 8, area.width(), 36), Qt::AlignCenter, title);
  p.fillRect(box, QColor(40, 40, 40));
  double top = 1e-30;
  std::size_t points = 0;
  for (const auto& row : rows) {
    for (const float v : row) top = std::max(top, std::abs(static_cast<double>(v)));
    points = std::max(points, row.size());
  }
  if (!rows.empty() && points > 0) {
    QImage pixels(static_cast<int>(points), static_cast<int>(rows.size()), QImage::Format_RGB32);
    pixels.fill(QColor(40, 40, 40));
    for (std::size_t k = 0; k < rows.size(); ++k) {
      for (std::size_t i = 0; i < rows[k].size(); ++i) {
        // The derivative signal: positive bright, negative dark, 0 mid-grey.
        const double t = 0.5 + 0.5 * rows[k][i] / top;
        pixels.setPixelColor(static_cast<int>(i), static_cast<int>(k), epr_ramp(t));
      }
    }
    p.drawImage(box, pixels);
  }
  p.drawRect(box);
}

}  // namespace streamdx
