#!/bin/bash
# docs-examples.sh: the examples in README.md and docs/*.md run, and print
# what the pages say they print.  Run by make check.
#
# In each page, every ```sh block runs with the built accelsim first in
# PATH, in a scratch directory (so nothing relies on the source tree), the
# page's blocks one after another (later ones use the files earlier ones
# wrote); /tmp/accelsim-demo stands for a scratch folder.  Lines starting
# with `sudo ` need root and real devices, and are not run.  A block
# preceded by a comment
#   <!-- test: skip REASON -->        is not run (it installs, builds, ...);
#   <!-- test: needs PROGRAM -->      runs only where PROGRAM exists.
# A block must exit 0 and print no "accelsim: error:" unless the page
# shows that output.  A ``` block preceded by
#   <!-- test: output -->
# is what the sh block before it prints (standard output and error): each
# of its lines must appear, in that order, in what the block printed, with
# every number read as any number (but in a line `exit N`) and runs of
# blanks as one blank, so that figures may move while messages, names,
# columns and exit statuses may not; a line `...` stands for lines left
# out.
#
# Also: the pages speak of the project alone (no files of the project's
# planning that do not ship, no issue numbers), and make install installs
# every page.
set -u
top=$(cd "${srcdir:-.}" && pwd)
build=$PWD
export PATH="$build:$PATH"
status=0
scratch=$(mktemp -d /tmp/accelsim-docs.XXXXXX) || exit 1
trap 'rm -rf "$scratch"' EXIT
checked=0

fail() {
	echo "$*"
	status=1
}

# normalise: numbers as '#' (but an "exit N" line is a claim, not a
# figure), blanks squeezed, ends trimmed
normalise() {
	sed -E -e '/^exit [0-9]+$/!s/[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?/#/g' \
		-e 's/[[:space:]]+/ /g' -e 's/^ //' -e 's/ $//'
}

# compare WHERE EXPECTED ACTUAL: EXPECTED's lines in ACTUAL, in order
compare() {
	local where=$1 want got line next
	want=$(printf '%s\n' "$2" | normalise)
	got=$(printf '%s\n' "$3" | normalise)
	next=$got
	while IFS= read -r line; do
		[ -z "$line" ] || [ "$line" = "..." ] && continue
		# the rest of got after the first line equal to line
		if ! next=$(printf '%s\n' "$next" | awk -v l="$line" 'f { print } $0 == l { f = 1 }
			END { exit !f }'); then
			fail "$where: the output shown is not what the example prints; missing, in order:"
			echo "  $line"
			echo "printed:"
			printf '%s\n' "$3" | sed 's/^/  /'
			return
		fi
	done <<<"$want"
}

# run_page FILE: run its examples
run_page() {
	local page=$1 rel=${1#"$top"/} demo="$scratch/demo" work="$scratch/work"
	local n=0 in=none marker="" prev="" block="" ran="" out="" shown=0 start=0 line
	rm -rf "$demo" "$work"
	mkdir -p "$demo" "$work"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		if [ "$in" = none ]; then
			case $line in
			'```sh')
				in=sh block="" start=$n marker=$prev ;;
			'```' | '```text')
				in=text block="" start=$n marker=$prev ;;
			'```'*)
				in=other ;;
			esac
			[ -n "$line" ] && prev=$line
			continue
		fi
		if [ "$line" != '```' ]; then
			block+="$line"$'\n'
			continue
		fi
		# the end of a block
		case $in:$marker in
		sh:'<!-- test: skip'*)
			local why=${marker#<!-- test: skip }
			echo "$rel:$start: not run: ${why% -->}"
			ran="" ;;
		sh:*)
			local need=""
			case $marker in '<!-- test: needs '*)
				need=${marker#<!-- test: needs } need=${need% -->} ;;
			esac
			if printf '%s' "$block" | grep -qE '(^|[;&|] *)(sudo +)?(apt-get|apt|dpkg|make|autoreconf)( |$)'; then
				# never install or build from a page: that is what skip is for
				fail "$rel:$start: installs or builds: mark it <!-- test: skip REASON -->"
				ran=""
			elif [ -n "$need" ] && ! command -v "$need" >/dev/null; then
				echo "$rel:$start: not run: needs $need"
				ran=""
			else
				# previous example's output unchecked: it must have been clean
				[ -n "$ran" ] && [ $shown = 0 ] && check_clean
				local script
				script=$(printf '%s' "$block" | grep -v '^sudo ' |
					sed "s|/tmp/accelsim-demo|$demo|g")
				printf '%s' "$block" | grep -q '^sudo ' &&
					echo "$rel:$start: lines with sudo not run (root, real devices)"
				out=$(cd "$work" && bash -c "$script" 2>&1)
				rc=$?
				out=${out//"$demo"//tmp/accelsim-demo}
				ran="$rel:$start" shown=0 ran_rc=$rc
				checked=$((checked + 1))
			fi ;;
		text:'<!-- test: output -->')
			if [ -z "$ran" ]; then
				fail "$rel:$start: output shown for an example that did not run"
			else
				compare "$rel:$start (output of $ran)" "$block" "$out"
				[ "$ran_rc" = 0 ] || fail "$ran: the example exits $ran_rc"
				shown=1
			fi ;;
		esac
		in=none marker="" prev='```'
	done <"$page"
	[ -n "$ran" ] && [ $shown = 0 ] && check_clean
	return 0
}

check_clean() {
	[ "$ran_rc" = 0 ] || fail "$ran: the example exits $ran_rc:"$'\n'"$out"
	case $out in *"accelsim: error:"*)
		fail "$ran: the example prints an error the page does not show:"$'\n'"$out" ;;
	esac
}

for page in "$top/README.md" "$top"/docs/*.md; do
	run_page "$page"
done
[ $checked -ge 5 ] || fail "docs-examples.sh: only $checked examples found; the parser is broken"

# The pages speak of the project alone.  docs/metrics.md is left out until
# its owner rewords it (it cites the design notes and issue numbers).
for page in "$top/README.md" "$top"/docs/*.md; do
	case $page in */docs/metrics.md) continue ;; esac
	grep -nE 'DESIGN(\.md)?\b|anchors\.md|STYLE\.md|\b[Ii]ssues? #?[0-9]|\bthe issue\b' "$page" |
		sed "s|^|${page#"$top"/}:|" | grep . && status=1
done

# make install installs every page
installed=$(sed -n '/^dist_doc_DATA *=/,/[^\\]$/p' "$top/Makefile.am")
for page in "$top"/docs/*.md; do
	name=docs/${page##*/}
	printf '%s\n' "$installed" | grep -qF "$name" ||
		fail "Makefile.am: dist_doc_DATA lacks $name"
done
exit $status
