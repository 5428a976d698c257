#!/usr/bin/env bash
# bench/run.sh: the simulator's speed and memory (`make bench`).
#
# For each benchmark scenario: simulated packets (both paths) per wall
# second and peak RSS, at the scenario's duration and at ten times it, to
# show that memory does not grow with the number of packets.
# Usage: bench/run.sh [path/to/accelsim]   (default: ./accelsim)
set -euo pipefail
accelsim=${1:-./accelsim}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

# scenario file, its duration in seconds
benches=(
	"$top/scenarios/line-rate-64b.ini 0.5"
	"$top/bench/load30-64b.ini 2"
	"$top/bench/shared-core.ini 1"
	"$top/bench/host-16vm.ini 1"
	"$top/bench/host-16vm-shared.ini 0.2"
)

one() { # scenario duration -> "packets wall pps rss_kib"
	local line
	line=$("$accelsim" run "$1" -q --json --set "scenario.duration=$2s" --engine-stats 2>&1 >/dev/null |
		grep '^engine:')
	# engine: N packets in W s wall: P packets/s; ... peak RSS R KiB
	sed -E 's/^engine: ([0-9]+) packets in ([0-9.]+) s wall: ([0-9]+) packets\/s;.*peak RSS ([0-9]+) KiB.*/\1 \2 \3 \4/' <<<"$line"
}

printf '%-16s %9s %12s %9s %14s %10s %9s\n' scenario duration packets "wall s" "packets/s" "RSS MiB" "RSS 10x/1x"
for b in "${benches[@]}"; do
	set -- $b
	file=$1 dur=$2 name=$(basename "$1" .ini)
	read -r p1 w1 r1 m1 <<<"$(one "$file" "$dur")"
	dur10=$(awk -v d="$dur" 'BEGIN { print d * 10 }')
	read -r p10 w10 r10 m10 <<<"$(one "$file" "$dur10")"
	ratio=$(awk -v a="$m10" -v b="$m1" 'BEGIN { printf "%.3f", a / b }')
	printf '%-16s %8ss %12s %9s %14s %10.1f %9s\n' "$name" "$dur" "$p1" "$w1" "$r1" "$(awk -v m="$m1" 'BEGIN{print m/1024}')" ""
	printf '%-16s %8ss %12s %9s %14s %10.1f %9s\n' "$name" "$dur10" "$p10" "$w10" "$r10" "$(awk -v m="$m10" 'BEGIN{print m/1024}')" "$ratio"
done

# A 12-point load sweep of web-server with 3 seeds, its plots and the
# report: the whole of what a user waits for (target: under 60 s on two
# cores).  The load average is printed beside it, since other work on the
# machine slows it down; user + system CPU over the cores is the time it
# would take with the machine to itself.
out=$(mktemp -d /tmp/accelsim-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
load0=$(cut -d' ' -f1 /proc/loadavg)
t0=$(date +%s.%N)
cpu=$( { /usr/bin/time -f '%U %S' "$accelsim" sweep web-server --seeds 3 -q --plot "$out/ws" >/dev/null &&
	/usr/bin/time -f '%U %S' "$accelsim" report "$out/ws" -o "$out/ws/report.html"; } 2>&1 >/dev/null |
	awk '{ u += $1; s += $2 } END { printf "%.1f", u + s }')
t1=$(date +%s.%N)
load1=$(cut -d' ' -f1 /proc/loadavg)
runs=$(find "$out/ws" -name result.ini | wc -l)
plots=$(ls "$out/ws"/*.png | wc -l)
printf '\nsweep web-server --seeds 3 --plot, then report: %.1f s wall, %s s CPU (%d cores: %.1f s if alone),\n' \
	"$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$cpu" "$(nproc)" \
	"$(awk -v c="$cpu" -v n="$(nproc)" 'BEGIN { print c / n }')"
printf '  %d runs (saturation search included), %d plots; load average %s before, %s after\n' \
	"$runs" "$plots" "$load0" "$load1"
