# In the lab: guest RAM is pinned lowmem, so it is bounded. The module-wide
# max_guest_ram_mb refuses a VM beyond it; a memory cgroup's limit refuses a
# buddy-allocated VM (up to 4 MiB, charged with __GFP_ACCOUNT). Each refusal
# is a clean ENOMEM, and the same VM fits once the limit is lifted.
param=/sys/module/armkvm/parameters/max_guest_ram_mb
echo "default max_guest_ram_mb: $(cat $param)"
echo 8 >$param
vm-alloc 16
vm-alloc 4
echo 0 >$param
vm-alloc 16
mkdir -p /sys/fs/cgroup
mount -t cgroup2 cgroup2 /sys/fs/cgroup || echo "no cgroup2"
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir /sys/fs/cgroup/small
echo 3M >/sys/fs/cgroup/small/memory.max
sh -c 'echo $$ >/sys/fs/cgroup/small/cgroup.procs && exec vm-alloc 4' | sed 's/^/in a 3 MiB cgroup: /'
vm-alloc 4 | sed 's/^/outside it: /'
dmesg | grep -E 'WARNING|BUG|Oops|Unable to handle' && echo "dmesg: trouble" || echo "dmesg: clean"
