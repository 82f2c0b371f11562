#include "io/NpyReader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

// The quoted value of 'key' in the header dictionary, or the raw text up to the next ',' / '}'
// for unquoted values and '(...)' for the shape.
std::string field(const std::string& header, const std::string& key,
                  const std::filesystem::path& file) {
  const auto at = header.find("'" + key + "'");
  if (at == std::string::npos) throw_file_error(file, fmt::format("header has no '{}'", key));
  auto p = header.find(':', at);
  if (p == std::string::npos)
    throw_file_error(file, fmt::format("header's '{}' has no value", key));
  p = header.find_first_not_of(' ', p + 1);
  if (p == std::string::npos)
    throw_file_error(file, fmt::format("header's '{}' has no value", key));
  const char open = header[p];
  const char close = open == '\'' ? '\'' : open == '(' ? ')' : ',';
  const auto end = header.find(close, p + 1);
  if (end == std::string::npos)
    throw_file_error(file, fmt::format("header's '{}' is not terminated", key));
  return open == '\'' || open == '(' ? header.substr(p + 1, end - p - 1)
                                     : header.substr(p, end - p);
}

}  // namespace

NpyArray read_npy(const std::filesystem::path& path) {
  const std::string bytes = read_text_file(path);
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    throw_file_error(path, "not a .npy file");
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0;
  std::size_t offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) |
                 (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else {
    if (bytes.size() < 12) throw_file_error(path, "truncated header");
    for (std::size_t i = 0; i < 4; ++i)
      header_len |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    offset = 12;
  }
  if (offset + header_len > bytes.size()) throw_file_error(path, "truncated header");
  const std::string header = bytes.substr(offset, header_len);
  offset += header_len;

  const std::string descr = field(header, "descr", path);
  if (field(header, "fortran_order", path).find("False") == std::string::npos)
    throw_file_error(path, "Fortran order is not supported");
  if (descr.size() != 3 || (descr[0] != '<' && descr[0] != '>') || descr[1] != 'f' ||
      (descr[2] != '8' && descr[2] != '4')) {
    throw_file_error(path, fmt::format("dtype '{}' is not float32 or float64", descr));
  }
  const bool big = descr[0] == '>';
  const std::size_t width = descr[2] == '8' ? 8 : 4;

  NpyArray out;
  out.item_bytes = width;
  std::size_t count = 1;
  std::string dims = field(header, "shape", path);
  std::replace(dims.begin(), dims.end(), ',', ' ');
  std::size_t pos = 0;
  while ((pos = dims.find_first_not_of(' ', pos)) != std::string::npos) {
    const auto end = dims.find(' ', pos);
    const std::string tok =
        dims.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    const double d = parse_number(tok, path.string(), 1);
    if (d < 0 || d != static_cast<double>(static_cast<std::size_t>(d)))
      throw_file_error(path, fmt::format("shape entry '{}'", tok));
    out.shape.push_back(static_cast<std::size_t>(d));
    count *= out.shape.back();
    pos = end;
  }
  if ((bytes.size() - offset) != count * width) {
    throw_file_error(path, fmt::format("holds {} data bytes but shape needs {}",
                                       bytes.size() - offset, count * width));
  }
  out.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::array<std::uint8_t, 8> b{};
    std::memcpy(b.data(), bytes.data() + offset + i * width, width);
    if (big != (std::endian::native == std::endian::big))
      std::reverse(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(width));
    if (width == 8) {
      out.values[i] = std::bit_cast<double>(b);
    } else {
      std::array<std::uint8_t, 4> f{};
      std::copy_n(b.begin(), 4, f.begin());
      out.values[i] = static_cast<double>(std::bit_cast<float>(f));
    }
  }
  return out;
}

}  // namespace streamdx
