# Shared helpers for armkvm's build scripts; sourced, not run.

ARMKVM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARMKVM_CACHE=${ARMKVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/armkvm}
ARMKVM_BUILD=${ARMKVM_BUILD:-$ARMKVM_TOP/build}
mkdir -p "$ARMKVM_CACHE"
export ARMKVM_TOP ARMKVM_CACHE ARMKVM_BUILD
export PATH="$PATH:/usr/sbin:/sbin"
export CCACHE_DIR=${CCACHE_DIR:-$ARMKVM_CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Relative paths and no cwd in the hash: a fresh clone elsewhere still hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ARMKVM_TOP}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

# The pinned versions live in one file so every script agrees.
. "$ARMKVM_TOP/scripts/versions.sh"

log() { printf '[armkvm] %s\n' "$*" >&2; }
die() { printf '[armkvm] error: %s\n' "$*" >&2; exit 1; }

# The Debian mirror this machine's apt already uses (first URIs: of the main entry).
debian_mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/debian.sources; do
        [ -r "$f" ] || continue
        uri=$(awk '/^URIs:/ { print $2; exit }' "$f")
        [ -n "$uri" ] && { echo "$uri"; return; }
    done
    if [ -r /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
              /etc/apt/sources.list)
        [ -n "$uri" ] && { echo "$uri"; return; }
    fi
    die "cannot find a Debian mirror in the apt configuration"
}

# Seconds since an epoch timestamp, for the figures the scripts print.
elapsed() { echo $(( $(date +%s) - $1 )); }
