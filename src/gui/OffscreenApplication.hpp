#pragma once
// Drawing text needs a QApplication. Plot writers called from a headless command (bench, epr)
// have none and need no display for one: this makes an offscreen one when there is none, and
// returns it (null when the caller already runs inside an application).
#include <QApplication>
#include <QChart>
#include <QImage>
#include <memory>
#include <string>

namespace streamdx {

std::unique_ptr<QApplication> ensure_offscreen_application();

// Saves `image` as PNG at `path` through a temporary file and a rename, so a reader never sees a
// half-written image. Throws std::runtime_error naming the file.
void save_png_atomically(const QImage& image, const std::string& path);

// Renders `chart` on white at width x height and saves it with save_png_atomically.
void save_chart_png(QChart& chart, const std::string& path, int width, int height);

}  // namespace streamdx
