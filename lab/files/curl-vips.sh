#!/bin/sh
# Send six requests through each VIP (arguments) and print the page and the load balancer that served it.
head=$(mktemp)
for vip in "$@"; do
    for _ in 1 2 3 4 5 6; do
        body=$(curl -sS -m 3 -D "$head" "http://$vip/" 2>&1)
        lb=$(tr -d '\r' < "$head" | sed -n 's/^X-Load-Balancer: //Ip')
        printf '$ curl http://%s/  ->  %s   (served by %s)\n' "$vip" "$body" "${lb:-none}"
    done
done
rm -f "$head"
