// The GUI tests' main: a real X server (Xvfb, started here and stopped by PID) and one
// QApplication on it, created only when tests run, not when ctest lists them.
#include <gtest/gtest.h>

#include <QApplication>
#include <array>
#include <memory>

#include "support/XvfbServer.hpp"

namespace {

class GuiEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    xvfb_ = std::make_unique<streamdx::testing::XvfbServer>();
    app_ = std::make_unique<QApplication>(argc_, argv_.data());
  }
  void TearDown() override {
    app_.reset();
    xvfb_.reset();
  }

 private:
  int argc_ = 1;
  std::array<char*, 2> argv_ = {const_cast<char*>("gui_tests"), nullptr};  // NOLINT
  std::unique_ptr<streamdx::testing::XvfbServer> xvfb_;
  std::unique_ptr<QApplication> app_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new GuiEnvironment);  // NOLINT: gtest takes ownership
  return RUN_ALL_TESTS();
}
