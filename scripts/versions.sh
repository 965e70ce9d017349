# Pinned inputs. Changing one of these is a reviewed change.
# QEMU: the 10.0 line is the last that builds for 32-bit hosts (our armhf lab build).
QEMU_DEB_VERSION=1:10.0.13+ds-0+deb13u1
QEMU_SUITE=trixie
# Guest kernel: Debian bookworm's linux-source (the lab's armmp kernel is the same version).
# apt verifies the package through the signed indexes; the SHA256 is checked again here.
GUEST_KERNEL_SERIES=6.1
GUEST_KERNEL_DEB_VERSION=6.1.176-1
GUEST_KERNEL_DEB_SHA256=9305d1a151b8e83dcb88aa11361e7b9513f0c252bdf7f5647e4542762d99c094
