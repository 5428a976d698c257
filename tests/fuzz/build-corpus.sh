#!/bin/sh
# build-corpus.sh SRCDIR OUT: seed corpora for the fuzz targets, from the
# shipped models and scenarios and the test inputs, in OUT/TARGET/corpus.
#   units:    every value written in those files ("25Gbps", "exp(1ms)"), and
#             every tests/data/*.txt as an empirical table (see fuzz.h for
#             the layout: two bytes of unit-kind mask, then the text)
#   model:    every .ini file
#   scenario: every .ini file
# Re-running it adds what is new and keeps what the fuzzer found.
set -eu
src=$1
out=$2
mkdir -p "$out/units/corpus" "$out/model/corpus" "$out/scenario/corpus"

inis=$(ls "$src"/models/*.ini "$src"/scenarios/*.ini \
	"$src"/tests/data/good/*.ini "$src"/tests/data/bad/*.ini 2>/dev/null || true)

for f in $inis; do
	name=$(basename "$(dirname "$f")")-$(basename "$f")
	cp "$f" "$out/model/corpus/seed-$name"
	cp "$f" "$out/scenario/corpus/seed-$name"
done

# values: the text after '=' on key lines; all kinds (mask 0)
n=0
for f in $inis; do
	sed -n 's/^[A-Za-z0-9_.-]*[ 	]*=[ 	]*//p' "$f"
done | sort -u | while IFS= read -r v; do
	n=$((n + 1))
	printf '\000\000%s' "$v" >"$out/units/corpus/seed-value-$n"
done

# empirical tables, read as sizes (mask 0x0008)
for f in "$src"/tests/data/*.txt; do
	test -f "$f" || continue
	{ printf '\010\000empirical(t.txt)\n'; cat "$f"; } \
		>"$out/units/corpus/seed-$(basename "$f")"
done
