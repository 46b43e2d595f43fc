# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sample, while a version change rolls, what each load balancer runs and whether it holds the VIP.

One JSON line per sample: {"t": EPOCH, "op-lb1": {"version": "2.2.7", "vip": true}, "op-lb2": {...}}.
The version is the running daemon's (keepalived -v of /proc/<MainPID>/exe: the binary it was started from,
also after make install replaced the file), "" when keepalived does not run.
Bounded: at most --count samples and --duration seconds; the caller also kills it when the run ends.
With --mixed OLD NEW it reads such a log instead and prints, as JSON, when the cluster ran both releases and
which of them held the VIP then (mixed_window; molecule/operations asserts it).

Usage: watch_versions.py --log FILE --vip 198.18.80.183 op-lb1 op-lb2
       watch_versions.py --log FILE --mixed 2.2.7 2.3.3
"""

import argparse
import json
import re
import subprocess
import time

SAMPLE = (
    'pid=$(systemctl show -p MainPID --value keepalived); '
    'if [ "${pid:-0}" != 0 ]; then /proc/$pid/exe -v 2>&1 | head -1; fi; echo ---; ip -o -4 addr show'
)


def sample(container, vip):
    try:
        out = subprocess.run(["docker", "exec", container, "sh", "-c", SAMPLE], capture_output=True,
                             text=True, timeout=10, check=False).stdout
    except subprocess.TimeoutExpired:
        return {"version": None, "vip": None}
    head, dummy, addrs = out.partition("---")
    version = re.search(r"Keepalived v(\S+)", head)
    return {"version": version.group(1) if version else "",
            "vip": re.search(r"inet %s/" % re.escape(vip), addrs) is not None}


def mixed_window(samples, old, new):
    """The samples in which the load balancers ran exactly ``old`` and ``new``: how many, from when to when,
    the versions of the VIP holders then, and every host's version in the first and the last sample.
    A sample whose docker exec timed out (version None, a loaded machine) says nothing and is left out."""
    hosts = sorted(k for k in samples[0] if k != "t") if samples else []
    samples = [s for s in samples if all(s[h]["version"] is not None for h in hosts)]
    mixed = [s for s in samples if {s[h]["version"] for h in hosts} == {old, new}]
    return {
        "samples": len(samples), "mixed_samples": len(mixed),
        "mixed_from": mixed[0]["t"] if mixed else None, "mixed_to": mixed[-1]["t"] if mixed else None,
        "holder_versions": sorted({s[h]["version"] for s in mixed for h in hosts if s[h]["vip"]}),
        "first": {h: samples[0][h]["version"] for h in hosts} if samples else {},
        "last": {h: samples[-1][h]["version"] for h in hosts} if samples else {},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", required=True)
    parser.add_argument("--vip")
    parser.add_argument("--mixed", nargs=2, metavar=("OLD", "NEW"), help="summarize the log of a roll OLD -> NEW")
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--duration", type=float, default=1200.0)
    parser.add_argument("containers", nargs="*")
    args = parser.parse_args()
    if args.mixed:
        with open(args.log) as log:
            print(json.dumps(mixed_window([json.loads(line) for line in log if line.strip()], *args.mixed)))
        return
    if not (args.vip and args.containers):
        parser.error("sampling needs --vip and at least one container")
    deadline = time.time() + args.duration
    with open(args.log, "w") as log:
        for dummy in range(args.count):
            if time.time() >= deadline:
                break
            rec = {"t": round(time.time(), 3)}
            for container in args.containers:
                rec[container] = sample(container, args.vip)
            log.write(json.dumps(rec, sort_keys=True) + "\n")
            log.flush()
            time.sleep(args.interval)


if __name__ == "__main__":
    main()
