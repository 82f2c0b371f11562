// `streamdx epr`: the real phalanx data end to end (non-negative, residual at the noise floor,
// the Fourier baseline's negative mass for contrast), the quality acceptance on a simulated
// Shepp-Logan-like phantom at the phalanx geometry, and one-line errors for bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/Json.hpp"
#include "support/ChildProcess.hpp"
#include "support/Files.hpp"
#include "support/TestData.hpp"

namespace streamdx {
namespace {

namespace fs = std::filesystem;
using testing::read_file;

// A top-level number of a JSON document.
double number(const std::string& json_text, const std::string& key) {
  const json::Json j = json::parse(json_text, "test output");
  EXPECT_TRUE(j.contains(key) && j[key].is_number()) << key << " missing in " << json_text;
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::nan("");
}

std::vector<float> floats(const fs::path& p) {
  const std::string bytes = read_file(p);
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

TEST(EprCommand, ReconstructsThePhalanxNonNegativelyAtTheNoiseFloor) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-phalanx");
  const std::string proj = (dir / "phalanx-20220203-proj.DSC").string();
  const std::string ref = (dir / "phalanx-20220203-h.DSC").string();

  const auto tv = testing::run_streamdx(
      {"epr", "reconstruct", proj, "--reference", ref, "-o", (out / "tv").string()});
  ASSERT_EQ(tv.exit_code, 0) << tv.err;
  const std::string meta = read_file(out / "tv" / "image.json");
  EXPECT_EQ(number(meta, "negative_mass_fraction"), 0.0);
  EXPECT_NEAR(number(meta, "b0_gauss"), 3403.7, 0.1);
  EXPECT_NEAR(number(meta, "fov_cm"), 3.0, 0.01);
  EXPECT_LT(number(meta, "residual_over_noise"), 1.05);
  EXPECT_GT(number(meta, "residual_over_noise"), 0.95);
  EXPECT_GT(number(meta, "lambda"), 0.0);
  const auto image = floats(out / "tv" / "image.f32");
  ASSERT_EQ(image.size(), 256U * 256U);
  EXPECT_GE(*std::min_element(image.begin(), image.end()), 0.0F);
  EXPECT_GT(*std::max_element(image.begin(), image.end()), 0.0F);
  for (const char* png : {"image.png", "residual.png"}) {
    if (!STREAMDX_HAVE_GUI) break;
    EXPECT_EQ(read_file(out / "tv" / png).substr(1, 3), "PNG") << png;
  }

  // The classical baseline on the same data: negative mass (5-20 % is typical), and a residual
  // no better than tv's.
  const auto fourier =
      testing::run_streamdx({"epr", "reconstruct", proj, "--reference", ref, "--method", "fourier",
                             "-o", (out / "fourier").string()});
  ASSERT_EQ(fourier.exit_code, 0) << fourier.err;
  const std::string fmeta = read_file(out / "fourier" / "image.json");
  EXPECT_GT(number(fmeta, "negative_mass_fraction"), 0.03);
  EXPECT_GE(number(fmeta, "residual_over_noise"), number(meta, "residual_over_noise"));
}

TEST(EprCommand, FourierIsBitIdenticalOnOneAndTwoThreads) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-threads");
  for (const char* threads : {"1", "2"}) {
    const auto r =
        testing::run_streamdx({"epr", "reconstruct", (dir / "phalanx-20220203-proj.DSC").string(),
                               "--reference", (dir / "phalanx-20220203-h.DSC").string(), "--method",
                               "fourier", "--threads", threads, "-o", (out / threads).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(read_file(out / "1" / "image.f32"), read_file(out / "2" / "image.f32"));
}

TEST(EprCommand, TvHalvesTheOracleBaselinesErrorOnASimulatedPhantom) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-compare");
  const auto sim = testing::run_streamdx(
      {"epr", "simulate", "-o", out.string(), "--phantom", "shepp-logan", "--snr", "50", "--rho",
       "0.8", "--seed", "5", "--reference", (dir / "phalanx-20220203-h.DSC").string()});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  const auto cmp = testing::run_streamdx({"epr", "compare", (out / "proj.DSC").string(),
                                          "--reference", (out / "h.DSC").string(), "--truth",
                                          (out / "truth.f32").string(), "--json"});
  ASSERT_EQ(cmp.exit_code, 0) << cmp.err;
  EXPECT_LT(number(cmp.out, "tv_over_oracle"), 0.5) << cmp.out;
  EXPECT_LT(number(cmp.out, "tv_over_clipped_oracle"), 1.0) << cmp.out;
}

TEST(EprCommand, BadInputGivesAOneLineErrorNamingTheFile) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-bad");
  const std::string ref = (dir / "phalanx-20220203-h.DSC").string();
  auto reconstruct = [&](const fs::path& proj) {
    return testing::run_streamdx({"epr", "reconstruct", proj.string(), "--reference", ref,
                                  "--method", "fourier", "-o", (out / "o").string()});
  };
  auto expect_error = [&](const testing::ChildExit& r, const std::string& file,
                          const std::string& what) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  };
  // A descriptor whose point count disagrees with its data.
  std::string dsc = read_file(dir / "phalanx-20220203-proj.DSC");
  const auto at = dsc.find("XPTS\t2000");
  ASSERT_NE(at, std::string::npos);
  dsc[at + 8] = '1';  // XPTS 2001
  testing::write_file(out / "garbled.DSC", dsc);
  fs::copy_file(dir / "phalanx-20220203-proj.DTA", out / "garbled.DTA",
                fs::copy_options::overwrite_existing);
  expect_error(reconstruct(out / "garbled.DSC"), "garbled.DTA", "XPTS");
  // A NaN in the data.
  std::string dta = read_file(dir / "phalanx-20220203-proj.DTA");
  const unsigned char nan_be[8] = {0x7f, 0xf8, 0, 0, 0, 0, 0, 0};
  dta.replace(std::size_t{8} * 2500, 8, reinterpret_cast<const char*>(nan_be), 8);
  testing::write_file(out / "nan.DSC", read_file(dir / "phalanx-20220203-proj.DSC"));
  testing::write_file(out / "nan.DTA", dta);
  expect_error(reconstruct(out / "nan.DSC"), "nan.DSC", "not finite");
  // A missing file.
  expect_error(reconstruct(out / "absent.DSC"), "absent.DSC", "cannot open");
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// Data read with the wrong byte order, and a reference from another band, are refused in one
// line naming the file and the likely cause, instead of giving an all-zero image or a
// nonsensical one.
TEST(EprCommand, AWrongByteOrderAndAnotherBandsReferenceAreRefused) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  STREAMDX_DATA_OR_SKIP(fusillo, "epr/fusillo-3d");
  const auto out = testing::scratch_dir("epr-bad-input");
  std::filesystem::copy_file(dir / "phalanx-20220203-proj.DTA", out / "p.DTA",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::string dsc = testing::read_file(dir / "phalanx-20220203-proj.DSC");
    const auto at = dsc.find("BSEQ");
    ASSERT_NE(at, std::string::npos);
    const auto eol = dsc.find('\n', at);
    dsc.replace(at, eol - at, "BSEQ    LIT");
    std::ofstream(out / "p.DSC") << dsc;
  }
  const auto swapped = testing::run_streamdx(
      {"epr", "reconstruct", (out / "p.DSC").string(), "--reference",
       (dir / "phalanx-20220203-h.DSC").string(), "-o", (out / "a").string()});
  EXPECT_EQ(swapped.exit_code, 1);
  EXPECT_NE(swapped.err.find("p.DSC: value"), std::string::npos) << swapped.err;
  EXPECT_NE(swapped.err.find("is the byte order (BSEQ) right?"), std::string::npos) << swapped.err;
  EXPECT_FALSE(std::filesystem::exists(out / "a" / "image.f32"));

