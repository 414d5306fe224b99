#!/bin/bash
# A throwaway single-node Slurm cluster for the integration test (test/integration/slurm.test.ts).
#   slurm-cluster.sh start <dir>   writes <dir>/slurm.conf, starts munged, slurmctld and slurmd
#                                  (each with its pid file in <dir>), waits until the node is idle
#   slurm-cluster.sh stop <dir>    stops exactly the daemons whose pid files are in <dir>
# Needs root and Debian's slurmctld slurmd slurm-client munge (see .ci/run). No systemd: the
# daemons are started by hand; everything (socket, state, logs) lives in <dir>.
set -euo pipefail
cmd=$1
dir=$(cd "$2" && pwd)
node=asnode

stop() {
  for d in slurmd slurmctld munged; do
    if [ -f "$dir/$d.pid" ]; then
      pid=$(cat "$dir/$d.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/$d.pid"
    fi
  done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi

# Ports from the folder name's hash, so parallel runs on one machine do not collide.
base=$((20000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 20000))
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
cat > "$dir/slurm.conf" <<CONF
ClusterName=artifactscan
SlurmctldHost=$(hostname)(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$(hostname) CPUs=$(nproc) State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
export SLURM_CONF="$dir/slurm.conf"
if [ ! -s /etc/munge/munge.key ]; then echo "slurm-cluster: /etc/munge/munge.key is missing (install munge)" >&2; exit 3; fi
# The daemons get no terminal and no pipe of ours: a caller reading our output would wait on them.
munged --force --socket="$dir/munge.sock" --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed" --log-file="$dir/log/munged.log" </dev/null >/dev/null 2>&1
slurmctld -c </dev/null >/dev/null 2>&1
slurmd -N "$node" </dev/null >/dev/null 2>&1
for _ in $(seq 1 100); do
  if [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = idle ]; then exit 0; fi
  sleep 0.2
done
echo "slurm-cluster: the node did not become idle; logs in $dir/log" >&2
stop
exit 4
