#!/usr/bin/env bash
# Where the lab's CPU spends its instructions while a command runs there: a
# TCG plugin of ours (lab/profile/tbprof.c) on the board counts instructions
# by translation block and mode, from "profile-mark start" to "profile-mark
# stop" around the command (the boot left out); lab/profile/report.py adds
# them up by the lab kernel's and armkvm's functions (/proc/kallsyms, read in
# the same run). For finding what an exit costs.
#   scripts/lab-profile.sh [lab/run options] -- COMMAND
# Prints the command's output and the profile; keeps the raw files in
# build/lab-profile/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out="$ARMKVM_BUILD/lab-profile"
mkdir -p "$out"
src=$(bash "$ARMKVM_TOP/scripts/prepare-qemu.sh")
gcc -O2 -shared -fPIC -Wall -Werror $(pkg-config --cflags glib-2.0) -I"$src/include/qemu" \
    -o "$out/tbprof.so" "$ARMKVM_TOP/lab/profile/tbprof.c"
arm-linux-gnueabihf-gcc -static -O2 -marm -Wall -Werror -o "$out/profile-mark" \
    "$ARMKVM_TOP/lab/profile/mark.c"

opts=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
[ $# -gt 1 ] || die "usage: scripts/lab-profile.sh [lab/run options] -- COMMAND"
shift
export ARMKVM_LAB_DIR=${ARMKVM_LAB_DIR:-$ARMKVM_BUILD/lab}

# The lab kernel's text symbols, once per kernel (reading them there takes a minute).
ksyms="$out/kallsyms-$(sha256sum "$ARMKVM_LAB_DIR/vmlinuz" | cut -c1-16).txt"
if [ ! -s "$ksyms" ]; then
    log "reading the lab kernel's symbols"
    python3 "$ARMKVM_TOP/lab/run" --no-module -- \
        "echo armkvm-symbols-begin; awk '\$2 ~ /^[tT]\$/ && \$3 !~ /^\\\$/' /proc/kallsyms |" \
        "gzip -c | base64; echo armkvm-symbols-end" >"$out/ksyms.b64"
    sed -n '/^armkvm-symbols-begin/,/^armkvm-symbols-end/p' "$out/ksyms.b64" | sed '1d;$d' |
        base64 -d | gunzip >"$ksyms.tmp"
    mv "$ksyms.tmp" "$ksyms"
fi

status=0
rm -f "$out/blocks.txt"
python3 "$ARMKVM_TOP/lab/run" "${opts[@]}" --file "$out/profile-mark:profile-mark" \
    --plugin "$out/tbprof.so,out=$out/blocks.txt,top=20000,marker=on" -- \
    "./profile-mark start; $*; ./profile-mark stop; echo armkvm-symbols-begin; " \
    "grep '\[armkvm\]' /proc/kallsyms; echo armkvm-symbols-end" >"$out/output.txt" || status=$?
sed '/^armkvm-symbols-begin/,/^armkvm-symbols-end/d' "$out/output.txt"
python3 "$ARMKVM_TOP/lab/profile/report.py" "$ksyms" "$out/output.txt" "$out/blocks.txt" 60
exit $status
