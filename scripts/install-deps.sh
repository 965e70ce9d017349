#!/usr/bin/env bash
# Install everything the build, the tests and the lab need on a Debian bookworm machine.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bash "$ARMKVM_TOP/scripts/setup-apt.sh"

# Build machine: QEMU's build and ours (meson >= 1.6 and pycotap come from backports).
pkgs=(build-essential pkg-config ninja-build flex bison python3-venv ccache dpkg-dev
      libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev libslirp-dev
      device-tree-compiler cpio xz-utils zstd file kmod bc
      gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf libc6-dev-armhf-cross
      mmdebstrap e2fsprogs)
# The lab board is Debian's own qemu-system-arm, never our fork.
bpo=(meson python3-pycotap qemu-system-arm)

missing=()
for p in "${pkgs[@]}" "${bpo[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${pkgs[@]}"
    apt-get install -y -q --no-install-recommends -t bookworm-backports "${bpo[@]}"
fi
