#!/usr/bin/env bash
# Everything from nothing: install what is needed, build, run every test suite.
#   scripts/test.sh [meson test arguments, e.g. --suite qtest]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
bash "$ARMKVM_TOP/scripts/install-deps.sh"
armhf_root=$(bash "$ARMKVM_TOP/scripts/armhf-sysroot.sh")
qemu_build=$(bash "$ARMKVM_TOP/scripts/build-qemu.sh" native)
lab_dir=$(bash "$ARMKVM_TOP/scripts/build-lab.sh")
guest_kernel=$(nice -n 10 bash "$ARMKVM_TOP/scripts/build-guest-kernel.sh")
rootfs=$(bash "$ARMKVM_TOP/scripts/build-rootfs.sh")
t_build=$(elapsed "$t0")

mbuild="$ARMKVM_BUILD/meson"
opts=(-Dqemu_build="$qemu_build" -Darmhf_root="$armhf_root" -Dlab_dir="$lab_dir"
      -Dguest_kernel="$guest_kernel" -Drootfs="$rootfs")
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
# Figures, printed, not asserted: lab boot time and this run's build and total time.
grep -ho "figure: .*" "$mbuild/meson-logs/testlog.txt" | sort | uniq -c | sed 's/^/[armkvm] /' >&2 || true
log "figures: build (incl. installs) $t_build s, whole run $(elapsed "$t0") s"
cat "$lab_dir/versions.txt" | sed 's/^/[armkvm] lab /' >&2
exit $rc
