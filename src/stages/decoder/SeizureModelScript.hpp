#pragma once
// The seizure model's computation, in TorchScript source: the one definition that training
// runs (autograd through the scripted module) and that the saved model file carries, so the
// two cannot differ. Written against LibTorch 1.13, whose TorchScript reaches torch.lstm and
// torch.matmul but not torch.nn.functional.
//
// Input x: [batch, 7, 260] raw LFCC features (7 one-second steps, each 10 frames x 26).
// Normalisation inside the model, so a model file is self-contained:
//   "fixed":  the log energy is taken relative to its mean over the window (which makes the
//             input gain-invariant: every other feature already is), then every feature is
//             z-scored with statistics of the training set;
//   "window": each feature is z-scored with the window's own mean and standard deviation
//             (the published system's design, kept for comparison);
//   "absolute": training-set statistics on the raw features, absolute energy included (gain
//             robustness then has to come from gain augmentation while training);
//   "background": the same z-scores, on features whose log energy the encoder stage has
//             already made relative to the channel's own background (BackgroundLevel.hpp).
// Then a one-layer LSTM, dropout on its last output while training, a linear layer, and
// log-probabilities in the order [seiz, bckg].
#include <string_view>

namespace streamdx::decoder {

inline constexpr std::string_view kSeizureModelScript = R"TS(
def normalise(self, x):
    b = x.size(0)
    f = x.reshape([b, 70, 26])
    if self.normalization == "window":
        mu = torch.mean(f, [1], True)
        sd = torch.sqrt(torch.mean((f - mu) * (f - mu), [1], True))
        f = (f - mu) / (sd + 0.001)
    elif self.normalization == "absolute" or self.normalization == "background":
        f = (f - self.feature_mean) / self.feature_std
    else:
        e = f[:, :, 0:1]
        e = e - torch.mean(e, [1], True)
        f = torch.cat([e, f[:, :, 1:]], 2)
        f = (f - self.feature_mean) / self.feature_std
    return f.reshape([b, 7, 260])

def forward(self, x):
    h = self.normalise(x)
    b = x.size(0)
    z = torch.zeros([1, b, self.hidden], dtype=x.dtype, device=x.device)
    out = torch.lstm(h, [z, z], [self.w_ih, self.w_hh, self.b_ih, self.b_hh], True, 1, 0.0,
                     self.training, False, True)
    last = out[0][:, -1, :]
    if self.training:
        last = torch.dropout(last, self.dropout, True)
    logits = torch.matmul(last, self.w_out.t()) + self.b_out
    return torch.log_softmax(logits, 1)

def posteriors(self, x):
    return torch.exp(self.forward(x))
)TS";

inline constexpr std::string_view kSeizureModelFormat = "streamdx channel-lstm 1";

}  // namespace streamdx::decoder
