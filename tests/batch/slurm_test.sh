#!/usr/bin/env bash
# The Slurm recipe end to end on a real Slurm (scripts/slurm/local_cluster.sh starts munged,
# slurmctld and slurmd here, as root, and stops them by PID): a corpus of three recordings is
# submitted with scripts/slurm/submit.sh; one array task is cancelled (scancel) while it runs;
# submit.sh, run again, resubmits only what is missing; the merged HYP, TSE and csv_bi must be
# those of a serial `streamdx run` over each recording, byte for byte.
#
#   slurm_test.sh STREAMDX SOURCE_DIR      exit 77: skipped (no Slurm, not root, no data)
set -euo pipefail
streamdx=$1
src=$2
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAILED: $*"; exit 1; }

for b in munged slurmctld slurmd sbatch squeue scancel; do
  command -v "$b" >/dev/null || skip "$b not installed (scripts/setup.sh installs slurm-wlm and munge)"
done
[[ $(id -u) == 0 ]] || skip "starting slurmd needs root"
data=${STREAMDX_DATA:-$src/../shared/data}
if [[ ! -d $data/eeg/bonn ]]; then
  [[ ${STREAMDX_REQUIRE_DATA:-} == 1 ]] && fail "STREAMDX_REQUIRE_DATA=1 but $data/eeg/bonn is missing"
  skip "no Bonn data at $data/eeg/bonn (set STREAMDX_DATA)"
fi

work=$(mktemp -d /tmp/streamdx-slurm-test.XXXXXX)
cluster=$work/cluster
cleanup() {
  "$src/scripts/slurm/local_cluster.sh" stop "$cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$("$src/scripts/slurm/local_cluster.sh" start "$cluster" 2)"

# Three recordings of 10 to 20 minutes, in two folders; their references beside them.
corpus=$work/corpus
for spec in "a/r1 3 600" "a/r2 5 900" "b/r3 7 1200"; do
  read -r name seed background <<< "$spec"
  "$streamdx" stitch --bonn "$data/eeg/bonn" -o "$corpus/$name.edf" --seed "$seed" \
    --background "$background" --channels 2 --events 2 2> /dev/null
done
rm -f "$corpus"/*/*.json  # the stitch sidecars are not annotations

# The serial baseline.
t0=$(date +%s.%N)
for edf in "$corpus"/*/*.edf; do
  rel=${edf#"$corpus"/}
  "$streamdx" run "$edf" -o "$work/serial/${rel%.edf}" --set eeg.montage=none 2> /dev/null
done
t1=$(date +%s.%N)

out=$work/out
"$src/scripts/slurm/submit.sh" "$corpus" "$out" --chunk-minutes 2 --max-parallel 2 \
  --set eeg.montage=none | tee "$work/submit1.txt"
array=$(sed -n 's/.*array job(s): \([0-9]*\).*/\1/p' "$work/submit1.txt")
merge1=$(sed -n 's/.*merge job: \([0-9]*\).*/\1/p' "$work/submit1.txt")
[[ -n $array && -n $merge1 ]] || fail "submit.sh printed no job ids"

# Catch a task while it runs: freeze it (SIGSTOP) the moment its marker appears, then cancel
# that array task. Slurm signals and then kills it; it leaves no result.
victim=""
for _ in $(seq 3000); do
  for marker in "$out"/.batch/tasks/task-*.running; do
    [[ -e $marker ]] || continue
    pid=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$marker" 2>/dev/null) || continue
    kill -STOP "$pid" 2>/dev/null || continue
    victim=$(basename "$marker" .running)
    victim=$((10#${victim#task-}))
    break 2
  done
  sleep 0.01
done
[[ -n $victim ]] || fail "no task was seen running"
scancel "${array}_${victim}"
echo "cancelled array task ${array}_${victim} while it ran"
for _ in $(seq 600); do squeue -h -j "$array" 2>/dev/null | grep -q . || break; sleep 0.2; done

status=$("$streamdx" batch status "$out/plan.json" --to-submit)
[[ $status == "$victim" ]] || fail "after the cancel, batch status offers '$status', not task $victim"
[[ ! -e $out/report.txt ]] || fail "a merge ran although a task was cancelled"

# Resume: only the cancelled task goes again, with a new merge; the stale merge is cancelled.
"$src/scripts/slurm/submit.sh" "$corpus" "$out" --max-parallel 2 | tee "$work/submit2.txt"
grep -q "^tasks: $victim;" "$work/submit2.txt" || fail "the resubmission did not submit task $victim alone"
merge2=$(sed -n 's/.*merge job: \([0-9]*\).*/\1/p' "$work/submit2.txt")
for _ in $(seq 900); do squeue -h -j "$merge2" 2>/dev/null | grep -q . || break; sleep 0.2; done
t2=$(date +%s.%N)
squeue -h -j "$merge1" 2>/dev/null | grep -q . && fail "the first merge job $merge1 is still queued"
[[ -s $out/report.txt ]] || { cat "$out"/.batch/slurm/merge-*.log; fail "no report after the merge"; }

for edf in "$corpus"/*/*.edf; do
  rel=${edf#"$corpus"/}
  rel=${rel%.edf}
  name=$(basename "$rel")
  for ext in hyp tse csv_bi; do
    cmp "$work/serial/$rel/$name.$ext" "$out/$rel/$name.$ext" ||
      fail "$rel/$name.$ext differs from the serial run's"
  done
done
grep -q "3 recordings: 3 merged, 0 failed, 3 scored" "$out/report.txt" || fail "$(head -1 "$out/report.txt")"
tasks=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tasks"]))' "$out/plan.json")
echo "PASSED: $tasks tasks on Slurm, one cancelled and resubmitted; outputs identical to the serial run"
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "serial run loop %.1f s; Slurm with a cancel and a resubmission %.1f s\n", b - a, c - b }'
