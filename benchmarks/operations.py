# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench, operations section: every day-2 operation (no-change deploy, rolling restarts, drain and restore,
backend membership, keepalived upgrade and downgrade, source <-> package) on the deployed bench lab under the
client probe (benchmarks/operations.yml). Hooked into run.py (run) and report.py (section)."""

from __future__ import absolute_import, division, print_function

import json
import os

__metaclass__ = type


def run(args, playbook, say):
    """Run benchmarks/operations.yml; returns the section's results (rc, seconds, operations)."""
    say("Operations under the client probe (deploys, drain, backends, versions, install method)")
    rc, secs, log = playbook(args, "operations", "benchmarks/operations.yml", {"bench_results_dir": args.results},
                             timeout=5400)
    result = {"rc": rc, "seconds": secs, "log": os.path.relpath(log, args.results)}
    path = os.path.join(args.results, "operations.json")
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(log) - secs - 1:
        with open(path) as handle:
            result.update(json.load(handle))
        for op in result.get("operations", []):
            print("      %-26s %6.1f s  failed %s of %s  moves %s" % (
                op["name"], op["seconds"], op["failed"], op["requests"], op["vip_moves"]), flush=True)
    return result


def failed(results):
    """Whether the operations step ran and failed."""
    return bool((results.get("operations") or {}).get("rc"))


def _served(counts):
    return ", ".join("%s %d" % (lb, n) for lb, n in sorted(counts.items())) or "-"


def section(results):
    """Markdown lines of the operations table (empty when the step did not run)."""
    ops = results.get("operations")
    if not ops:
        return []
    lines = ["## Operations under traffic", ""]
    if not ops.get("operations"):
        return lines + ["Not measured (rc %s); see %s." % (ops.get("rc"), ops.get("log")), ""]
    lines += [
        "Each operation run as an operator runs it (ansible-playbook on the controller, one after the other) while the",
        "client sends a GET through VIP %s every %s s (timeout %s s). Run time: the playbook's; the requests, failures,"
        % (ops["vip"], ops["probe_interval_s"], ops["probe_timeout_s"]),
        "error window (first failed request sent to last one ended) and VIP moves (changes of the answering load",
        "balancer) are the client's during that run (plus 3 s after a backend change).",
        "",
        "| operation | run time (s) | requests | failed | client error window (s) | served by | VIP moves |",
        "|---|---|---|---|---|---|---|",
    ]
    for op in ops["operations"]:
        lines.append("| %s%s | %s | %s | %s | %s | %s | %s |" % (
            op["name"], "" if op["rc"] == 0 else " (rc %s)" % op["rc"], op["seconds"], op["requests"], op["failed"],
            op["error_window_s"], _served(op["load_balancers"]), op["vip_moves"]))
    lines += [
        "",
        "A VIP move cannot keep the TCP exchange in flight at that moment: the new holder resets it or the client's",
        "retransmission comes after its timeout. That request is the one a moving operation may lose.",
        "",
    ]
    return lines
