#!/bin/sh
# accelsim's own commands under memcheck, for make check-valgrind.
#
# The test programs run under memcheck there, and so do the engine's
# forked children, but not the accelsim processes the command-line tests
# start by the hundred: each costs memcheck five seconds of start-up
# (SimGrid's libraries), which would take CI an hour.  Their leaks are
# caught by the sanitizer build's LeakSanitizer, which runs every one of
# them; this script runs each command once more under memcheck, on a short
# input, for what only memcheck sees (reads of uninitialised memory).
# Exit status 1 when memcheck reports an error or a leak, or a command
# does not exit as expected.
set -u
bin=${ACCELSIM:-./accelsim}
vg=${VALGRIND:-valgrind}
if ! command -v "$vg" >/dev/null 2>&1; then
	echo "valgrind-commands: SKIP: no $vg" >&2
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/accelsim-vg.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0
short="--set scenario.duration=10ms --set scenario.warmup=1ms"

# check EXPECTED-EXIT ARGS...: accelsim ARGS under memcheck exits as expected
check() {
	want=$1
	shift
	G_SLICE=always-malloc G_DEBUG=gc-friendly "$vg" -q --tool=memcheck --vgdb=no \
		--leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--trace-children=yes --trace-children-skip='/bin/*,/sbin/*,/usr/bin/*,/usr/sbin/*' \
		--num-callers=40 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: accelsim $* exited $got, expected $want" >&2
		sed 's/^/  | /' "$tmp/err" | tail -60 >&2
		failed=1
	else
		echo "ok: accelsim $* (exit $got)"
	fi
}

# shellcheck disable=SC2086 # $short is several words on purpose
{
	check 0 run quickstart -q $short --interval 2ms --json -o "$tmp/run"
	check 0 plot "$tmp/run" -o "$tmp/plots"
	check 0 run web-server -q $short --set scenario.mode=exact
	check 0 run bench/shared-core.ini -q $short
	check 0 run calibration/servicing -q --set scenario.duration=2s \
		--set 'event return.at=1.5s' --csv
	check 2 run quickstart -q --set vswitch.cores=many
	check 2 run /nonexistent.ini
	check 0 config quickstart --set vswitch.cores=3
	check 0 help run
	check 0 scenarios
	check 0 sweep quickstart -q $short --vary vswitch.cores=1,2 --jobs 1 -o "$tmp/sweep"
	check 0 merge -o "$tmp/merged" "$tmp/sweep"
	check 0 report "$tmp/sweep" -o "$tmp/report.html"
	# the page's walk ran in a child under memcheck too: one that memcheck
	# failed (exit 99) is a walk the page says it did not follow
	if grep -q "Not followed" "$tmp/report.html"; then
		echo "FAIL: accelsim report: a walk was not followed" >&2
		grep -o "Not followed[^<]*" "$tmp/report.html" >&2
		failed=1
	fi
	check 0 real check
	# real mode's load curve, written as a sweep and plotted as one (root:
	# it builds network namespaces)
	if [ "$(id -u)" = 0 ]; then
		check 0 real measure --emulate --rates 50%..100%/50% --flood-time 0.1 \
			--count 400 --warmup 100 --rounds 2 -o "$tmp/curve"
		check 0 plot "$tmp/curve" -o "$tmp/curve-plots"
	fi
	check 0 run quickstart -q $short --brief
	check 0 run web-server -q $short --mermaid --mermaid-file "$tmp/run.md"
	check 0 trace quickstart --packets 2
	check 0 trace web-server --flow --packets 2 --html "$tmp/walk.html" \
		--mermaid-file "$tmp/walk.md"
	check 0 trace calibration/servicing --at 2s --packets 1 --mermaid
	check 2 trace quickstart --packets 0
	check 0 explain
	check 0 explain quickstart $short
}
exit $failed
