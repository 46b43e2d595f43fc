# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wait (bounded, silent) until a Prometheus or Alertmanager API answer shows the expected state.

Usage: wait_api.py SECONDS URL CHECK [ARG]
  targets N        /api/v1/targets: N active targets, every one up
  vip-held H=V,..  /api/v1/query of halb_keepalived_vrrp_vip_held: exactly these hosts with these values
  alerts firing    /api/v2/alerts: at least one alert matches (firing) or none (resolved)
Asked again every second; prints the last answer (JSON) on stdout and exits 1 if the state did not show in time.
"""
import json
import sys
import time
import urllib.request


def targets(answer, count):
    active = answer["data"]["activeTargets"]
    return len(active) == int(count) and all(target["health"] == "up" for target in active)


def vip_held(answer, expected):
    held = {r["metric"]["host"]: r["value"][1] for r in answer["data"]["result"]}
    return held == dict(pair.split("=", 1) for pair in expected.split(","))


def alerts(answer, state):
    return (len(answer) > 0) == (state == "firing")


CHECKS = {"targets": targets, "vip-held": vip_held, "alerts": alerts}


def main():
    seconds, url, check, arg = float(sys.argv[1]), sys.argv[2], CHECKS[sys.argv[3]], sys.argv[4]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + seconds
    answer, error = None, "no answer"
    while True:
        try:
            with opener.open(url, timeout=5) as response:
                answer = json.load(response)
            if check(answer, arg):
                print(json.dumps(answer))
                return
            error = "state not shown yet"
        except (OSError, ValueError, KeyError, IndexError) as exc:
            error = str(exc)
        if time.monotonic() >= deadline:
            print(json.dumps(answer))
            sys.exit("%s %s %s: not shown within %s s (%s)" % (url, sys.argv[3], arg, sys.argv[1], error))
        time.sleep(1)


if __name__ == "__main__":
    main()
