#!/bin/sh
# Run a lab script on the build host, with the native QEMU, as the lab runs it
# (tests/lab): in a fresh scratch directory holding zImage and initrd, with
# scratch files there too. For the TCG half of a differential test whose
# armkvm half runs in the lab: TCG nested in the emulated lab is ten times
# slower than here.
# Usage: on-build-host.sh PATH-DIRS SCRATCH-DIR ZIMAGE INITRD SCRIPT ARGS...
# PATH-DIRS: what the script runs, colon-separated (the native QEMU's build
# directory, native builds of the lab's tools).
set -e
dirs=
IFS=:
for d in $1; do dirs=$dirs${dirs:+:}$(cd "$d" && pwd); done
unset IFS
scratch=$2 zimage=$(realpath "$3") initrd=$(realpath "$4")
script=$(realpath "$5")
shift 5
rm -rf "$scratch"
mkdir -p "$scratch/tmp"
cd "$scratch"
ln -s "$zimage" zImage
ln -s "$initrd" initrd
set +e
PATH=$dirs:$PATH TMPDIR=$scratch/tmp sh "$script" "$@"
status=$?
cd / && rm -rf "$scratch"
exit $status
