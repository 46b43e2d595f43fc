#!/bin/sh
# Wait, at most $1 seconds, until this host holds every VIP given after it (bounded: no retries to print).
timeout=$1
shift
end=$(($(date +%s) + timeout))
while :; do
    missing=""
    for vip in "$@"; do
        ip -4 -o addr show | grep -q " $vip/" || missing="$missing $vip"
    done
    [ -z "$missing" ] && exit 0
    if [ "$(date +%s)" -ge "$end" ]; then
        echo "$(hostname) does not hold$missing after $timeout s" >&2
        exit 1
    fi
    sleep 0.2
done
