#!/usr/bin/env bash
# Build a Galaxy tarball of each collection this collection depends on (galaxy.yml dependencies), from the copy the
# pinned `ansible` package installed into the active Python (Galaxy servers are not needed, nor reachable here):
#   awx/dependency-tarballs.sh OUTDIR   -> OUTDIR/<namespace>-<name>-<version>.tar.gz, one per dependency
# Used by tests/galaxy-roundtrip.sh (installs them offline with the collection) and awx/build-ee.sh (the EE image).
# The pip copy has no galaxy.yml and its FILES.json names files pip does not ship: the galaxy.yml is rebuilt from its
# MANIFEST.json and ansible-galaxy builds the tarball anew.
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import json, os, shutil, sys

import ansible_collections
import yaml

work = sys.argv[1]
with open("galaxy.yml") as handle:
    dependencies = yaml.safe_load(handle).get("dependencies") or {}
for fqcn in sorted(dependencies):
    namespace, name = fqcn.split(".")
    source = [os.path.join(path, namespace, name) for path in ansible_collections.__path__
              if os.path.isfile(os.path.join(path, namespace, name, "MANIFEST.json"))][0]
    target = os.path.join(work, fqcn)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "FILES.json", "MANIFEST.json"))
    with open(os.path.join(source, "MANIFEST.json")) as handle:
        info = json.load(handle)["collection_info"]
    keys = ("namespace", "name", "version", "readme", "authors", "description", "license", "tags", "dependencies",
            "repository", "documentation", "homepage", "issues")
    galaxy = dict((key, info[key]) for key in keys if info.get(key) not in (None, [], ""))
    galaxy.setdefault("readme", "README.md")
    with open(os.path.join(target, "galaxy.yml"), "w") as handle:
        yaml.safe_dump(galaxy, handle)

PY
for dir in "$work"/*/; do
  ansible-galaxy collection build --force --output-path "$out" "$dir" >/dev/null
done
ls "$out"/*.tar.gz
