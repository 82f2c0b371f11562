#include "io/CurveKeys.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "io/AtomicFile.hpp"
#include "io/TextParsing.hpp"

namespace streamdx {

namespace {

constexpr std::size_t kZ85KeyChars = 40;

bool is_z85_key(const std::string& key) {
  static const std::string kAlphabet =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  return key.size() == kZ85KeyChars && key.find_first_not_of(kAlphabet) == std::string::npos;
}

}  // namespace

bool curve_available() {
  return zmq_has("curve") != 0;
}

CurveKeyPair make_curve_keys() {
  if (!curve_available()) {
    throw std::runtime_error(
        "this libzmq was built without CURVE (libsodium): no keys can be made");
  }
  char pub[kZ85KeyChars + 1] = {};
  char sec[kZ85KeyChars + 1] = {};
  if (zmq_curve_keypair(pub, sec) != 0) {
    throw std::runtime_error(
        fmt::format("zmq_curve_keypair failed: {}", zmq_strerror(zmq_errno())));
  }
  return {pub, sec};
}

void write_curve_keys(const std::filesystem::path& stem, const CurveKeyPair& keys) {
  const std::filesystem::path secret = stem.string() + ".key";
  const std::filesystem::path pub = stem.string() + ".pub";
  for (const auto& p : {secret, pub}) {
    if (std::filesystem::exists(p)) {
      throw std::runtime_error(
          fmt::format("{} exists: refusing to replace a key (remove it first)", p.string()));
    }
  }
  const std::string head = "# streamdx CURVE key (streamdx keygen), Z85\n";
  const std::string pub_line = fmt::format("public-key = \"{}\"\n", keys.public_key);
  {
    // Made 0600 before a byte of the secret is written.
    const mode_t old = umask(077);
    try {
      write_file_atomically(secret, head + "# SECRET: keep this file private.\n" + pub_line +
                                        fmt::format("secret-key = \"{}\"\n", keys.secret_key));
    } catch (...) {
      umask(old);
      throw;
    }
    umask(old);
  }
  write_file_atomically(pub, head + "# The public half: give it to the other side.\n" + pub_line);
}

CurveKeyPair read_curve_keys(const std::filesystem::path& file, bool need_secret) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open the key file", file.string()));
  CurveKeyPair keys;
  std::string line;
  while (std::getline(in, line)) {
    // name = "value": anything else (comments, blank lines) is skipped.
    const std::size_t eq = line.find('=');
    const std::size_t open = line.find('"', eq == std::string::npos ? 0 : eq);
    const std::size_t close = open == std::string::npos ? open : line.find('"', open + 1);
    if (eq == std::string::npos || close == std::string::npos) continue;
    const std::string_view name = trim(std::string_view(line).substr(0, eq));
    const std::string value = line.substr(open + 1, close - open - 1);
    if (name == "public-key") keys.public_key = value;
    if (name == "secret-key") keys.secret_key = value;
  }
  if (!is_z85_key(keys.public_key)) {
    throw std::runtime_error(
        fmt::format("{}: no public-key = \"...\" line with a 40-character Z85 key (make keys with "
                    "`streamdx keygen`)",
                    file.string()));
  }
  if (need_secret) {
    if (!is_z85_key(keys.secret_key)) {
      throw std::runtime_error(
          fmt::format("{}: no secret-key line; give the .key file, not the .pub", file.string()));
    }
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      throw std::runtime_error(
          fmt::format("{}: a secret key readable by others (mode {:o}); chmod 600 it",
                      file.string(), st.st_mode & 0777U));
    }
  }
  return keys;
}

void make_curve_server(zmq::socket_t& socket, const CurveKeyPair& keys) {
  socket.set(zmq::sockopt::curve_server, 1);
  socket.set(zmq::sockopt::curve_secretkey, keys.secret_key);
}

void make_curve_client(zmq::socket_t& socket, const std::string& server_public,
                       const CurveKeyPair& client) {
  socket.set(zmq::sockopt::curve_serverkey, server_public);
  socket.set(zmq::sockopt::curve_publickey, client.public_key);
  socket.set(zmq::sockopt::curve_secretkey, client.secret_key);
}

}  // namespace streamdx
