# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit after each soak step (issue 32): what the client saw and what the cluster holds, against the step.

Inputs are what the soak records around a step (benchmarks/soak_schedule.py gives the step): the probe log of each
VIP (roles/drill/files/halb_probe.py, one JSON line per request, parsed by the collection's
plugins/module_utils/_drill_probe.py), the step's times (``fault_at``: the fault injected; ``heal_at``: healed;
``settled_at``: the audit's reading), each VIP's holders after the settle, the planned owner, the units that
failed on each host, and the managed files that changed. ``error_windows`` cuts a probe log into error windows: each
run of failed requests is one (a takeover and a later return are two events, two windows). ``problems`` returns one
sentence per broken rule:

- every error window lies inside the fault window (``fault_at`` .. ``heal_at`` + the VIP's bound): no request fails
  outside a fault;
- every error window is at most the VIP's bound for the step's fault (each handover separately);
- after the settle each VIP has exactly one holder, one of those the step allows (the planned owner; more with
  nopreempt or a member left down);
- no unit failed on any host;
- no managed file changed unless the step's kind changes one (a roll changes keepalived's build and unit).

Stdlib only (and _drill_probe's parse_log for the records).
"""

from __future__ import absolute_import, annotations, division, print_function

from typing import Any

__metaclass__ = type

# Kinds whose step changes managed files on purpose (a roll deploys a new keepalived build and its unit).
CHANGES_FILES = ("during_roll",)


def error_windows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of failed requests in a probe log, in order: ``start`` (the first failed request sent), ``end`` (the
    last one ended), ``seconds``, ``failed`` (requests), ``reasons`` and the load balancer that answered before and
    after (``before``, ``after``; None at the log's edges)."""
    windows: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    served = None
    for record in records:
        if "error" in record:
            end = float(record["t"]) + float(record.get("ms") or 0) / 1000.0
            if current is None:
                current = {"start": float(record["t"]), "end": end, "failed": 0, "reasons": {}, "before": served,
                           "after": None}
                windows.append(current)
            current["end"] = max(current["end"], end)
            current["failed"] += 1
            reason = str(record["error"]).split(":", maxsplit=1)[0]
            current["reasons"][reason] = current["reasons"].get(reason, 0) + 1
            continue
        served = record.get("lb")
        if current is not None:
            current["after"] = served
            current = None
    for window in windows:
        window["seconds"] = round(window["end"] - window["start"], 3)
    return windows


def problems(step: dict[str, Any], windows: dict[str, list[dict[str, Any]]], bounds: dict[str, float],
             fault_at: float, heal_at: float, holders: dict[str, list[str]], allowed: dict[str, list[str]],
             failed_units: dict[str, list[str]], changed_files: dict[str, list[str]]) -> list[str]:
    """Every rule the step broke, one sentence each naming the step, the VIP or host and the numbers."""
    where = "step %s (%s on %s)" % (step.get("step"), step.get("kind"), step.get("target"))
    out = []
    for vip in sorted(windows):
        bound = float(bounds.get(vip, 0.0))
        for window in windows[vip]:
            if window["start"] < fault_at or window["end"] > heal_at + bound:
                out.append("%s: VIP %s: %d request(s) failed from %.3f to %.3f, outside the fault window %.3f .. %.3f"
                           % (where, vip, window["failed"], window["start"], window["end"], fault_at, heal_at + bound))
            elif window["seconds"] > bound:
                out.append("%s: VIP %s: an error window of %.3f s (%d request(s), %s, %s -> %s) is above the bound "
                           "of %.3f s" % (where, vip, window["seconds"], window["failed"],
                                          ", ".join("%s %d" % item for item in sorted(window["reasons"].items())),
                                          window["before"], window["after"], bound))
    for vip in sorted(allowed):
        held = sorted(holders.get(vip) or [])
        if len(held) != 1:
            out.append("%s: VIP %s is held by %s after the settle (exactly one of %s expected)"
                       % (where, vip, ", ".join(held) or "no load balancer", ", ".join(allowed[vip])))
        elif held[0] not in allowed[vip]:
            out.append("%s: VIP %s is held by %s after the settle, not by %s" % (where, vip, held[0],
                                                                                 " or ".join(allowed[vip])))
    for host in sorted(failed_units):
        if failed_units[host]:
            out.append("%s: %s has failed units: %s" % (where, host, ", ".join(sorted(failed_units[host]))))
    if str(step.get("kind")) not in CHANGES_FILES:
        for host in sorted(changed_files):
            if changed_files[host]:
                out.append("%s: %s changed %s, which this step must not change"
                           % (where, host, ", ".join(sorted(changed_files[host]))))
    return out
