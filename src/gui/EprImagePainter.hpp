#pragma once
// Drawing an EPR image, shared by the PNG writer (EprPlots.hpp) and the live viewer
// (EprViewerWindow.hpp): the image (row 0 at the bottom, y up) with millimetre axes and a colour
// bar. Non-negative values use a dark-to-bright ramp; negative values, which only the Fourier
// image has, show in blue so that its negative mass is visible.
#include <QColor>
#include <QPainter>
#include <QRect>
#include <span>
#include <string>
#include <vector>

namespace streamdx {

// The ramp's colour for t in [0, 1] (0 black, 1 pale yellow).
QColor epr_ramp(double t);

// The image, its axes (named `across` and `up`: "x", "y", "z"), its colour bar and `title`,
// laid out in `area`.
void paint_epr_image(QPainter& p, const QRect& area, std::span<const float> image, std::size_t n,
                     double fov_mm, const QString& title, const QString& across = "x",
                     const QString& up = "y");

// A sinogram: one row per projection index (empty rows not yet arrived), points across, each
// row scaled to the largest |value| of all, in `area`.
void paint_sinogram(QPainter& p, const QRect& area, const std::vector<std::vector<float>>& rows,
                    const QString& title);

}  // namespace streamdx
