#!/usr/bin/env bash
# Try the README as a new user would: a fresh Debian bookworm root (mmdebstrap, nothing of this
# machine's packages or ~/.cache/armkvm), a clone of a committed revision, then the README's
# set-up commands, literally, as root. Prints each command's wall time and result.
# Not part of CI: it is a cold build (about an hour on 2 cores).
#   scripts/check-fresh-machine.sh [--work DIR] [--repo PATH] [--commit REV] [--keep] [--dry-run]
#     --work     where the root and the logs go (default /var/tmp/armkvm-fresh)
#     --repo     the repository to clone (default: this checkout)
#     --commit   the revision to test (default HEAD): committed work only, the working tree's
#                uncommitted changes are not tested
#     --keep     leave the root in place afterwards (it is unmounted either way)
#     --dry-run  run `true` in place of each command: checks the root, mounts, clone, clean-up
set -euo pipefail
. "$(dirname "$0")/lib.sh"

work=/var/tmp/armkvm-fresh repo=$ARMKVM_TOP rev=HEAD keep=0 dry=0
while [ $# -gt 0 ]; do
    case $1 in
        --work) work=$2; shift 2 ;;
        --repo) repo=$2; shift 2 ;;
        --commit) rev=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        --dry-run) dry=1; shift ;;
        *) die "unknown option $1 (see the comment at the top of $0)" ;;
    esac
done
[ "$(id -u)" = 0 ] || die "run as root (chroot and mounts)"
command -v mmdebstrap >/dev/null || die "needs mmdebstrap (apt-get install mmdebstrap)"
commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}") || die "no commit $rev in $repo"

# The commands under "## Set-up", as the README has them (its indented lines), so that this
# checks what a reader is told to type.
mapfile -t cmds < <(git -C "$repo" show "$commit:README.md" |
    awk '/^## / { on = ($0 ~ /^## Set-up/); next } on && /^    [^ ]/ { sub(/^    /, ""); print }')
[ ${#cmds[@]} -gt 0 ] || die "no indented commands under '## Set-up' in README.md at $commit"

root=$work/root
logs=$work/logs
mkdir -p "$work"
[ ! -e "$root" ] || die "$root exists (left by --keep?): remove it first"
mkdir -p "$logs"

# Every exit, failures and ^C included, stops what we started in the root and unmounts it:
# a mount left behind would pin the host's /dev or /proc under a directory someone may rm -rf.
pid=
mounts=()
cleanup() {
    local rc=$? m i
    trap - EXIT INT TERM
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        sleep 2
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        m=${mounts[i]}
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
    done
    if grep -q " $root/" /proc/mounts 2>/dev/null; then
        log "mounts left under $root, not removing it:"; grep " $root/" /proc/mounts >&2
    elif [ "$keep" = 0 ]; then
        rm -rf "$root"
    else
        log "root kept in $root"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mnt() {  # mnt TARGET mount-args...: mounts and remembers, so cleanup() can undo it
    local t=$root/$1; shift
    mkdir -p "$t"
    mount "$@" "$t"
    mounts+=("$t")
}

fmt() { printf '%d min %02d s' $(($1 / 60)) $(($1 % 60)); }

# The root's apt sources: a debian.sources like a freshly installed machine's (main, updates,
# security), with the URIs of this machine's own apt configuration.
mirror=$(debian_mirror)
security=$(awk '/^URIs:/ { u = $2 } /^Suites:.*-security/ { print u; exit }' \
               /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$security" ] || security=$(awk '$1 == "deb" && /-security/ {
        for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
        /etc/apt/sources.list 2>/dev/null || true)
sources=$work/debian.sources
{
    printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\n' "$mirror"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ -n "$security" ]; then
        printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\n' "$security"
        printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
} >"$sources"
[ -n "$security" ] || log "no security suite in this machine's apt configuration: the root has none"

t0=$(date +%s)
log "fresh bookworm root in $root (mmdebstrap --variant=apt --include=git,ca-certificates,sudo)"
# TMPDIR: mmdebstrap's temporary files go beside the root, not to a possibly small /tmp.
TMPDIR=$work mmdebstrap --quiet --variant=apt --include=git,ca-certificates,sudo \
    bookworm "$root" "$sources" >"$logs/mmdebstrap.log" 2>&1 ||
    { tail -n 30 "$logs/mmdebstrap.log" >&2; die "mmdebstrap failed (log: $logs/mmdebstrap.log)"; }
# mmdebstrap names its sources file its own way; scripts/lib.sh looks for debian.sources.
rm -f "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/*
cp "$sources" "$root/etc/apt/sources.list.d/debian.sources"
# What any installed machine has and a bare root may lack: name service files.
[ -s "$root/etc/resolv.conf" ] || cp /etc/resolv.conf "$root/etc/resolv.conf"
[ -s "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
    >"$root/etc/hosts"
t_root=$(elapsed "$t0")

# The kernel file systems a booted machine has: mmdebstrap (armhf sysroot) and the lab's
# qemu-system-arm need /proc, /dev and ptys; /dev/shm and /run fresh, not the host's.
mnt proc -t proc proc
mnt sys --rbind /sys
mount --make-rslave "$root/sys"
mnt dev --bind /dev
mnt dev/pts --bind /dev/pts
mnt dev/shm -t tmpfs -o mode=1777,nosuid,nodev tmpfs
mnt run -t tmpfs -o mode=755,nosuid,nodev tmpfs

# The committed revision only: a clone, like a new user's, then that commit checked out.
dir=/root/armkvm
git clone -q --no-checkout "$repo" "$root$dir"
git -C "$root$dir" checkout -q --detach "$commit"
log "cloned $commit into $dir (committed state; uncommitted changes are not tested)"

# As root on a fresh login: a clean environment, nothing of ours (no ARMKVM_*, no ccache dir).
envs=(env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb LANG=C.UTF-8
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
results=()
fail=0
for i in "${!cmds[@]}"; do
    cmd=${cmds[i]}
    run=$cmd note=
    [ "$dry" = 1 ] && run=true note=" [dry run: true]"
    lf=$logs/$((i + 1)).log
    log "running in the root (as root, in $dir): $cmd$note"
    t=$(date +%s)
    # Its own session: cleanup() can stop exactly what this command started.
    setsid chroot "$root" "${envs[@]}" /bin/bash -c "cd $dir && $run" </dev/null >"$lf" 2>&1 &
    pid=$!
    set +e; wait "$pid"; rc=$?; set -e
    pid=
    dt=$(elapsed "$t")
    if [ "$rc" = 0 ]; then res=ok; else res="FAILED (exit $rc)"; fail=1; fi
    results+=("$(printf '%-26s %s, %s' "$cmd" "$(fmt "$dt")" "$res")")
    log "$cmd: $(fmt "$dt"), $res (log: $lf)"
    if [ "$rc" != 0 ]; then
        tail -n 40 "$lf" | sed 's/^/    /' >&2
    else
        # The closing line of the test run, if there is one.
        grep -E '^[0-9]+ passed, [0-9]+ failed' "$lf" | tail -n 1 | sed 's/^/    /' >&2 || true
    fi
done

log "summary: commit $commit, $(date -u +%Y-%m-%d), $(nproc) cores"
log "  fresh root (mmdebstrap)   $(fmt "$t_root")"
for r in "${results[@]}"; do log "  $r"; done
log "  whole check               $(fmt "$(elapsed "$t0")")"
exit "$fail"
