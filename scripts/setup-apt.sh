#!/usr/bin/env bash
# Make Debian's source packages, bookworm-backports and trixie sources visible to apt.
# The mirror is read from this machine's own apt configuration, never written in the repo.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

uri=$(debian_mirror)
list=/etc/apt/sources.list.d/armkvm.sources
want="Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: $uri
Suites: bookworm bookworm-backports trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"
# Prefer nothing from trixie or backports unless asked for by name or suite.
pin=/etc/apt/preferences.d/armkvm
pinwant="Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100
"
changed=0
# Rewrite (and update) only when the content differs, byte for byte.
update_file() {
    if ! printf '%s' "$2" | cmp -s - "$1"; then
        printf '%s' "$2" >"$1"
        changed=1
    fi
}
update_file "$list" "$want"
update_file "$pin" "$pinwant"
stamp=/var/lib/armkvm/apt-updated
mkdir -p /var/lib/armkvm
if [ "$changed" = 1 ] || [ ! -e "$stamp" ] || \
   [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
    apt-get update -q -o Acquire::Retries=3
    touch "$stamp"
fi
