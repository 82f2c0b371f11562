#include "gui/OffscreenApplication.hpp"

#include <unistd.h>
#include <QGraphicsScene>
#include <QPainter>

#include <array>
#include <filesystem>
#include <stdexcept>

namespace streamdx {

std::unique_ptr<QApplication> ensure_offscreen_application() {
  if (QCoreApplication::instance() != nullptr) return nullptr;
  qputenv("QT_QPA_PLATFORM", "offscreen");
  // Qt warns on stderr, once per process, when there is no runtime directory (batch jobs,
  // containers); a private one keeps a command's stderr to its own messages.
  if (qgetenv("XDG_RUNTIME_DIR").isEmpty()) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("streamdx-runtime-" + std::to_string(::getuid()));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    if (!ec) qputenv("XDG_RUNTIME_DIR", QByteArray::fromStdString(dir.string()));
  }
  static int argc = 1;
  static std::array<char*, 2> argv = {const_cast<char*>("streamdx"), nullptr};  // NOLINT
  return std::make_unique<QApplication>(argc, argv.data());
}

void save_png_atomically(const QImage& image, const std::string& path) {
  const std::string tmp = path + ".tmp.png";
  if (!image.save(QString::fromStdString(tmp), "PNG")) {
    throw std::runtime_error(path + ": cannot write the image");
  }
  std::filesystem::rename(tmp, path);
}

void save_chart_png(QChart& chart, const std::string& path, int width, int height) {
  QGraphicsScene scene;
  scene.addItem(&chart);
  chart.resize(width, height);
  QImage image(width, height, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    scene.render(&painter);
  }
  scene.removeItem(&chart);
  save_png_atomically(image, path);
}

}  // namespace streamdx
