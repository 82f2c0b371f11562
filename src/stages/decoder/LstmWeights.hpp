#pragma once
// LstmWeights: the trained tensors of a seizure model file, as plain arrays (row-major, in
// LibTorch's layout), so that code without LibTorch can run the model. The computation they
// belong to is kSeizureModelScript (SeizureModelScript.hpp).
#include <cstddef>
#include <string>
#include <vector>

namespace streamdx {

struct LstmWeights {
  std::string normalization;  // "fixed", "window", "absolute" or "background"
  std::size_t hidden = 0;
  std::vector<float> w_ih;          // 4 hidden x kInputs, gates in LibTorch's order i, f, g, o
  std::vector<float> w_hh;          // 4 hidden x hidden
  std::vector<float> b_ih;          // 4 hidden
  std::vector<float> b_hh;          // 4 hidden
  std::vector<float> w_out;         // 2 x hidden
  std::vector<float> b_out;         // 2
  std::vector<float> feature_mean;  // kFeatures
  std::vector<float> feature_std;   // kFeatures
};

}  // namespace streamdx
