#pragma once
// The argv array that exec and posix_spawn take, pointing into strings the caller keeps alive.
#include <string>
#include <vector>

namespace streamdx {

inline std::vector<char*> exec_argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

}  // namespace streamdx
