#!/usr/bin/env bash
# Corpus throughput for docs/PERFORMANCE.md (issue 29), every way against the serial baseline in
# the same run, on this machine: a corpus of stitched Bonn recordings, then
#   1. serial: one `streamdx run` after another over the files (the baseline);
#   2. `streamdx batch run --jobs SLOTS`: the plan's tasks in local processes;
#   3. Slurm: scripts/slurm/submit.sh on a one-node cluster with SLOTS slots
#      (scripts/slurm/local_cluster.sh, root), from submission to the merge's end.
# Each gives recording-hours per wall-clock minute. The overhead per task is the wall time the
# slots were held beyond the tasks' own pipeline time (each manifest's "seconds"): process start,
# model load, and for Slurm the scheduler. Figures go to OUT/batch.json.
#
#   scripts/bench_batch.sh [OUT] [RECORDINGS] [MINUTES_EACH] [CHUNK_MINUTES] [SLOTS] [CHANNELS]
#                          [TASKS_PER_JOB]
# CHUNK_MINUTES 0: one task per recording. TASKS_PER_JOB: plan tasks per process (local) and per
# array task (Slurm).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sdx="$(realpath "${STREAMDX_BINARY:-$here/build/streamdx}")"
out="$(mkdir -p "${1:-bench-batch}" && cd "${1:-bench-batch}" && pwd)"
recordings="${2:-6}"
minutes="${3:-60}"
chunk="${4:-20}"
slots="${5:-2}"
channels="${6:-8}"
per_job="${7:-1}"
data="${STREAMDX_DATA:-$here/../shared/data}"
cluster="$out/cluster"
trap '"$here/scripts/slurm/local_cluster.sh" stop "$cluster" || true' EXIT
now() { date +%s.%N; }

rm -rf "$out/corpus" "$out/serial" "$out/local" "$out/slurm"
echo "== a corpus of $recordings stitched recordings of about $minutes min, $channels channels"
for i in $(seq "$recordings"); do
  "$sdx" stitch --bonn "$data/eeg/bonn" -o "$out/corpus/r$i.edf" --seed "$i" --channels "$channels" \
    --events 3 --background $((minutes * 60 - 70)) 2> /dev/null
done
rm -f "$out"/corpus/*.json
hours=$(for f in "$out"/corpus/*.edf; do "$sdx" inspect "$f" 2> /dev/null; done |
  /usr/bin/python3 -c 'import json,sys
d=json.JSONDecoder(); s=sys.stdin.read(); i=0; t=0
while i < len(s):
    s2=s[i:].lstrip()
    if not s2: break
    o,n=d.raw_decode(s2); i=len(s)-len(s2)+n; t+=o["duration_s"]
print(t/3600)')
set_montage=(--set eeg.montage=none)

echo "== serial: one streamdx run after another"
t0=$(now)
for f in "$out"/corpus/*.edf; do
  "$sdx" run "$f" -o "$out/serial/$(basename "$f" .edf)" "${set_montage[@]}" 2> /dev/null
done
t1=$(now)

echo "== batch run --jobs $slots --tasks-per-job $per_job"
"$sdx" batch plan "$out/corpus" -o "$out/local/plan.json" --out "$out/local" \
  --chunk-minutes "$chunk" "${set_montage[@]}" 2> /dev/null
t2=$(now)
"$sdx" batch run "$out/local/plan.json" --jobs "$slots" --tasks-per-job "$per_job" 2> /dev/null
"$sdx" batch merge "$out/local/plan.json" 2> /dev/null
t3=$(now)

echo "== Slurm, $slots slots"
eval "$("$here/scripts/slurm/local_cluster.sh" start "$cluster" "$slots")"
t4=$(now)
"$here/scripts/slurm/submit.sh" "$out/corpus" "$out/slurm" --chunk-minutes "$chunk" \
  --tasks-per-job "$per_job" "${set_montage[@]}" > "$out/submit.txt"
merge=$(sed -n 's/.*merge job: \([0-9]*\).*/\1/p' "$out/submit.txt")
while squeue -h -j "$merge" 2> /dev/null | grep -q .; do sleep 0.2; done
t5=$(now)

for f in "$out"/corpus/*.edf; do
  n=$(basename "$f" .edf)
  for e in hyp tse csv_bi; do
    cmp -s "$out/serial/$n/$n.$e" "$out/local/$n/$n.$e" || { echo "local $n.$e differs"; exit 1; }
    cmp -s "$out/serial/$n/$n.$e" "$out/slurm/$n/$n.$e" || { echo "slurm $n.$e differs"; exit 1; }
  done
done

/usr/bin/python3 - "$out" "$hours" "$slots" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$channels" "$chunk" "$per_job" <<'PY'
import glob, json, os, sys
out, hours, slots = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
t = [float(x) for x in sys.argv[4:10]]
def task_seconds(d):
    return [json.load(open(f))["seconds"] for f in glob.glob(os.path.join(d, ".batch/tasks/*.manifest.json"))]
def way(wall, tasks):
    r = {"wall_s": round(wall, 2), "recording_hours_per_minute": round(hours / (wall / 60), 1)}
    if tasks:
        r["tasks"] = len(tasks)
        r["pipeline_s_per_task_mean"] = round(sum(tasks) / len(tasks), 3)
        r["overhead_s_per_task"] = round((wall * slots - sum(tasks)) / len(tasks), 3)
    return r
doc = {"recording_hours": round(hours, 3), "slots": slots, "channels": int(sys.argv[10]), "chunk_minutes": float(sys.argv[11]), "tasks_per_job": int(sys.argv[12]),
       "serial_run_loop": way(t[1] - t[0], []),
       "batch_local_jobs": way(t[3] - t[2], task_seconds(os.path.join(out, "local"))),
       "slurm": way(t[5] - t[4], task_seconds(os.path.join(out, "slurm"))),
       "outputs_identical_to_serial": True}
json.dump(doc, open(os.path.join(out, "batch.json"), "w"), indent=2)
print(json.dumps(doc, indent=2))
PY
