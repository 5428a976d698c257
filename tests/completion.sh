#!/bin/bash
# completion.sh: drive completion/accelsim as bash would, through
# COMP_WORDS, COMP_CWORD and the function `complete -p accelsim` names,
# and check what it offers against what the binary lists, so that a new
# key, scenario or command is checked without editing this test.
# Run by make check, in a scratch directory (no stray *.ini files).
set -u
top=$(cd "${srcdir:-.}" && pwd)
build=$PWD
status=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 1
PATH=$build:$PATH

# shellcheck source=completion/accelsim
. "$top/completion/accelsim"

spec=$(complete -p accelsim 2>/dev/null)
case $spec in
*"-F "*) fn=${spec#*-F } fn=${fn%% *} ;;
*) echo "complete -p accelsim: no completion function ($spec)"; exit 1 ;;
esac

# offers WORD...: the completions for the command line WORD..., the last
# word being the one completed ("" for a new word); one a line, sorted.
offers() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	"$fn" accelsim "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}

# expect WANT WORD...: the completions are exactly WANT (lines, any order)
expect() {
	want=$(printf '%s\n' "$1" | sed '/^$/d' | sort)
	shift
	got=$(offers "$@")
	if [ "$got" != "$want" ]; then
		printf 'completing "%s": expected\n%s\ngot\n%s\n' "$*" "$want" "$got"
		status=1
	fi
}

# has WANT WORD...: the completions include every line of WANT
has() {
	want=$1
	shift
	got=$(offers "$@")
	for w in $want; do
		printf '%s\n' "$got" | grep -qxF -- "$w" ||
			{ printf 'completing "%s": expected %s among\n%s\n' "$*" "$w" "$got"; status=1; }
	done
}

cmds=$(accelsim --list=commands)
expect "$cmds" accelsim ""
expect "$(printf '%s\n' "$cmds" | grep '^r')" accelsim r
expect "--help
--version" accelsim --
has "--seed --set" accelsim run --se
has "--model --json --csv --output --quiet --engine-stats -q -o" accelsim run quickstart -
expect "--help
--sizes
-h
-s" accelsim models -
# every key of a section, from `accelsim help model vswitch`, with '='
vkeys=$(accelsim help model vswitch | sed -n 's/^  \([a-z_]*\) .*/vswitch.\1=/p')
[ -n "$vkeys" ] || { echo "accelsim help model vswitch: no keys"; status=1; }
expect "$vkeys" accelsim run quickstart --set vswitch.
expect "$vkeys" accelsim run quickstart --set = vswitch.
expect "$(printf '%s\n' "$vkeys" | grep '^vswitch.c')" accelsim run --set = vswitch.c
has "traffic.rate= scenario.duration=" accelsim run quickstart --set ""
expect "" accelsim run quickstart --set vswitch.cores = ""
# every shipped scenario by name, the calibration ones too
expect "$(accelsim --list=scenarios; echo -)" accelsim run ""
expect "$(accelsim --list=scenarios | grep '^calibration/')" accelsim run calib
# trace and explain take a scenario as run does; their file options a file
expect "$(accelsim --list=scenarios; echo -)" accelsim trace ""
expect "$(accelsim --list=scenarios; echo -)" accelsim explain --model default ""
expect "" accelsim trace quickstart --packets ""
has "--packets --at --flow --html --mermaid --mermaid-file" accelsim trace quickstart -
expect "" accelsim run quickstart ""
expect "kvm-ovs
kvm-ovs-dpdk" accelsim run quickstart --model k
has "Standard_D2s_v3" accelsim check-size Standard_D2s
has "$cmds model scenario" accelsim help ""
expect "$(accelsim --list=sections | sed -n 's/^model \(v.*\)/\1/p')" accelsim help model v
has "vswitch vnic" accelsim help model v
has "traffic event load scenario" accelsim help scenario ""
expect "--markdown
--model" accelsim help model --m
has "check measure cleanup" accelsim real ""
has "--emulate" accelsim real measure --emu
has "--load --vary --seeds --jobs --emit-jobs --slurm --plot" accelsim sweep quickstart -
expect "$vkeys" accelsim sweep quickstart --vary vswitch.
expect "$(accelsim --list=scenarios | grep '^calibration/')" accelsim sweep calib
expect "" accelsim sweep quickstart --jobs ""
has "--dev --sysfs --replies --save-replies" accelsim real check --
exit $status
