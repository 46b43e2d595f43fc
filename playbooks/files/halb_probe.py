#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Client-side probe for failure drills (Python 3 standard library only).

probe:      send GET requests to a URL at a fixed rate, one JSON line per request:
              {"i": 12, "t": 1700000000.123456, "ms": 1.9, "status": 200, "backend": "web2", "lb": "lb1"}
              {"i": 13, "t": 1700000000.143456, "ms": 500.4, "error": "timeout"}
            t is the wall-clock send time (seconds since the epoch), so it can be compared with journal
            timestamps of other hosts (same clock in a container lab; NTP-synchronised hosts otherwise).
            Bounded: stops after --count requests, after --duration seconds, or when --stop-file exists.
summarize:  read such a log and print one JSON object: counts, failed requests, the client-observed
            error window (first to last failed request), and who served before and after --since.

Usage:
  halb_probe.py probe --url http://VIP/ --log /tmp/probe.jsonl [--interval 0.02] [--timeout 0.5]
                      [--count 6000] [--duration 120] [--stop-file /tmp/probe.stop]
  halb_probe.py summarize --log /tmp/probe.jsonl [--since EPOCH [--recover EPOCH]]
"""

from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import socket
import sys
import time

try:  # Python 3
    import http.client as http_client
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported by the drills
    sys.exit("halb_probe.py needs Python 3")


def one_request(url, timeout, lb_header):
    """Send one GET on a fresh connection; return a dict with status/backend/lb or error."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    conn = http_client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Connection": "close", "User-Agent": "halb-probe"})
        resp = conn.getresponse()
        body = resp.read(4096).decode("utf-8", "replace")
        out = {"status": resp.status, "lb": resp.getheader(lb_header) or "none"}
        tokens = body.split()
        out["backend"] = tokens[0] if tokens else ""
        if resp.status >= 400:
            out["error"] = "HTTP %d" % resp.status
        return out
    except socket.timeout:
        return {"error": "timeout"}
    except (OSError, http_client.HTTPException) as exc:
        return {"error": type(exc).__name__ + (": " + str(exc) if str(exc) else "")}
    finally:
        conn.close()


def probe(args):
    deadline = time.time() + args.duration
    due = time.monotonic()
    with open(args.log, "w") as log:
        for i in range(args.count):
            if time.time() >= deadline or (args.stop_file and os.path.exists(args.stop_file)):
                break
            # Fixed rate: one request start per interval; after a slow (timed-out) request the schedule
            # restarts from now instead of sending a burst of overdue requests.
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            due = max(due + args.interval, time.monotonic())
            sent = time.time()
            t0 = time.monotonic()
            rec = one_request(args.url, args.timeout, args.lb_header)
            rec_out = {"i": i, "t": round(sent, 6), "ms": round((time.monotonic() - t0) * 1000.0, 3)}
            rec_out.update(rec)
            log.write(json.dumps(rec_out, sort_keys=True) + "\n")
            log.flush()
    return 0


def read_log(path):
    records = []
    with open(path) as log:
        for line in log:
            line = line.strip()
            if line:
                try:
                    records.append(json.loads(line))
                except ValueError:
                    continue  # a line cut short by a stopped probe
    return records


def _failure_stats(failed):
    """Failed requests, their reasons and error window (first failure sent to last failure ended)."""
    stats = {"failed": len(failed), "error_reasons": {}, "error_window_s": 0.0,
             "first_error_t": None, "last_error_t": None}
    for r in failed:
        reason = r["error"].split(":")[0]
        stats["error_reasons"][reason] = stats["error_reasons"].get(reason, 0) + 1
    if failed:
        stats["first_error_t"] = failed[0]["t"]
        stats["last_error_t"] = failed[-1]["t"]
        stats["error_window_s"] = round(failed[-1]["t"] + failed[-1]["ms"] / 1000.0 - failed[0]["t"], 3)
    return stats


def _moves(records):
    """Changes of the serving load balancer between successive answered requests (VIP moves the client saw),
    and the longest run of failed requests in a row."""
    stats = {"lb_changes": 0, "longest_failure_run": 0}
    served, run = None, 0
    for r in records:
        if "error" in r:
            run += 1
            stats["longest_failure_run"] = max(stats["longest_failure_run"], run)
            continue
        if served is not None and r.get("lb") != served:
            stats["lb_changes"] += 1
        served, run = r.get("lb"), 0
    return stats


