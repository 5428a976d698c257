#!/bin/bash
# scaleout-parallel.sh: a sweep's jobs run by GNU parallel, then merged,
# give the sweep.json and sweep.csv of the same sweep run locally, byte
# for byte.  Run by make check; needs GNU parallel (Debian: parallel).
set -u
bin=$PWD/accelsim
command -v parallel >/dev/null 2>&1 ||
	{ echo "SKIP: GNU parallel is not installed (Debian package parallel)"; exit 77; }
scratch=$(mktemp -d /tmp/accelsim-parallel.XXXXXX) || exit 1
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 1
status=0
fail() {
	echo "FAIL: $*"
	status=1
}

# a percentage load: the saturation search runs here, the points there
sweep=(quickstart --load 60%,100%,140% --seeds 2 --set scenario.duration=60ms
	--set scenario.warmup=5ms -q)
"$bin" sweep "${sweep[@]}" -o local >local.out 2>local.err || fail "local sweep: $(cat local.err)"
"$bin" sweep "${sweep[@]}" -o remote --emit-jobs jobs.txt >emit.out 2>emit.err ||
	fail "--emit-jobs: $(cat emit.err)"
[ "$(wc -l <jobs.txt)" = 6 ] || fail "jobs.txt: expected 6 lines (3 points x 2 seeds), got $(wc -l <jobs.txt)"
grep -q "parallel < jobs.txt" emit.out || fail "--emit-jobs does not say how to run the jobs: $(cat emit.out)"
# nothing ran but the search: no point yet
ls -d remote/point-* >/dev/null 2>&1 && fail "--emit-jobs ran points itself"

parallel --will-cite -j 2 --halt now,fail=1 <jobs.txt || fail "parallel: a job failed"
"$bin" merge remote -o merged -q 2>merge.err || fail "merge: $(cat merge.err)"
for f in sweep.json sweep.csv; do
	cmp -s "local/$f" "merged/$f" || { fail "merged $f differs from the local sweep's"; diff "local/$f" "merged/$f" | head -5; }
done

# a missing run: merge says which, marks the merge partial, exits 1
rm -r remote/point-02/seed-2
"$bin" merge remote -o partial -q 2>partial.err
[ $? = 1 ] || fail "merge of an incomplete sweep: expected exit 1"
grep -q "point 2 (load_pct=100, rate_pps=[0-9.]*): 1 of 2 seeds" partial.err ||
	fail "merge does not name the missing seed: $(cat partial.err)"
grep -q '"partial": true' partial/sweep.json || fail "an incomplete merge is not marked partial"
exit $status
