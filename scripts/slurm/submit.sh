#!/usr/bin/env bash
# Runs a corpus through streamdx on Slurm (docs/SCALING.md):
#
#   scripts/slurm/submit.sh CORPUS_DIR OUT_DIR [--chunk-minutes M] [--max-parallel P]
#                           [--tasks-per-job K] [--overlap S] [--set KEY=VALUE]...
#                           [--config FILE] [-- SBATCH_ARGS...]
#
# 1. makes the plan, OUT_DIR/plan.json (streamdx batch plan), unless OUT_DIR holds one: then it
#    resumes that plan;
# 2. submits one `sbatch --array` job with an array task per K plan tasks (chunks or recordings;
#    K = 1 by default) of which any has not finished, at most P at once, each running
#    `streamdx batch run PLAN --task $SLURM_ARRAY_TASK_ID --tasks-per-job K`: K tasks share one
#    process start, one model load and one scheduling delay (docs/SCALING.md);
# 3. submits the merge (`streamdx batch merge PLAN`), which waits for the array
#    (--dependency=afterok), and cancels the merge an earlier submission left waiting.
#
# Run it again after failures (a node lost, a task cancelled): only the tasks without a verified
# result are submitted again. Task logs: OUT_DIR/.batch/slurm/. Arguments after `--` go to every
# sbatch call (--partition, --time, --mem, --account, ...). STREAMDX names the executable
# (default: streamdx on PATH, else this checkout's build/streamdx).
set -euo pipefail

usage() { sed -n '4,6p' "$0" | sed 's/^# *//' >&2; exit 2; }
[[ $# -ge 2 ]] || usage
corpus=$1
out=$2
shift 2
chunk_minutes=0
max_parallel=0
per_job=1
plan_args=()
sbatch_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --chunk-minutes) chunk_minutes=$2; shift 2 ;;
    --max-parallel) max_parallel=$2; shift 2 ;;
    --tasks-per-job) per_job=$2; shift 2 ;;
    --overlap|--set|--config) plan_args+=("$1" "$2"); shift 2 ;;
    --) shift; sbatch_args=("$@"); break ;;
    *) echo "submit.sh: unknown option $1" >&2; usage ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
if [[ -z ${STREAMDX:-} ]]; then
  STREAMDX=$(command -v streamdx || echo "$here/../../build/streamdx")
fi
STREAMDX=$(realpath "$STREAMDX")
[[ -x $STREAMDX ]] || { echo "submit.sh: $STREAMDX is not an executable (set STREAMDX)" >&2; exit 1; }
mkdir -p "$out/.batch/slurm"
out=$(cd "$out" && pwd)
plan=$out/plan.json
logs=$out/.batch/slurm

if [[ -f $plan ]]; then
  echo "resuming $plan"
else
  "$STREAMDX" batch plan "$corpus" -o "$plan" --out "$out" --chunk-minutes "$chunk_minutes" \
    ${plan_args[@]+"${plan_args[@]}"}
fi

# A merge an earlier submission left waiting on an array that can no longer succeed.
if [[ -s $logs/merge.jobid ]]; then
  scancel "$(cat "$logs/merge.jobid")" 2>/dev/null || true
fi

# The tasks to run, as ranges ("0-41,57"), grouped K to an array task (group g: tasks g*K to
# g*K+K-1; the finished ones among them return at once). Slurm arrays hold indices below
# MaxArraySize (1001 by default), so more groups go in blocks of 1000, each with its offset.
todo=$("$STREAMDX" batch status "$plan" --to-submit)
declare -A block_ranges=()
declare -A seen=()
if [[ -n $todo ]]; then
  IFS=, read -ra ranges <<< "$todo"
  for r in "${ranges[@]}"; do
    a=${r%-*}
    b=${r#*-}
    for ((i = a; i <= b; i++)); do
      g=$((i / per_job))
      [[ -n ${seen[$g]:-} ]] && continue
      seen[$g]=1
      blk=$((g / 1000))
      block_ranges[$blk]+="${block_ranges[$blk]:+,}$((g - blk * 1000))"
    done
  done
fi
throttle=""
[[ $max_parallel -gt 0 ]] && throttle="%$max_parallel"
arrays=()
for blk in "${!block_ranges[@]}"; do
  jid=$(sbatch --parsable --job-name=streamdx-batch --array="${block_ranges[$blk]}$throttle" \
    --output="$logs/task-%A_%a.log" ${sbatch_args[@]+"${sbatch_args[@]}"} \
    --wrap="exec '$STREAMDX' batch run '$plan' --task SLURM_ARRAY_TASK_ID --task-offset $((blk * 1000)) --tasks-per-job $per_job")
  arrays+=("${jid%%;*}")
done

dependency=()
if [[ ${#arrays[@]} -gt 0 ]]; then
  dependency=(--dependency="afterok:$(IFS=:; echo "${arrays[*]}")")
fi
merge=$(sbatch --parsable --job-name=streamdx-merge --output="$logs/merge-%j.log" \
  ${dependency[@]+"${dependency[@]}"} ${sbatch_args[@]+"${sbatch_args[@]}"} \
  --wrap="exec '$STREAMDX' batch merge '$plan'")
merge=${merge%%;*}
echo "$merge" > "$logs/merge.jobid"
echo "tasks: ${todo:-none left}; array job(s): ${arrays[*]:-none}; merge job: $merge"
echo "progress: $STREAMDX batch status $plan"
