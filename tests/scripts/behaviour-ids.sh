#!/bin/sh
# SPDX-License-Identifier: MIT
# docs/tcp-behaviours.md is the list a user looks behaviour IDs up in
# (issue 15). Checks, so it cannot fall behind the tests:
#  1. every behaviour ID (two capitals, '-', two digits) named in tests/,
#     host/, rtl/, sim/, README.md or docs/, every tests/pkt/*.pkt name's ID
#     and every test_<XXnn>_ / test_diff_<XXnn>_ function's ID has an entry
#     (a "### XX-nn" heading);
#  2. every script in tests/pkt/ is listed in the file;
#  3. every script (*.pkt) and test function (test_*) the file names exists.
set -u
cd "$(dirname "$0")/../.." || exit 1
doc=docs/tcp-behaviours.md
[ -f "$doc" ] || { echo "behaviour-ids: $doc missing"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0

sed -n 's/^### \([A-Z][A-Z]-[0-9][0-9]\)$/\1/p' "$doc" | sort -u >"$tmp/have"
{
	grep -rhoIE '\b[A-Z][A-Z]-[0-9][0-9]\b' tests host rtl sim README.md docs
	for f in tests/pkt/*.pkt; do
		basename "$f" | grep -oE '^[A-Z][A-Z]-[0-9][0-9]'
	done
	grep -rhoIE '\btest_(diff_)?[A-Z][A-Z][0-9][0-9]_' tests |
		sed -E 's/^test_(diff_)?([A-Z][A-Z])([0-9][0-9])_$/\2-\3/'
} | sort -u >"$tmp/used"
n_used=$(wc -l <"$tmp/used")
for id in $(comm -23 "$tmp/used" "$tmp/have"); do
	echo "behaviour-ids: $id is named in the sources or tests but has no" \
		"'### $id' entry in $doc:"
	{
		ls tests/pkt/"$id"_*.pkt 2>/dev/null
		grep -rlIE "\b$id\b|\btest_(diff_)?$(echo "$id" | tr -d -)_" tests host \
			rtl sim README.md docs
	} | sort -u | sed 's/^/    /'
	bad=$((bad + 1))
done

n_pkt=0
for f in tests/pkt/*.pkt; do
	n_pkt=$((n_pkt + 1))
	b=$(basename "$f")
	if ! grep -qF "\`$b\`" "$doc"; then
		echo "behaviour-ids: $f is not listed in $doc"
		bad=$((bad + 1))
	fi
done

for b in $(grep -oE '`[A-Za-z0-9_.-]+\.pkt`' "$doc" | tr -d '`' | sort -u); do
	if [ ! -f "tests/pkt/$b" ]; then
		echo "behaviour-ids: $doc lists $b, which is not in tests/pkt/"
		bad=$((bad + 1))
	fi
done
for fn in $(grep -oE '`test_[A-Za-z0-9_]+`' "$doc" | tr -d '`' | sort -u); do
	if ! grep -rqwF "$fn" tests --include='*.c'; then
		echo "behaviour-ids: $doc names $fn, which no tests/*.c defines"
		bad=$((bad + 1))
	fi
done

echo "behaviour-ids: $(wc -l <"$tmp/have") entries, $n_used IDs named," \
	"$n_pkt scripts; $bad problems"
[ $bad -eq 0 ]
