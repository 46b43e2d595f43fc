#!/usr/bin/env bash
# Build a systemd-ready Debian base image without any registry: debootstrap + docker import.
# Usage: lab/build-image.sh [bookworm|bullseye|trixie]   -> image halb/debian:<suite>
set -euo pipefail
suite=${1:-bookworm}
image="halb/debian:${suite}"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "==> Image $image already present"
  exit 0
fi
root=$(mktemp -d /var/tmp/halb-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
printf '\033[1;34m==> %s\033[0m\n' "Building $image with debootstrap (about a minute)"
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,python3,python3-apt,iproute2,iputils-ping,procps,curl,ca-certificates,dbus,iptables \
  "$suite" "$root" >/var/tmp/halb-debootstrap-"$suite".log 2>&1 \
  || { tail -20 /var/tmp/halb-debootstrap-"$suite".log >&2; exit 1; }
# Trust the same CAs as the host (HTTPS from inside the containers), keep the image small,
# and keep systemd from starting units that make no sense in a container.
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
# An empty, stale package cache: roles must refresh it themselves, as on a long-lived host.
touch -d @0 "$root/var/lib/apt/lists"
for unit in getty.target console-getty.service systemd-udevd.service systemd-modules-load.service; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
tar -C "$root" -c . | docker import -c 'CMD ["/lib/systemd/systemd"]' - "$image" >/dev/null
echo "==> Built $image"
