# In the lab: a host program keeps VFP registers live while a VFP-using guest
# runs natively again and again on the same CPU; both must come out intact.
vfp-host-check 6000 >/tmp/host.out &
checker=$!
status=0
i=0
while [ $i -lt 5 ]; do
    qemu-system-arm -M armkvm-virt,ram-base=0x40000000 -m 4 -nographic -no-reboot \
        -accel armkvm,mode=privileged -kernel vfp.elf 2>/dev/null | grep -c "intact across exits"
    i=$((i + 1))
done
wait $checker || status=1
cat /tmp/host.out
exit $status
