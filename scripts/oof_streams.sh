#!/usr/bin/env bash
# Out-of-fold figures of a model trained with `streamdx train --folds 5 --delhi DIR -o OUT`:
# each fold's model (OUT.foldK.pt, kept by the trainer) runs `streamdx evaluate --corpus` on the
# streams of its own held-out block (OUT.streams/delhi-*/validation and OUT.streams/bonn-*), so
# no stream is decided by a model that trained on its segments. Prints one JSON line per kind
# of stream: onset streams (background then seizure), interictal, preictal and ictal-only, then
# the Delhi streams pooled. Sensitivity and specificity are NEDC's EPOCH scoring (0.25 s samples
# of the event timelines); false events are OVLP false alarms.
#
#   scripts/oof_streams.sh OUT [STREAMDX_BINARY]        (OUT without .pt)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: oof_streams.sh OUT [STREAMDX]}"
sdx="${2:-$here/build/streamdx}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
delhi=(01-06 07-12 13-18 19-24 25-30)
bonn=(001-016 017-032 033-048 049-064 065-080)
for k in 1 2 3 4 5; do
  [[ -f "$out.fold$k.pt" ]] || { echo "oof_streams: $out.fold$k.pt not found" >&2; exit 1; }
  "$sdx" evaluate --corpus "$out.streams/delhi-${delhi[k-1]}/validation" --model "$out.fold$k.pt" \
    --log-level warn > "$tmp/delhi-$k.json"
  "$sdx" evaluate --corpus "$out.streams/bonn-${bonn[k-1]}" --model "$out.fold$k.pt" \
    --log-level warn > "$tmp/bonn-$k.json"
done
/usr/bin/python3 - "$tmp" <<'PY'
import collections, json, sys
tmp = sys.argv[1]
def epoch_rates(rs):
    hit = sum(r["scores"]["epoch_0_25s"]["hits"] for r in rs)
    miss = sum(r["scores"]["epoch_0_25s"]["misses"] for r in rs)
    fa = sum(r["scores"]["epoch_0_25s"]["false_alarms"] for r in rs)
    background = sum(r["scores"]["duration_s"] for r in rs) / 0.25 - hit - miss
    sens = round(100 * hit / (hit + miss), 1) if hit + miss else None
    return sens, round(100 * (1 - fa / background), 1) if background > 0 else None

everything = collections.defaultdict(list)
for corpus in ("delhi", "bonn"):
    groups = collections.defaultdict(list)
    for k in range(1, 6):
        for r in json.load(open(f"{tmp}/{corpus}-{k}.json"))["recordings"]:
            kind = next(t for t in ("onset", "interictal", "preictal", "ictal") if f"-{t}" in r["recording"])
            groups[kind].append(r)
            everything[corpus].append(r)
    for kind, rs in sorted(groups.items()):
        epochs = sum(r["epochs"] for r in rs)
        hours = sum(r["scores"]["duration_s"] for r in rs) / 3600
        fa = sum(r["scores"]["ovlp"]["false_alarms"] for r in rs)
        lat = sorted(r["scores"]["onset_latency_s"]["max"] for r in rs if r["scores"]["onset_latency_s"]["detected"])
        sens, spec = epoch_rates(rs)
        print(json.dumps({"streams": f"{corpus}/{kind}", "count": len(rs),
                          "epoch_sensitivity_pct": sens, "epoch_specificity_pct": spec,
                          "seizures": sum(r["reference_events"] for r in rs),
                          "detected": sum(r["scores"]["ovlp"]["hits"] for r in rs),
                          "false_events": fa, "false_events_per_hour": round(fa / hours, 2),
                          "epochs_flagged_pct": round(100 * sum(r["flagged_fraction"] * r["epochs"] for r in rs) / epochs, 1),
                          "onset_latency_s": [round(x, 1) for x in lat]}))
for corpus, rs in everything.items():
    sens, spec = epoch_rates(rs)
    hours = sum(r["scores"]["duration_s"] for r in rs) / 3600
    fa = sum(r["scores"]["ovlp"]["false_alarms"] for r in rs)
    print(json.dumps({"streams": f"{corpus} pooled", "count": len(rs), "hours": round(hours, 3),
                      "epoch_sensitivity_pct": sens, "epoch_specificity_pct": spec,
                      "false_events": fa, "false_events_per_hour": round(fa / hours, 2)}))
PY
