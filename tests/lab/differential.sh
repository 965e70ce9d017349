#!/usr/bin/env bash
# A differential test whose oracle runs on the build host: one script under
# -accel tcg here (usually through tests/boot/on-build-host.sh: the build's
# x86 QEMU; TCG nested in the emulated lab is ten times slower), then under
# -accel armkvm in the lab (lab/run). Prints both outputs, then whether their
# lines are the same, leaving out the lab's own lines (the module's figures,
# the host's health: those matching LAB-ONLY).
# Usage: differential.sh LAB-ONLY -- HOST-COMMAND... -- LAB-COMMAND...
set -uo pipefail
lab_only=$1
shift
[ "${1:-}" = -- ] || { echo "usage: $0 LAB-ONLY -- HOST-COMMAND... -- LAB-COMMAND..." >&2; exit 2; }
shift
host=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do host+=("$1"); shift; done
[ $# -gt 1 ] || { echo "$0: no lab command" >&2; exit 2; }
shift
tmp=$(mktemp -d /tmp/differential.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"${host[@]}" >"$tmp/tcg" 2>"$tmp/tcg.err"
tcg=$?
echo "== tcg, on the build host: exit $tcg"
cat "$tmp/tcg" "$tmp/tcg.err"
"$@" >"$tmp/lab"
lab=$?
echo "== armkvm, in the lab: exit $lab"
cat "$tmp/lab"
# The lab's console turns line ends into CRLF.
grep -vE "$lab_only" "$tmp/tcg" | tr -d '\r' >"$tmp/tcg.lines"
grep -vE "$lab_only" "$tmp/lab" | tr -d '\r' >"$tmp/lab.lines"
if [ -s "$tmp/tcg.lines" ] && cmp -s "$tmp/tcg.lines" "$tmp/lab.lines"; then
    echo "lines: the same under tcg"
else
    echo "lines: differ from tcg"
    diff "$tmp/tcg.lines" "$tmp/lab.lines" | head -40
    lab=1
fi
[ $tcg -eq 0 ] && [ $lab -eq 0 ]
