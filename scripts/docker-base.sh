#!/bin/sh
# Makes a Debian base image locally, for machines that reach Debian's mirrors but no image
# registry (CI, this project's machines): debootstrap --variant=minbase, then docker import.
# Cached: does nothing when the image already exists. Prints the image name.
#   scripts/docker-base.sh [SUITE] [IMAGE]      e.g. scripts/docker-base.sh bookworm
# Measured here: bookworm minbase ~40 s, ~120 MB image. Needs root and debootstrap.
set -eu

suite="${1:-bookworm}"
image="${2:-edgewatch-base:$suite}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi

command -v debootstrap >/dev/null 2>&1 || {
  echo "docker-base: debootstrap is missing: apt-get install debootstrap" >&2
  exit 1
}

dir="$(mktemp -d "${TMPDIR:-/var/tmp}/edgewatch-base.XXXXXX")"
trap 'rm -rf "$dir"' EXIT INT TERM
echo "docker-base: debootstrap $suite into $dir" >&2
debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 || {
  tail -20 "$dir.log" >&2
  rm -f "$dir.log"
  exit 1
}
rm -f "$dir.log"
# apt's lists and the debootstrap cache only add weight: the Dockerfile runs apt-get update.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/archives/*.deb
tar -C "$dir" -c . | docker import - "$image" >/dev/null
echo "$image"
