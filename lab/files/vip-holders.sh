#!/bin/sh
# Print "<hostname> holds <vip>" for each VIP (arguments) this host holds.
for vip in "$@"; do
    if ip -4 -o addr show | grep -q " $vip/"; then
        echo "$(hostname) holds $vip"
    fi
done
exit 0
