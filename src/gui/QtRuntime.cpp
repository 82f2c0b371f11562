#include "gui/QtRuntime.hpp"

#include <QtGlobal>

namespace streamdx {

std::string qt_version() {
  return qVersion();
}

}  // namespace streamdx
