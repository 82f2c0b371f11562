#include "core/SharedLibrary.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <mutex>
#include <stdexcept>

namespace streamdx {

namespace {
// dlerror() reports through shared state; streamdx's own dl calls take turns.
std::mutex& dl_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

SharedLibrary::SharedLibrary(const std::filesystem::path& path) : path_(path) {
  const std::scoped_lock lock(dl_mutex());
  handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = ::dlerror();  // NOLINT(concurrency-mt-unsafe): serialised by dl_mutex
    throw std::runtime_error(
        fmt::format("cannot load {}: {}", path.string(), why ? why : "unknown"));
  }
}

SharedLibrary::~SharedLibrary() {
  // Plugins stay mapped until exit: LibTorch and CUDA do not support being unloaded.
}

void* SharedLibrary::symbol(const char* name) const {
  const std::scoped_lock lock(dl_mutex());
  ::dlerror();  // NOLINT(concurrency-mt-unsafe): serialised by dl_mutex
  void* sym = ::dlsym(handle_, name);
  if (sym == nullptr) {
    throw std::runtime_error(fmt::format("{} does not export {}", path_.string(), name));
  }
  return sym;
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}

}  // namespace streamdx
