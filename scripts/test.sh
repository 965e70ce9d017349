#!/usr/bin/env bash
# Everything from nothing: install what is needed, build, run every test suite.
#   scripts/test.sh [meson test arguments, e.g. --suite qtest]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
bash "$ARMKVM_TOP/scripts/install-deps.sh"
armhf_root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
qemu_build=$(bash "$ARMKVM_TOP/scripts/build-qemu.sh" native)
t_build=$(elapsed "$t0")

mbuild="$ARMKVM_BUILD/meson"
opts=(-Dqemu_build="$qemu_build" -Darmhf_root="$armhf_root")
if [ -e "$mbuild/build.ninja" ]; then
    meson configure "$mbuild" "${opts[@]}" >/dev/null
else
    meson setup "$mbuild" "$ARMKVM_TOP" "${opts[@]}" >/dev/null
fi
ninja -C "$mbuild" >/dev/null
set +e
meson test -C "$mbuild" --print-errorlogs --num-processes 2 "$@"
rc=$?
set -e

# The closing line CI reads, counted from meson's own log.
/usr/bin/python3 - "$mbuild/meson-logs/testlog.json" <<'PY'
import json, sys
n = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    key = "OK" if r in ("OK", "EXPECTEDFAIL") else "SKIP" if r == "SKIP" else "FAIL"
    n[key] += 1
print("%d passed, %d failed, %d skipped" % (n["OK"], n["FAIL"], n["SKIP"]))
PY
log "figures: build $t_build s, total $(elapsed "$t0") s"
exit $rc
