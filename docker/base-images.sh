#!/usr/bin/env bash
# Makes the base images docker/Dockerfile starts from, without a registry: debian:bookworm and
# debian:bookworm-slim, built with debootstrap from Debian's archive and imported into podman
# (or docker) under those names. Skips an image that already exists.
# Usage: sudo docker/base-images.sh   (ENGINE=docker to use docker; MIRROR to pick a mirror)
set -euo pipefail
ENGINE=${ENGINE:-podman}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
if [ "$(id -u)" -ne 0 ]; then
  echo "base-images.sh: debootstrap needs root; run it with sudo" >&2
  exit 1
fi
command -v debootstrap >/dev/null || apt-get install -y -qq --no-install-recommends debootstrap
WORK=$(mktemp -d /tmp/shipledger-rootfs.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# NAME VARIANT: a root file system of VARIANT (debootstrap --variant), imported as NAME.
make_image() {
  local name=$1 variant=$2 root="$WORK/$2"
  if $ENGINE image exists "$name" 2>/dev/null || $ENGINE image inspect "$name" >/dev/null 2>&1; then
    echo "$name: already there"
    return
  fi
  echo "$name: debootstrap --variant=$variant $SUITE (a few minutes)"
  debootstrap --variant="$variant" "$SUITE" "$root" "$MIRROR" >"$WORK/$variant.log" 2>&1 ||
    { tail -20 "$WORK/$variant.log"; exit 1; }
  # As the official images: the archive's sources, no package caches, no docs in the slim one.
  echo "deb $MIRROR $SUITE main" >"$root/etc/apt/sources.list"
  echo "deb $MIRROR $SUITE-updates main" >>"$root/etc/apt/sources.list"
  echo "deb http://deb.debian.org/debian-security $SUITE-security main" >>"$root/etc/apt/sources.list"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  if [ "$variant" = minbase ]; then
    rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*
  fi
  tar -C "$root" -c . | $ENGINE import --change 'CMD ["/bin/bash"]' - "$name" >/dev/null
  echo "$name: imported"
}

make_image debian:bookworm buildd
make_image debian:bookworm-slim minbase
