#pragma once
// SharedLibrary: a dlopen()ed plugin. Heavy back ends (LibTorch, whose static initialisers take
// most of a second and which pulls in Qt5) live in plugins, so that commands that do not need
// them start in milliseconds and never load them.
#include <filesystem>
#include <string>

namespace streamdx {

class SharedLibrary {
 public:
  // Opens `path`; throws std::runtime_error with dlerror()'s reason.
  explicit SharedLibrary(const std::filesystem::path& path);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The address of `name`; throws if the library does not export it.
  [[nodiscard]] void* symbol(const char* name) const;

 private:
  std::filesystem::path path_;
  void* handle_ = nullptr;
};

// The directory holding the running executable (plugins are looked for beside it).
std::filesystem::path executable_dir();

}  // namespace streamdx
