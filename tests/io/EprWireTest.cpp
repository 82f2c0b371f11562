// The EPR acquisition and image messages: what is encoded comes back bit for bit, a short or
// inconsistent message is refused with one line, and a projection that does not fit its header is
// named.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <variant>

#include "io/WireFormat.hpp"

namespace streamdx::wire {
namespace {

EprHeader header() {
  EprHeader h;
  h.stream_id = 7;
  h.projections = 2;
  for (int i = 0; i < 5; ++i) h.field.push_back(3400.0F + 0.5F * static_cast<float>(i));
  h.reference_field = {3398.0F, 3399.0F, 3400.0F, 3401.0F};
  h.reference = {0.0F, 1.0F, -1.0F, 0.0F};
  h.source = "phantom";
  return h;
}

EprProjection projection(std::uint32_t index) {
  EprProjection p;
  p.stream_id = 7;
  p.index = index;
  p.gradient_g_per_cm = {10.0, -5.0, 0.0};
  p.values = {0.1F, 0.2F, -0.3F, 0.4F, 0.5F};
  return p;
}

template <class T>
T round_trip(const T& message) {
  std::vector<std::uint8_t> bytes;
  encode(message, bytes);
  return std::get<T>(decode(bytes));
}

TEST(EprWire, HeaderAndProjectionComeBackBitForBit) {
  const EprHeader h = round_trip(header());
  EXPECT_EQ(h.stream_id, 7U);
  EXPECT_EQ(h.dimensions, 2);
  EXPECT_EQ(h.projections, 2U);
  EXPECT_EQ(h.field, header().field);
  EXPECT_EQ(h.reference_field, header().reference_field);
  EXPECT_EQ(h.reference, header().reference);
  EXPECT_EQ(h.source, "phantom");
  const EprProjection p = round_trip(projection(1));
  EXPECT_EQ(p.index, 1U);
  EXPECT_EQ(p.gradient_g_per_cm, projection(1).gradient_g_per_cm);
  EXPECT_EQ(p.values, projection(1).values);
  EXPECT_NO_THROW(check_projection(h, p));
}

TEST(EprWire, ShortOrInconsistentMessagesAreRefused) {
  std::vector<std::uint8_t> bytes;
  encode(header(), bytes);
  for (std::size_t cut : {std::size_t{1}, std::size_t{8}, bytes.size() - kPrefixBytes - 1}) {
    std::vector<std::uint8_t> shorter(bytes.begin(), bytes.end() - static_cast<long>(cut));
    EXPECT_THROW((void)decode(shorter), WireError) << cut;
  }
  EprHeader backwards = header();
  std::swap(backwards.field[1], backwards.field[2]);
  bytes.clear();
  encode(backwards, bytes);
  EXPECT_THROW((void)decode(bytes), WireError) << "a field axis that is not increasing";
  EprHeader nan_reference = header();
  nan_reference.reference[1] = std::numeric_limits<float>::quiet_NaN();
  bytes.clear();
  encode(nan_reference, bytes);
  EXPECT_THROW((void)decode(bytes), WireError);
  EprHeader mismatched = header();
  mismatched.reference.pop_back();
  EXPECT_THROW(encode(mismatched, bytes), WireError);
}

TEST(EprWire, AProjectionThatDoesNotFitItsHeaderIsNamed) {
  const EprHeader h = header();
  auto refused = [&](const EprProjection& p, const std::string& words) {
    try {
      check_projection(h, p);
      ADD_FAILURE() << "accepted: " << words;
    } catch (const WireError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("projection 3"), std::string::npos) << what;
      EXPECT_NE(what.find(words), std::string::npos) << what;
    }
  };
  EprProjection longer = projection(3);
  longer.values.push_back(1.0F);
  refused(longer, "has 6 points where the header says 5");
  EprProjection zero = projection(3);
  zero.gradient_g_per_cm = {0.0, 0.0, 0.0};
  refused(zero, "zero length");
  EprProjection z = projection(3);
  z.gradient_g_per_cm[2] = 1.0;
  refused(z, "in a 2D acquisition");
  EprProjection nan = projection(3);
  nan.values[2] = std::numeric_limits<float>::quiet_NaN();
  refused(nan, "non-finite value");
}

EprImage image() {
  EprImage m;
  m.stream_id = 7;
  m.sequence = 41;
  m.stage = EprImageStage::kTv;
  m.projections = 30;
  m.expected = 113;
  m.side = 3;
  m.iterations = 100;
  m.fov_cm = 2.9978;
  m.lambda = 2.244;
  m.age_s = 0.0021;
  m.projection_index = 29;
  m.projection_angle_rad = -1.25;
  for (int i = 0; i < 9; ++i) m.image.push_back(0.25F * static_cast<float>(i));
  m.projection = {0.1F, -0.2F};
  return m;
}

TEST(EprWire, AnImageComesBackBitForBitAndLiesAreRefused) {
  const EprImage m = round_trip(image());
  EXPECT_EQ(m.sequence, 41U);
  EXPECT_EQ(m.stage, EprImageStage::kTv);
  EXPECT_EQ(m.projections, 30U);
  EXPECT_EQ(m.expected, 113U);
  EXPECT_EQ(m.side, 3U);
  EXPECT_EQ(m.iterations, 100U);
  EXPECT_EQ(m.fov_cm, 2.9978);
  EXPECT_EQ(m.lambda, 2.244);
  EXPECT_EQ(m.age_s, 0.0021);
  EXPECT_EQ(m.projection_index, 29U);
  EXPECT_EQ(m.projection_angle_rad, -1.25);
  EXPECT_EQ(m.image, image().image);
  EXPECT_EQ(m.projection, image().projection);

  EprImage wrong = image();
  wrong.image.pop_back();  // 8 values for a 3 x 3 image
  std::vector<std::uint8_t> bytes;
  EXPECT_THROW(encode(wrong, bytes), WireError);

  encode(image(), bytes);
  // Every cut is refused, never read past.
  for (std::size_t cut = 1; cut < bytes.size() - kPrefixBytes; cut += 7) {
    std::vector<std::uint8_t> shorter(bytes.begin(), bytes.end() - static_cast<long>(cut));
    EXPECT_THROW((void)decode(shorter), WireError) << cut;
  }
  // A side that does not match the bytes (the prefix's length kept honest).
  std::vector<std::uint8_t> lying = bytes;
  lying[kPrefixBytes + 20] = 4;
  try {
    (void)decode(lying);
    ADD_FAILURE() << "a 4 x 4 image in the bytes of a 3 x 3 one was accepted";
  } catch (const WireError& e) {
    EXPECT_NE(std::string(e.what()).find("does not hold its 16 pixels"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace streamdx::wire
