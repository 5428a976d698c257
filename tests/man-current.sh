#!/bin/sh
# man-current.sh: accelsim.1 names every command and every option that any
# --help prints, so the two cannot drift apart.  It walks the commands
# `accelsim --list=commands` gives, and below each the subcommands its
# --help lists (an indented word whose own --help names "accelsim CMD
# WORD"), so a new command or option fails here until the man page has it.
# Run by make check.
set -u
top=${srcdir:-.}
bin=${ACCELSIM:-./accelsim}
# the man page's text with groff's \- made plain -, fonts dropped
man=$(sed -e 's/\\-/-/g' -e 's/\\f[BIPR]//g' -e 's/\\(dq/"/g' "$top/accelsim.1")
status=0

in_man() {
	printf '%s\n' "$man" | grep -qE -- "$1"
}

# check_help WORDS...: the options of `accelsim WORDS --help` are in the
# man page; then the same for each subcommand it lists.
check_help() {
	help=$("$bin" "$@" --help 2>&1) || {
		echo "accelsim $* --help: exit $?"
		status=1
		return
	}
	# every --long option the help mentions, and every -x of its option list
	for o in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][-a-z]*' | sort -u) \
		 $(printf '%s\n' "$help" | sed -n 's/^ *\(-[a-zA-Z]\), --.*/\1/p' | sort -u); do
		if ! in_man "(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|\$)"; then
			echo "accelsim.1: lacks $o, which 'accelsim $* --help' lists"
			status=1
		fi
	done
	for w in $(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do
		sub=$("$bin" "$@" "$w" --help 2>/dev/null) || continue
		printf '%s\n' "$sub" | grep -q "accelsim $* $w\\b" || continue
		if ! in_man "accelsim $* $w\\b|$* $w\\b"; then
			echo "accelsim.1: lacks 'accelsim $* $w', which 'accelsim $* --help' lists"
			status=1
		fi
		check_help "$@" "$w"
	done
}

cmds=$("$bin" --list=commands) || { echo "accelsim --list=commands failed"; exit 1; }
[ -n "$cmds" ] || { echo "accelsim --list=commands printed nothing"; exit 1; }
for c in $cmds; do
	if ! in_man "accelsim $c\\b"; then
		echo "accelsim.1: lacks the command '$c'"
		status=1
	fi
	check_help "$c"
done
# the options before the command
for o in $("$bin" --help | grep -oE -- '--[a-z][-a-z]*' | sort -u); do
	in_man "(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|\$)" ||
		{ echo "accelsim.1: lacks $o, which 'accelsim --help' lists"; status=1; }
done
exit $status
