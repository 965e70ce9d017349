# armkvm's device set for arm-softmmu, used with --without-default-devices:
# the armkvm-virt machine, QEMU's virt board (the lab's inner TCG guests) and the
# virtio devices their guests use. Everything else is left out to keep the build short.
CONFIG_ARMKVM_VIRT=y
CONFIG_ARM_VIRT=y
CONFIG_VIRTIO_BLK=y
CONFIG_VIRTIO_NET=y
CONFIG_VIRTIO_SERIAL=y
CONFIG_VIRTIO_RNG=y
CONFIG_VIRTIO_9P=y
