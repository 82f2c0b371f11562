#pragma once
// Starts another streamdx process (this executable, /proc/self/exe) with `args` (args[0] is its
// name), stdin from /dev/null and stdout and stderr into `log`, with SIGINT and SIGTERM
// unblocked whatever this process blocks (a stop must reach it). Returns its pid; throws
// std::runtime_error naming `what` when it cannot start. For the viewer beside `run --gui`, and
// the task processes of `batch run --jobs`.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace streamdx {

pid_t spawn_self(std::vector<std::string> args, const std::filesystem::path& log,
                 std::string_view what);

}  // namespace streamdx
