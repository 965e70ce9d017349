# Pinned inputs. Changing one of these is a reviewed change.
# QEMU: the 10.0 line is the last that builds for 32-bit hosts (our armhf lab build).
QEMU_DEB_VERSION=1:10.0.13+ds-0+deb13u1
QEMU_SUITE=trixie
