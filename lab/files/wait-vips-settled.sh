#!/bin/sh
# Wait (at most 60 s) until every VIP (arguments) has been answered by the same load balancer for 5 s in a row:
# right after a deploy or a topology switch, keepalived may still be electing or preempting.
head=$(mktemp)
end=$(( $(date +%s) + 60 ))
last=""
stable=0
while [ "$(date +%s)" -lt "$end" ]; do
    now=""
    for vip in "$@"; do
        : > "$head"
        curl -sS -m 1 -o /dev/null -D "$head" "http://$vip/" 2>/dev/null
        lb=$(tr -d '\r' < "$head" | sed -n 's/^X-Load-Balancer: //Ip')
        now="$now $vip=${lb:-none}"
    done
    case "$now" in
        *=none*) stable=0 ;;
        "$last") stable=$((stable + 1)) ;;
        *) stable=0 ;;
    esac
    if [ "$stable" -ge 10 ]; then
        rm -f "$head"
        echo "settled:$now"
        exit 0
    fi
    last=$now
    sleep 0.5
done
rm -f "$head"
echo "not settled after 60 s:$now" >&2
exit 1
