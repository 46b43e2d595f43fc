# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench, monitoring section: deploy playbooks/monitoring.yml on the bench lab (its client as the monitor host,
the role's default intervals) and measure the scrape-to-alert delay of a split brain
(benchmarks/monitoring_split_brain.yml). Hooked into run.py (run) and report.py (section)."""

from __future__ import absolute_import, division, print_function

import json
import os

__metaclass__ = type

# The bench lab has no monitoring group: its client is the monitor host.
EXTRA = {"monitoring_server_group": "clients"}


def run(args, playbook, say):
    """Deploy the monitoring and measure; returns the section's results (rc, seconds, delays)."""
    say("Monitoring: deploy playbooks/monitoring.yml (the client is the monitor host), then a split brain")
    rc, secs, dummy = playbook(args, "monitoring-deploy", "playbooks/monitoring.yml", EXTRA)
    result = {"deploy": {"rc": rc, "seconds": secs}}
    if rc != 0:
        return result
    rc, secs, dummy = playbook(args, "monitoring-split-brain", "benchmarks/monitoring_split_brain.yml",
                               dict(EXTRA, bench_results_dir=args.results))
    result["split_brain"] = {"rc": rc, "seconds": secs}
    path = os.path.join(args.results, "monitoring.json")
    if rc == 0 and os.path.exists(path):
        with open(path) as handle:
            result["split_brain"].update(json.load(handle))
        print("      split brain: scrape -> alert %s s, VRRP cut -> alert %s s" % (
            result["split_brain"].get("scrape_to_alert_s"), result["split_brain"].get("cut_to_alert_s")), flush=True)
    return result


def failed(results):
    """Whether the monitoring step ran and failed (deploy or split-brain run)."""
    mon = results.get("monitoring") or {}
    return any((mon.get(part) or {}).get("rc") for part in ("deploy", "split_brain"))


def section(results):
    """Markdown lines of the monitoring section (empty when it did not run)."""
    mon = results.get("monitoring")
    if not mon:
        return []
    lines = ["## Monitoring: split brain, scrape to alert", ""]
    sb = mon.get("split_brain") or {}
    if "cut_to_alert_s" not in sb:
        return lines + ["Not measured (deploy rc %s, split-brain run rc %s); see the logs." % (
            mon.get("deploy", {}).get("rc"), sb.get("rc")), ""]
    lines += [
        "VRRP (IP protocol 112) dropped on %s: both load balancers hold VIP %s; measured once on the monitor host"
        % (sb["cut_host"], sb["vip"]),
        "(Alertmanager's API polled every second). Prometheus scrape interval %s, evaluation interval %s, the alert's"
        % (sb["scrape_interval"], sb["evaluation_interval"]),
        "`for:` %s, the keepalived collector every %s s (the role's defaults)."
        % (sb["split_brain_for"], sb["collector_interval_s"]),
        "",
        "| step | seconds |",
        "|---|---|",
        "| VRRP cut -> first scrape showing two owners | %s |" % sb.get("cut_to_first_scrape_s"),
        "| that scrape -> HalbVipSplitBrain in Alertmanager | %s |" % sb.get("scrape_to_alert_s"),
        "| VRRP cut -> alert | %s |" % sb.get("cut_to_alert_s"),
        "| heal -> alert resolved | %s |" % sb.get("heal_to_resolved_s"),
        "",
        "The scrape-to-alert delay is bounded by the `for:` plus up to two evaluation intervals; shorter intervals",
        "(`monitoring_scrape_interval`, `monitoring_evaluation_interval`, `monitoring_alert_for_split_brain`) shorten it",
        "at the cost of load and of alerts on sub-second overlaps during a normal failover.",
        "",
    ]
    return lines
