#!/bin/sh
# Usage: wait-systemd.sh SECONDS ATTEMPTS CONTAINER...
# Wait, at most SECONDS per attempt, until systemd reports running (or degraded) in each container (right after
# the start its bus may not answer yet: asked again every second). A container whose systemd is not up by then
# is restarted, at most ATTEMPTS - 1 times. Bounded, and silent while it waits.
timeout=$1
attempts=$2
shift 2
for container in "$@"; do
    attempt=1
    end=$(($(date +%s) + timeout))
    while :; do
        state=$(timeout "$timeout" docker exec "$container" systemctl is-system-running --wait 2>/dev/null)
        case "$state" in
            running|degraded) break ;;
        esac
        if [ "$(date +%s)" -lt "$end" ]; then
            sleep 1
            continue
        fi
        if [ "$attempt" -ge "$attempts" ]; then
            echo "$container: systemd is '$state' after $attempts attempts of $timeout s" >&2
            exit 1
        fi
        echo "$container: systemd is '$state' after $timeout s, restarted"
        docker restart -t 1 "$container" >/dev/null
        attempt=$((attempt + 1))
        end=$(($(date +%s) + timeout))
    done
done
