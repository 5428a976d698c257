#!/bin/bash
# scaleout-slurm.sh: a sweep emitted as a Slurm array job, submitted to a
# real single-node Slurm (slurmctld, slurmd and munged started here on
# localhost from a generated slurm.conf, and stopped after), then merged:
# the same sweep.json and sweep.csv as the sweep run locally, byte for
# byte.  Run by make check; skipped, saying why, only where the daemons
# cannot start (Debian packages slurm-wlm and munge; root, as slurmd
# runs jobs as their user).
set -u
bin=$PWD/accelsim
skip() {
	echo "SKIP: $*"
	exit 77
}
for p in slurmctld slurmd munged sbatch scontrol; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed (Debian packages slurm-wlm and munge)"
done
[ "$(id -u)" = 0 ] || skip "a local slurmd must run as root"
scratch=$(mktemp -d /tmp/accelsim-slurm.XXXXXX) || exit 1
chmod 700 "$scratch"
export SLURM_CONF=$scratch/slurm.conf

stop() {
	for f in slurmd slurmctld; do
		[ -s "$scratch/$f.pid" ] && kill "$(cat "$scratch/$f.pid")" 2>/dev/null
	done
	[ -S "$scratch/munge.sock" ] && munged --stop --socket="$scratch/munge.sock" >/dev/null 2>&1
	# wait for them to go, then remove what they wrote
	for _ in $(seq 50); do
		pgrep -f "$scratch" >/dev/null || break
		sleep 0.1
	done
	pkill -KILL -f "slurm.*$scratch" 2>/dev/null
	rm -rf "$scratch"
}
trap stop EXIT
trap 'exit 1' INT TERM
cd "$scratch" || exit 1
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

# munge with a key of its own, on a socket of its own
dd if=/dev/urandom of=munge.key bs=1024 count=1 2>/dev/null && chmod 400 munge.key
munged --force --key-file="$scratch/munge.key" --socket="$scratch/munge.sock" \
	--pid-file="$scratch/munged.pid" --log-file="$scratch/munged.log" \
	--seed-file="$scratch/munged.seed" 2>munged.err ||
	skip "munged cannot start: $(cat munged.err munged.log 2>/dev/null | tail -2)"

# ports of our own, so that another Slurm on this machine is no bother
port=$((20000 + $$ % 20000))
host=$(hostname -s)
mkdir -p state spool
cat >slurm.conf <<CONF
ClusterName=accelsimtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$scratch/munge.sock
CredType=cred/munge
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/slurmctld.pid
SlurmdPidFile=$scratch/slurmd.pid
SlurmctldLogFile=$scratch/slurmctld.log
SlurmdLogFile=$scratch/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=accelsim Nodes=$host Default=YES MaxTime=10 State=UP
CONF
slurmctld -f "$SLURM_CONF" 2>ctld.err || skip "slurmctld cannot start: $(tail -2 ctld.err slurmctld.log 2>/dev/null)"
slurmd -f "$SLURM_CONF" 2>slurmd.err || skip "slurmd cannot start: $(tail -2 slurmd.err slurmd.log 2>/dev/null)"
up=
for _ in $(seq 100); do
	scontrol show node "$host" 2>/dev/null | grep -q 'State=IDLE' && { up=1; break; }
	sleep 0.2
done
[ -n "$up" ] || skip "the node did not come up: $(tail -3 slurmctld.log slurmd.log 2>/dev/null)"

sweep=(quickstart --load 200kpps,600kpps --seeds 2 --set scenario.duration=60ms
	--set scenario.warmup=5ms -q)
"$bin" sweep "${sweep[@]}" -o local >local.out 2>local.err || fail "local sweep: $(cat local.err)"
"$bin" sweep "${sweep[@]}" -o cluster --emit-jobs array.sh --slurm >emit.out 2>emit.err ||
	fail "--emit-jobs --slurm: $(cat emit.err)"
grep -q '^#SBATCH --array=1-4$' array.sh || fail "array.sh: expected an array of 4 tasks"
grep -q 'SLURM_ARRAY_TASK_ID' array.sh || fail "array.sh does not pick its run by SLURM_ARRAY_TASK_ID"
timeout 300 sbatch --wait array.sh >sbatch.out 2>&1 || fail "sbatch --wait: $(cat sbatch.out cluster/slurm-*.out 2>/dev/null | tail -5)"
"$bin" merge cluster -o merged -q 2>merge.err || fail "merge: $(cat merge.err)"
for f in sweep.json sweep.csv; do
	cmp -s "local/$f" "merged/$f" || { fail "merged $f differs from the local sweep's"; diff "local/$f" "merged/$f" | head -5; }
done
exit $status
