#!/usr/bin/env bash
# make promtool: `promtool check rules` and `promtool test rules` on the monitoring role's alert rules.
# promtool comes from Debian's prometheus package, unpacked into .cache (no Prometheus daemon on the host).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=$root/.cache/prometheus
build=$root/.build/prometheus
promtool=$cache/root/usr/bin/promtool
if [ ! -x "$promtool" ]; then
    mkdir -p "$cache"
    rm -f "$cache"/prometheus_*.deb
    if ! (cd "$cache" && apt-get download prometheus 2>/dev/null); then
        apt-get update -qq
        (cd "$cache" && apt-get download prometheus)
    fi
    dpkg-deb -x "$cache"/prometheus_*.deb "$cache/root"
fi
"$promtool" --version 2>&1 | sed -n 1p
mkdir -p "$build"
python "$root/tests/prometheus/render_rules.py" "$build/halb-alerts.rules.yml"
cp "$root/tests/prometheus/halb-alerts.test.yml" "$build/"
"$promtool" check rules "$build/halb-alerts.rules.yml"
"$promtool" test rules "$build/halb-alerts.test.yml"
