#!/bin/sh
# docs-current.sh: the key tables in docs/file-formats.md are what
# `accelsim help model|scenario --markdown` prints (run `make docs` to
# regenerate them).  Run by make check.
set -u
top=${srcdir:-.}
doc="$top/docs/file-formats.md"
status=0
for topic in model scenario; do
	begin="<!-- BEGIN generated: accelsim help $topic --markdown -->"
	got=$(sed -n "\|^$begin\$|,\|^<!-- END generated -->\$|p" "$doc" | sed '1d;$d')
	want=$(./accelsim help "$topic" --markdown)
	if [ "$got" != "$want" ]; then
		echo "docs/file-formats.md: the $topic key table is out of date; run 'make docs'"
		status=1
	fi
done
exit $status
