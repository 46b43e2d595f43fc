#!/usr/bin/env bash
# Build the execution environment image of execution-environment.yml, offline from Galaxy:
# the collection tarball (ansible-galaxy collection build) goes into the image; pip packages come from PyPI.
#   awx/build-ee.sh          -> image halb/nginx-keepalived-ee:<version in galaxy.yml>
# Needs the base image halb/debian:bookworm (make image) and ansible-builder (installed into .build/ee-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }

version=$(sed -n 's/^version: *//p' galaxy.yml)
image=halb/nginx-keepalived-ee:$version
grep -q "halb/nginx-keepalived-ee:$version" execution-environment.yml \
  || { echo "execution-environment.yml does not tag $image: update options.tags" >&2; exit 1; }
docker image inspect halb/debian:bookworm >/dev/null 2>&1 \
  || { echo "base image halb/debian:bookworm is missing: run make image" >&2; exit 1; }

if [ ! -x .build/ee-venv/bin/ansible-builder ]; then
  say "Installing ansible-builder into .build/ee-venv"
  python3 -m venv .build/ee-venv
  .build/ee-venv/bin/pip install -q 'ansible-builder==3.2.0' 2> >(grep -v '^WARNING: Location' >&2)
fi

say "Building the collection tarball"
rm -rf .build/ee && mkdir -p .build/ee/dist
ansible-galaxy collection build --force --output-path .build/ee/dist . >/dev/null
cp .build/ee/dist/halb-nginx_keepalived-"$version".tar.gz .build/ee/halb-nginx_keepalived.tar.gz
say "Building the tarballs of its dependencies from the ansible package"
bash awx/dependency-tarballs.sh .build/ee/dist >/dev/null
for dep in .build/ee/dist/*.tar.gz; do
  case $dep in */halb-nginx_keepalived-*) ;; *) cp "$dep" .build/ee/"$(basename "$dep" | sed 's/-[0-9][^-]*\.tar\.gz$/.tar.gz/')" ;; esac
done

say "Creating the build context (ansible-builder create) and building $image"
.build/ee-venv/bin/ansible-builder create -f execution-environment.yml -c .build/ee/context >/dev/null
start=$(date +%s)
docker build -q -t "$image" -f .build/ee/context/Dockerfile .build/ee/context >/dev/null
say "Built $image in $(( $(date +%s) - start )) s: $(docker run --rm "$image" ansible --version | head -1); $(docker run --rm "$image" ansible-galaxy collection list halb.nginx_keepalived 2>/dev/null | grep halb)"
