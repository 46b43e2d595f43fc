# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench, operations section: every day-2 operation (no-change deploy, rolling restarts, drain and restore,
backend membership, keepalived upgrade and downgrade, source <-> package) on the deployed bench lab under a client
probe per VIP (benchmarks/operations.yml), in each configuration of CONFIGURATIONS. Hooked into run.py (run) and
report.py (section, a table per configuration)."""

from __future__ import absolute_import, division, print_function

import json
import os

__metaclass__ = type


# The configurations the operations step runs in, in this order, each a deploy of the bench lab: the inventory's
# (master_backup, standard profile, multicast, source build), then dual_master with the fast profile by unicast on
# the inventory's bench_dual_master_instances (one VIP per load balancer, each probed). Every operation of a
# configuration runs with its variables, so that no operation undoes it; the topology is one of them, as it is in
# an inventory, so that drain.yml and restore.yml plan the same masters as the deploy (dual_master.yml sets it for
# its own run only: with the inventory's master_backup, restore.yml waited for lb1 to master VI_2 as well).
CONFIGURATIONS = {
    "standard": {"playbook": "master_backup.yml", "vars": {}},
    "dual_master_fast": {"playbook": "dual_master.yml",
                         "vars": {"keepalived_topology": "dual_master", "keepalived_profile": "fast", "keepalived_unicast": True,
                                  "keepalived_instances": "{{ bench_dual_master_instances }}"}},
}


def run(args, playbook, say, name):
    """Deploy configuration ``name`` (unless it is the inventory's) and run benchmarks/operations.yml in it; returns
    the configuration's results (rc, seconds, log, config, vips, operations)."""
    config = CONFIGURATIONS[name]
    say("Operations under the client probe, %s (deploys, drain, backends, versions, install method)" % name)
    result = {"config": dict(config["vars"], playbook=config["playbook"])}
    work_dir = os.path.join(args.results, "operations-" + name)
    os.makedirs(work_dir, exist_ok=True)
    vars_file = os.path.join(work_dir, "configuration.json")
    with open(vars_file, "w") as handle:
        json.dump(config["vars"], handle)
    if config["vars"]:
        rc, secs, log = playbook(args, "deploy-operations-" + name, "playbooks/" + config["playbook"], config["vars"])
        if rc != 0:
            return dict(result, rc=rc, seconds=secs, log=os.path.relpath(log, args.results))
    rc, secs, log = playbook(args, "operations-" + name, "benchmarks/operations.yml",
                             dict(config["vars"], bench_results_dir=args.results, bench_ops_name=name,
                                  bench_ops_playbook=config["playbook"], bench_ops_vars_file=vars_file),
                             timeout=5400)
    result.update(rc=rc, seconds=secs, log=os.path.relpath(log, args.results))
    path = os.path.join(args.results, "operations-%s.json" % name)
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(log) - secs - 1:
        with open(path) as handle:
            result.update(json.load(handle))
        for op in result.get("operations", []):
            print("      %-26s %-16s %6.1f s  failed %s of %s  moves %s" % (
                op["name"], op["vip"], op["seconds"], op["failed"], op["requests"], op["vip_moves"]), flush=True)
    return result


def failed(results):
    """Whether the operations step ran and failed in a configuration."""
    return any(r.get("rc") for r in (results.get("operations") or {}).values())


def _served(counts):
    return ", ".join("%s %d" % (lb, n) for lb, n in sorted(counts.items())) or "-"


def section(results):
    """Markdown lines of the operations tables, one per configuration (empty when the step did not run)."""
    configs = results.get("operations")
    if not configs:
        return []
    lines = ["## Operations under traffic", "",
             "Each operation run as an operator runs it (ansible-playbook on the controller, one after the other) while",
             "the client sends a GET through each VIP on its own (one probe per VIP). Run time: the playbook's; the",
             "requests, failures, error window (first failed request sent to last one ended) and VIP moves (changes of",
             "the answering load balancer) are the client's during that run (plus 3 s after a backend change).", ""]
    for name, ops in configs.items():
        settings = ", ".join("%s=%s" % kv for kv in sorted((ops.get("config") or {}).items()))
        lines += ["### %s" % name, "", "Deployed with %s." % (settings or "the inventory's settings"), ""]
        if not ops.get("operations"):
            lines += ["Not measured (rc %s); see %s." % (ops.get("rc"), ops.get("log")), ""]
            continue
        several = len(ops["vips"]) > 1
        lines += [
            "Probe: a GET every %s s (timeout %s s) through %s." % (
                ops["probe_interval_s"], ops["probe_timeout_s"], ", ".join(ops["vips"])),
            "",
            "| operation |%s run time (s) | requests | failed | client error window (s) | served by | VIP moves |" % (
                " VIP |" if several else ""),
            "|---|%s---|---|---|---|---|---|" % ("---|" if several else ""),
        ]
        for op in ops["operations"]:
            lines.append("| %s%s |%s %s | %s | %s | %s | %s | %s |" % (
                op["name"], "" if op["rc"] == 0 else " (rc %s)" % op["rc"], " %s |" % op["vip"] if several else "",
                op["seconds"], op["requests"], op["failed"], op["error_window_s"], _served(op["load_balancers"]),
                op["vip_moves"]))
        lines.append("")
    lines += [
        "A VIP move cannot keep the TCP exchange in flight at that moment: the new holder resets it or the client's",
        "retransmission comes after its timeout. That request is the one a moving operation may lose.",
        "",
    ]
    return lines