  const auto band = testing::run_streamdx(
      {"epr", "reconstruct", (dir / "phalanx-20220203-proj.DSC").string(), "--reference",
       (fusillo / "fusillo-20091002-h.DSC").string(), "-o", (out / "b").string()});
  EXPECT_EQ(band.exit_code, 1);
  EXPECT_NE(band.err.find("fusillo-20091002-h.DSC: the reference's line centre"), std::string::npos)
      << band.err;
  EXPECT_NE(band.err.find("lies outside the projections' sweep"), std::string::npos) << band.err;
  EXPECT_FALSE(std::filesystem::exists(out / "b" / "image.f32"));
}

// The real 3D data, fusillo (961 projections, 31 x 31 directions): a non-negative volume of
// epr.size_3d^3 voxels, described as one, with its three central slices and its maximum
// intensity projection drawn; the same bits on one thread and two; and its IMTY 3D descriptor
// refused without --fgrad, since the angle axis alone cannot give 3D directions.
TEST(EprCommand, ReconstructsTheFusilloVolume) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/fusillo-3d");
  const auto out = testing::scratch_dir("epr-fusillo");
  auto args = [&](const std::string& threads, const std::string& to) {
    return std::vector<std::string>{"epr",
                                    "reconstruct",
                                    (dir / "fusillo-20091002-proj.DSC").string(),
                                    "--reference",
                                    (dir / "fusillo-20091002-h.DSC").string(),
                                    "--fgrad",
                                    (dir / "fusillo-20091002-fgrad.txt").string(),
                                    "--max-iterations",
                                    "20",
                                    "--threads",
                                    threads,
                                    "-o",
                                    (out / to).string()};
  };
  const auto two = testing::run_streamdx(args("2", "two"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const auto one = testing::run_streamdx(args("1", "one"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const std::string volume = testing::read_file(out / "two" / "image.f32");
  EXPECT_EQ(volume.size(), 65U * 65U * 65U * 4U);
  EXPECT_TRUE(volume == testing::read_file(out / "one" / "image.f32"));
  const json::Json meta = json::read_file(out / "two" / "image.json");
  EXPECT_EQ(meta["grid"], json::Json({65, 65, 65}));
  EXPECT_EQ(meta["negative_mass_fraction"], 0.0);
  EXPECT_EQ(meta["iterations"], 20);
  EXPECT_GT(meta["lambda"].get<double>(), 0);
  if (STREAMDX_HAVE_GUI) {  // the PNGs need Qt; a build without it writes the data alone
    for (const char* view : {"slice-xy", "slice-xz", "slice-yz", "mip-z"}) {
      EXPECT_GT(std::filesystem::file_size(out / "two" / ("image-" + std::string(view) + ".png")),
                10000U)
          << view;
    }
  }
  const auto no_fgrad = testing::run_streamdx(
      {"epr", "reconstruct", (dir / "fusillo-20091002-proj.DSC").string(), "--reference",
       (dir / "fusillo-20091002-h.DSC").string(), "-o", (out / "none").string()});
  EXPECT_EQ(no_fgrad.exit_code, 1);
  EXPECT_NE(no_fgrad.err.find("IMTY 3D: give the 3D gradient vectors with --fgrad"),
            std::string::npos)
      << no_fgrad.err;
}

}  // namespace
}  // namespace streamdx

namespace streamdx {
namespace {

// The reservoir deconvolver end to end: train a (tiny) model from the command line, resume it,
// and reconstruct the real phalanx data with the committed model (models/epr-reservoir.json).
TEST(EprCommand, TrainsAReservoirAndReconstructsThePhalanxWithTheCommittedOne) {
  STREAMDX_DATA_OR_SKIP(dir, "epr/phalanx-2d");
  const auto out = testing::scratch_dir("epr-reservoir");
  const std::vector<std::string> train = {"epr",
                                          "train-reservoir",
                                          "-o",
                                          (out / "tiny.json").string(),
                                          "--population",
                                          "3",
                                          "--train-phantoms",
                                          "1",
                                          "--projections-per-phantom",
                                          "2",
                                          "--max-units",
                                          "30"};
  auto first = train;
  first.insert(first.end(), {"--generations", "1"});
  const auto one = testing::run_streamdx(first);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.err.find("generation 1/1"), std::string::npos) << one.err;
  auto second = train;
  second.insert(second.end(), {"--generations", "2", "--resume"});
  const auto two = testing::run_streamdx(second);
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(two.err.find("generation 1/2"), std::string::npos) << "generation 1 ran again";
  const json::Json model = json::read_file(out / "tiny.json");
  EXPECT_EQ(model.at("card").at("fitness_history").size(), 2U);
  EXPECT_NE(read_file(out / "tiny.md").find("| 1 |"), std::string::npos);

  const auto rec =
      testing::run_streamdx({"epr", "reconstruct", (dir / "phalanx-20220203-proj.DSC").string(),
                             "--reference", (dir / "phalanx-20220203-h.DSC").string(), "--method",
                             "reservoir", "-o", (out / "phalanx").string()});
  ASSERT_EQ(rec.exit_code, 0) << rec.err;
  const json::Json meta = json::read_file(out / "phalanx" / "image.json");
  EXPECT_EQ(meta.at("method"), "reservoir");
  EXPECT_NE(meta.at("reservoir_model").get<std::string>().find("epr-reservoir.json"),
            std::string::npos);
  const auto image = floats(out / "phalanx" / "image.f32");
  ASSERT_EQ(image.size(), 256U * 256U);
  EXPECT_TRUE(std::all_of(image.begin(), image.end(), [](float v) { return std::isfinite(v); }));
  EXPECT_GT(*std::max_element(image.begin(), image.end()), 0.0F);

  const auto missing = testing::run_streamdx(
      {"epr", "reconstruct", (dir / "phalanx-20220203-proj.DSC").string(), "--reference",
       (dir / "phalanx-20220203-h.DSC").string(), "--method", "reservoir", "--reservoir",
       (out / "nothing.json").string(), "-o", (out / "none").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("nothing.json"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace streamdx
