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
The log is summarized by the module halb.nginx_keepalived.probe_summary (plugins/module_utils/_drill_probe.py).

Usage:
  halb_probe.py probe --url http://VIP/ --log /tmp/probe.jsonl [--interval 0.02] [--timeout 0.5]
                      [--count 6000] [--duration 120] [--stop-file /tmp/probe.stop]
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
    args = parser.parse_args(argv)
    if args.command == "probe":
        # A day-2 operations run under the probe takes up to about 2 h on a loaded CI machine; 12 h bounds it.
        if not (0 < args.interval <= 10 and 0 < args.timeout <= 10 and 0 < args.count <= 2160000
                and 0 < args.duration <= 43200):
            parser.error("interval/timeout 0..10 s, count 1..2160000, duration 1..43200 s")
        return probe(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
