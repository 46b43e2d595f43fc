# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Summaries of a drill probe log (roles/drill/files/halb_probe.py writes one JSON line per request):

    {"i": 12, "t": 1700000000.123456, "ms": 1.9, "status": 200, "backend": "web2", "lb": "lb1"}
    {"i": 13, "t": 1700000000.143456, "ms": 500.4, "error": "timeout"}

Counts, failed requests by reason, the client-observed error window (first failed request sent to the last
one ended), who served, and with a fault time (``since``) and a recovery time (``recover``) the same per phase:
baseline (before since), fault (since..recover) and recovery (after recover).
Pure functions, stdlib only, Python 3.9+.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


def parse_log(text):
    """Records of a probe log; a line cut short by a stopped probe is skipped."""
    records = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "t" in record:
            records.append(record)
    return records


def _count(records, key, default):
    counts = {}
    for record in records:
        value = record.get(key, default)
        counts[value] = counts.get(value, 0) + 1
    return counts


def failure_stats(failed):
    """Failed requests, their reasons (the error up to ':') and the error window in seconds."""
    stats = {"failed": len(failed), "error_reasons": _count([{"r": r["error"].split(":")[0]} for r in failed], "r", ""),
             "error_window_s": 0.0, "first_error_t": None, "last_error_t": None}
    if failed:
        stats["first_error_t"] = failed[0]["t"]
        stats["last_error_t"] = failed[-1]["t"]
        stats["error_window_s"] = round(failed[-1]["t"] + failed[-1]["ms"] / 1000.0 - failed[0]["t"], 3)
    return stats


def summarize(records, since=None, recover=None):
    """Summary of probe records (the whole log, and per phase when ``since`` is given)."""
    ok = [r for r in records if "error" not in r]
    summary = {
        "requests": len(records),
        "succeeded": len(ok),
        "first_t": records[0]["t"] if records else None,
        "last_t": records[-1]["t"] if records else None,
        "backends": _count(ok, "backend", ""),
        "load_balancers": _count(ok, "lb", "none"),
        "latency_ms_p50": None,
        "latency_ms_max": None,
    }
    summary.update(failure_stats([r for r in records if "error" in r]))
    if ok:
        latencies = sorted(r["ms"] for r in ok)
        summary["latency_ms_p50"] = latencies[len(latencies) // 2]
        summary["latency_ms_max"] = latencies[-1]
    if since is None:
        return summary
    end = recover if recover is not None else float("inf")
    phases = {
        "baseline": [r for r in records if r["t"] < since],
        "fault": [r for r in records if since <= r["t"] < end],
        "recovery": [r for r in records if r["t"] >= end],
    }
    summary.update(since=since, recover=recover, phases={})
    for name, recs in phases.items():
        phase = {"requests": len(recs)}
        phase.update(failure_stats([r for r in recs if "error" in r]))
        phase["load_balancers"] = _count([r for r in recs if "error" not in r], "lb", "none")
        summary["phases"][name] = phase
    before = [r for r in ok if r["t"] < since]
    summary["lb_before"] = before[-1].get("lb") if before else None
    # First successful request after the fault served by another load balancer than the last one before it.
    switch = [r for r in ok if r["t"] >= since and before and r.get("lb") != summary["lb_before"]]
    summary["first_other_lb_t"] = switch[0]["t"] if switch else None
    summary["first_other_lb"] = switch[0].get("lb") if switch else None
    return summary
