#!/usr/bin/env bash
# Builds the image tests use as base instead of a JRE image from Docker Hub, which tests must not pull:
# Debian 12 (glibc 2.36) with OpenJDK 17's headless JRE and bash, via debootstrap, packed with umoci and
# written by skopeo as a `docker save` archive. Needs root and Debian's debootstrap, umoci and skopeo.
# Usage: build-test-base.sh OUTPUT.tar
set -euo pipefail
out=${1:?usage: build-test-base.sh OUTPUT.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" \
  || { tail -20 "$work/debootstrap.log"; exit 1; }
rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/*

umoci init --layout "$work/oci"
umoci new --image "$work/oci:base"
umoci unpack --image "$work/oci:base" "$work/bundle" >/dev/null
cp -a "$work/rootfs/." "$work/bundle/rootfs/"
umoci repack --image "$work/oci:base" "$work/bundle"
umoci config --image "$work/oci:base" --architecture amd64 --os linux \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
mkdir -p "$(dirname "$out")"
rm -f "$out.partial"
skopeo copy --quiet "oci:$work/oci:base" "docker-archive:$out.partial:cvat-test-base:bookworm"
mv "$out.partial" "$out"