def summarize_records(records, since=None, recover=None):
    """Pure summary of probe records.

    Without since: the whole log. With since (fault injected) and recover (recovery started), the failed
    requests are also split into phases: baseline (before since), fault (since..recover) and recovery
    (after recover), each with its own error window.
    """
    ok = [r for r in records if "error" not in r]
    failed = [r for r in records if "error" in r]
    summary = {
        "requests": len(records),
        "succeeded": len(ok),
        "first_t": records[0]["t"] if records else None,
        "last_t": records[-1]["t"] if records else None,
        "backends": {},
        "load_balancers": {},
        "latency_ms_p50": None,
        "latency_ms_max": None,
    }
    summary.update(_failure_stats(failed))
    summary.update(_moves(records))
    for r in ok:
        summary["backends"][r.get("backend", "")] = summary["backends"].get(r.get("backend", ""), 0) + 1
        summary["load_balancers"][r.get("lb", "none")] = summary["load_balancers"].get(r.get("lb", "none"), 0) + 1
    if ok:
        lat = sorted(r["ms"] for r in ok)
        summary["latency_ms_p50"] = lat[len(lat) // 2]
        summary["latency_ms_max"] = lat[-1]
    if since is not None:
        end = recover if recover is not None else float("inf")
        phases = {
            "baseline": [r for r in records if r["t"] < since],
            "fault": [r for r in records if since <= r["t"] < end],
            "recovery": [r for r in records if r["t"] >= end],
        }
        summary["since"] = since
        summary["recover"] = recover
        summary["phases"] = {}
        for name, recs in phases.items():
            phase = {"requests": len(recs)}
            phase.update(_failure_stats([r for r in recs if "error" in r]))
            phase.update(_moves(recs))
            served = [r for r in recs if "error" not in r]
            phase["load_balancers"] = {}
            phase["backends"] = {}
            for r in served:
                phase["load_balancers"][r.get("lb", "none")] = phase["load_balancers"].get(r.get("lb", "none"), 0) + 1
                phase["backends"][r.get("backend", "")] = phase["backends"].get(r.get("backend", ""), 0) + 1
            summary["phases"][name] = phase
        before = [r for r in ok if r["t"] < since]
        summary["lb_before"] = before[-1].get("lb") if before else None
        # First successful request after the fault served by another load balancer than before it.
        switch = [r for r in ok if r["t"] >= since and before and r.get("lb") != summary["lb_before"]]
        summary["first_other_lb_t"] = switch[0]["t"] if switch else None
        summary["first_other_lb"] = switch[0].get("lb") if switch else None
    return summary


def summarize(args):
    print(json.dumps(summarize_records(read_log(args.log), args.since, args.recover), sort_keys=True))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("probe", help="send requests at a fixed rate and log them as JSON lines")
    p.add_argument("--url", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--interval", type=float, default=0.02, help="seconds between request starts")
    p.add_argument("--timeout", type=float, default=0.5, help="per-request timeout in seconds")
    p.add_argument("--count", type=int, default=6000, help="at most this many requests")
    p.add_argument("--duration", type=float, default=120.0, help="at most this many seconds")
    p.add_argument("--stop-file", default=None, help="stop as soon as this file exists")
    p.add_argument("--lb-header", default="X-Load-Balancer")
    s = sub.add_parser("summarize", help="summarize a probe log as JSON")
    s.add_argument("--log", required=True)
    s.add_argument("--since", type=float, default=None, help="fault injection time (epoch seconds)")
    s.add_argument("--recover", type=float, default=None, help="recovery start time (epoch seconds)")
    args = parser.parse_args(argv)
    if args.command == "probe":
        if not (0 < args.interval <= 10 and 0 < args.timeout <= 10 and 0 < args.count <= 200000
                and 0 < args.duration <= 3600):
            parser.error("interval/timeout 0..10 s, count 1..200000, duration 1..3600 s")
        return probe(args)
    if args.command == "summarize":
        return summarize(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
