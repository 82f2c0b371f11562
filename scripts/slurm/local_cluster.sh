#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for tests and benchmarks: munged, slurmctld and slurmd
# from Debian's munge and slurm-wlm, each started here with its own key, sockets, ports, state and
# logs under DIR, and stopped by the PIDs they wrote there. Nothing under /etc is used or changed.
#
#   local_cluster.sh start DIR [SLOTS]   prints "export SLURM_CONF=DIR/slurm.conf" when it is up
#   local_cluster.sh stop DIR
#
# Needs root (slurmd starts jobs as their user). SLOTS (default 2) is how many one-CPU tasks run
# at once. Commands such as sbatch and squeue find this cluster through SLURM_CONF.
set -euo pipefail

die() { echo "local_cluster.sh: $*" >&2; exit 1; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_pidfile() {
  local file=$1 pid
  [[ -s $file ]] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

start() {
  local dir=$1 slots=${2:-2} host
  for b in munged slurmctld slurmd sinfo; do
    command -v "$b" >/dev/null || die "$b is not installed (scripts/setup.sh installs slurm-wlm and munge)"
  done
  [[ $(id -u) == 0 ]] || die "slurmd must run as root"
  host=$(hostname -s)
  mkdir -p "$dir/state" "$dir/spool"
  dir=$(cd "$dir" && pwd)
  head -c 1024 /dev/urandom > "$dir/munge.key"
  chmod 400 "$dir/munge.key"
  munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge.seed"
  cat > "$dir/slurm.conf" <<CONF
ClusterName=streamdx
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.socket
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
KillWait=2
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$slots State=UNKNOWN
PartitionName=batch Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  for _ in $(seq 150); do
    if [[ $(sinfo -h -o %T 2>/dev/null) == idle ]]; then
      echo "export SLURM_CONF=$SLURM_CONF"
      return 0
    fi
    sleep 0.2
  done
  tail -n 5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  die "the node did not come up within 30 s (logs above)"
}

stop() {
  local dir=$1
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/munged.pid"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: local_cluster.sh start DIR [SLOTS] | stop DIR" ;;
esac
