#include "apps/EprGroup.hpp"

#include "apps/CommandLine.hpp"

namespace streamdx {

namespace {

const cli::GroupRegistration kRegistered{
    {kEprGroup, "EPR imaging: simulate, reconstruct, compare with ground truth, inspect files",
     130}};

}  // namespace

}  // namespace streamdx
