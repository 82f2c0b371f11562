#include "core/Config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "core/Settings.hpp"

namespace streamdx {
namespace {

TEST(Config, DefaultsComeFromTheCatalogue) {
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

TEST(Config, TheShippedDefaultFileIsTheCatalogue) {
  std::ifstream in(std::string(STREAMDX_SOURCE_DIR) + "/configs/default.toml");
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(file.str(), default_settings_toml())
      << "regenerate it: build/streamdx config --defaults > configs/default.toml";
}

TEST(Config, ValuesOutsideTheirLimitsAreRefusedAtLoadNamingTheKey) {
  Config c;
  const auto refused = [&](const std::function<void()>& load, const std::string& expected) {
    try {
      load();
      ADD_FAILURE() << "accepted: " << expected;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  };
  refused([&] { c.set("postprocess.threshold=1.5"); }, "'postprocess.threshold' = 1.5");
  refused([&] { c.set("postprocess.min_confidence=-0.1"); }, "postprocess.min_confidence");
  refused([&] { c.merge_text("[postprocess]\nmin_duration_s = 0\n", "user.toml"); },
          "config user.toml: 'postprocess.min_duration_s' = 0: must be 1 to 8 s");
  refused([&] { c.set("eeg.montage=tcp21"); }, "must be one of auto|tcp22|tcp20|none");
  refused([&] { c.set_double("zmq.peer_timeout_s", -1); }, "zmq.peer_timeout_s");
  refused([&] { c.merge_text("[simulate]\nduration_s = nan\n", "nan.toml"); },
          "must be a finite number");
  // Nothing refused was applied.
  EXPECT_EQ(c.get_double("postprocess.threshold"), Config().get_double("postprocess.threshold"));
  EXPECT_EQ(c.get_string("eeg.montage"), "auto");
}

TEST(Config, NumbersArePrintedInTheirShortestForm) {
  Config c;
  c.set("postprocess.threshold=0.7");
  c.set("simulate.duration_s=670.3");
  const std::string toml = c.to_toml();
  EXPECT_NE(toml.find("threshold = 0.7\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find("duration_s = 670.3\n"), std::string::npos) << toml;
  EXPECT_NE(toml.find("discharge_hz = 3.0\n"), std::string::npos) << toml;  // still a float
}

TEST(Config, TheReferenceDescribesEverySetting) {
  const std::string doc = settings_reference();
  for (const SettingSpec& s : setting_specs()) {
    EXPECT_NE(doc.find(std::string(s.key) + " ("), std::string::npos) << s.key;
    EXPECT_FALSE(s.doc.empty()) << s.key;
  }
  EXPECT_NE(doc.find("postprocess.threshold (number), default 0.5; 0 to 1"), std::string::npos)
      << doc;
}

}  // namespace
}  // namespace streamdx
