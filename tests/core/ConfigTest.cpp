#include "core/Config.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace streamdx {
namespace {

TEST(Config, DefaultsComeFromTheCompiledInFile) {
  const Config c;
  EXPECT_EQ(c.get_int("simulate.channels"), 22);
  EXPECT_EQ(c.get_string("pipeline.ring_policy"), "back-pressure");
  EXPECT_FALSE(c.get_bool("zmq.allow_public_bind"));
}

TEST(Config, FileThenSetThenFlagsOverrideInOrder) {
  Config c;
  c.merge_text("[simulate]\nseed = 5\nduration_s = 10\n", "test.toml");
  EXPECT_EQ(c.get_int("simulate.seed"), 5);
  EXPECT_DOUBLE_EQ(c.get_double("simulate.duration_s"), 10.0);  // integer accepted for a number
  c.set("simulate.seed=9");
  EXPECT_EQ(c.get_int("simulate.seed"), 9);
  c.set_int("simulate.seed", 11);
  EXPECT_EQ(c.get_int("simulate.seed"), 11);
}

TEST(Config, UnknownKeysAndWrongTypesAreErrorsThatNameThem) {
  Config c;
  try {
    c.merge_text("[simulate]\nsede = 5\n", "user.toml");
    FAIL() << "unknown key accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("simulate.sede"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("user.toml"), std::string::npos) << e.what();
  }
  try {
    c.merge_text("[zmq]\nallow_public_bind = \"yes\"\n", "user.toml");
    FAIL() << "wrong type accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("true or false"), std::string::npos) << e.what();
  }
  EXPECT_THROW(c.set("simulate.seed=abc"), std::exception);
  EXPECT_THROW(c.set("simulate.seed"), std::exception);
  EXPECT_THROW(c.merge_text("[simulate\n", "broken.toml"), std::exception);
  EXPECT_THROW(c.merge_text("[simulate]\nseed = 5\nsede = 3\n", "half.toml"), std::exception);
  EXPECT_EQ(c.get_int("simulate.seed"), 1) << "a failed merge must not half-apply";
}

TEST(Config, ShippedConfigFilesAreValid) {
  Config c;
  c.merge_file(std::string(STREAMDX_SOURCE_DIR) + "/configs/default.toml");
  const std::string text = c.to_toml();
  Config round_trip;
  round_trip.merge_text(text, "round trip");
  EXPECT_EQ(round_trip.to_toml(), text);
}

}  // namespace
}  // namespace streamdx
