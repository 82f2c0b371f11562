#pragma once
// CURVE keys (ZeroMQ's CurveZMQ, on libsodium) for the decoder service: `streamdx keygen` makes
// a pair, the server binds with its secret key, a client connects with the server's public key
// and a pair of its own. A client that does not hold the server's public key cannot complete the
// handshake; with an allow-list (CurveAllowList.hpp) only listed client keys get in.
//
// Key files are text, one `name = "Z85"` per line, so that a person can read and copy them:
//   NAME.key  public-key and secret-key; written mode 0600, refused when others may read it
//   NAME.pub  public-key only; safe to hand out
#include <filesystem>
#include <string>

#include <zmq.hpp>

namespace streamdx {

struct CurveKeyPair {
  std::string public_key;  // 40 Z85 characters
  std::string secret_key;  // 40 Z85 characters, or empty in a .pub file
};

// Whether this libzmq was built with CURVE (Debian's is).
bool curve_available();

CurveKeyPair make_curve_keys();

// Writes STEM.key (0600) and STEM.pub atomically; refuses to overwrite either.
void write_curve_keys(const std::filesystem::path& stem, const CurveKeyPair& keys);

// Reads a .key or .pub file; throws std::runtime_error naming the file and what is wrong.
// `need_secret`: the file must hold the secret key too (and must not be readable by others).
CurveKeyPair read_curve_keys(const std::filesystem::path& file, bool need_secret);

// Makes `socket` a CURVE server with `keys`.
void make_curve_server(zmq::socket_t& socket, const CurveKeyPair& keys);
// Makes `socket` a CURVE client of the server whose public key is `server_public`.
void make_curve_client(zmq::socket_t& socket, const std::string& server_public,
                       const CurveKeyPair& client);

}  // namespace streamdx
