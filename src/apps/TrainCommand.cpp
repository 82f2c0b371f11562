// streamdx train: the command line of the trainer (training/Trainer.hpp).
#include <signal.h>
#include <unistd.h>

#include "apps/CommandLine.hpp"
#include "training/Trainer.hpp"

namespace streamdx {

namespace {

// --interrupt-after-epochs N is a hidden test hook: after N finished epochs (fold runs
// included) the process interrupts itself, so that the stop-and-resume tests stop at a chosen
// point instead of racing the training.
class TrainCli final : public cli::Command {
 public:
  void define(CLI::App& cmd) override {
    TrainingOptions& t = o_.options;
    cmd.add_option("--bonn", o_.bonn, "Bonn data root (default STREAMDX_DATA/eeg/bonn)");
    cmd.add_option(
        "--corpus", o_.corpus,
        "a tree of annotated EDF recordings instead (TUSZ csv_bi, CHB-MIT, Siena, SeizeIT, BIDS)");
    cmd.add_option("--delhi", o_.delhi,
                   "also train on New Delhi scalp streams from this folder (e.g. "
                   "STREAMDX_DATA/eeg/delhi) and Bonn onset streams (models/SPLIT-delhi.md)");
    cmd.add_option("--add-corpus", o_.add_corpora,
                   "also train on this annotated corpus beside Bonn (TUSZ csv_bi, CHB-MIT, Siena, "
                   "SeizeIT, BIDS; repeatable): recording i joins fold i mod K");
    cmd.add_option("-o,--out", o_.out, "output path without extension")->capture_default_str();
    cmd.add_option("--train-segments", o_.train_segments,
                   "Bonn: use segments 1..N of every set (the last quarter validates)")
        ->capture_default_str();
    cmd.add_option("--normalization", t.normalization,
                   "fixed, window, absolute or background (the log energy relative to the "
                   "channel's own background)")
        ->capture_default_str();
    cmd.add_option("--gain-augment-db", t.gain_augment_db,
                   "random gain of each training window, +- dB")
        ->capture_default_str();
    cmd.add_flag("--compare", o_.compare,
                 "also train the other normalisation alike and report it in the card");
    cmd.add_flag("--refit", o_.refit,
                 "after early stopping, retrain on training + validation data for the best "
                 "epoch count and ship that model");
    cmd.add_option("--folds", o_.folds,
                   "K > 1: choose the epoch count by K-fold cross-validation over the training "
                   "recordings, then train on all of them")
        ->capture_default_str();
    cmd.add_option("--phases", o_.phases,
                   "training windows at this many 0.1 s shifts of the epoch grid (1-10)")
        ->capture_default_str();
    cmd.add_option("--stretch-augment", o_.stretch_augment_percent,
                   "P > 0: also train on every recording read at 1+P/100 and 1/(1+P/100) speed, "
                   "its rhythms that much faster and slower (0-50; 0 turns it off)")
        ->capture_default_str();
    define_optimiser(cmd, t);
    cmd.add_option("--resume", o_.resume, "continue from this checkpoint");
    cmd.add_option("--interrupt-after-epochs", interrupt_after_epochs_)
        ->group("");  // hidden: the tests' deterministic Ctrl-C
    config_.add_to(cmd);
  }
  int run() override {
    Config config = config_.load();
    if (interrupt_after_epochs_ > 0) {
      o_.on_epoch_finished = [left = interrupt_after_epochs_]() mutable {
        // Process-directed, so it arrives as a user's Ctrl-C does, at SignalStop's thread.
        if (--left == 0) ::kill(::getpid(), SIGINT);
      };
    }
    return train_seizure_model(o_, config);
  }

 private:
  static void define_optimiser(CLI::App& cmd, TrainingOptions& t) {
    cmd.add_option("--hidden", t.hidden, "LSTM units")->capture_default_str();
    cmd.add_option("--dropout", t.dropout, "dropout before the output layer (0-1)")
        ->capture_default_str();
    cmd.add_option("--lr", t.learning_rate, "AdamW learning rate")->capture_default_str();
    cmd.add_option("--weight-decay", t.weight_decay, "AdamW weight decay")->capture_default_str();
    cmd.add_option("--batch", t.batch, "training windows per batch")->capture_default_str();
    cmd.add_option("--epochs", t.max_epochs, "at most")->capture_default_str();
    cmd.add_option("--patience", t.patience, "early-stopping patience, epochs")
        ->capture_default_str();
    cmd.add_option("--seed", t.seed, "seeds initialisation, shuffling, dropout and augmentation")
        ->capture_default_str();
    cmd.add_option("--torch-threads", t.threads, "LibTorch threads (1: bit-identical weights)")
        ->capture_default_str();
  }

  TrainerSettings o_;
  int interrupt_after_epochs_ = 0;
  cli::ConfigOptions config_;
};

const cli::CommandRegistration<TrainCli> kRegistered{
    {"train",
     "Train the channel-LSTM seizure model with LibTorch on the Bonn split (default) or a "
     "annotated corpus (TUSZ, CHB-MIT, Siena, SeizeIT, BIDS), through the same acquisition and "
     "LFCC code as `run`; writes OUT.pt and "
     "its model card OUT.json/OUT.md. Ctrl-C saves a checkpoint for --resume",
     80}};

}  // namespace

}  // namespace streamdx
