# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Outcome and timing of a failure drill (roles/drill), from what was recorded during it:

* the timers each load balancer runs with, from its vrrp_info result (text dump: instances and scripts);
* the VRRP bound and the client-side goal of the drill (issue 6 and 12's goals, by keepalived_profile);
* keepalived's state changes, from the notify FIFO log (``<epoch> INSTANCE "VI_1" MASTER 110``) or else the
  journal (``<epoch> lb2 Keepalived_vrrp[9]: (VI_1) Entering MASTER STATE``);
* the probe summary (_drill_probe.summarize).

``drill_result`` gives the dict written to ``<drill>.json`` (benchmarks/report.py reads it);
``outcome_problems`` says what went wrong with the outcome (never a timing). Pure functions, stdlib only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Client-side goals of the error window, seconds: {goal: {profile: seconds}}, "other" for every other profile.
GOALS = {
    "graceful": {"fast": 0.3, "other": 1.1},
    "crash": {"fast": 0.6, "other": 4.1},
    # A crash that systemd restarts at once.
    "restart": {"fast": 0.1, "other": 0.3},
}
BOUNDS = ("skew", "master_down", "check_skew", "backend_check_handover")
BACKEND_SCRIPT = "chk_backends"
# The partition check (FAULT when no backend answers here and a peer serves).
BACKEND_PEER_SCRIPT = "chk_backends_peer"


class DrillError(ValueError):
    """The recorded data cannot give a drill result."""


def _number(value):
    """1.0 -> 1, 0.1 -> 0.1 (as keepalived.conf spells it)."""
    value = float(value)
    return int(value) if value.is_integer() else value


def _instance(vrrp_info, instance):
    for inst in vrrp_info.get("instances") or []:
        if inst.get("name") == instance:
            return inst
    raise DrillError("%s reports no VRRP instance %s (instances: %s)" % (
        vrrp_info.get("hostname", "a load balancer"), instance,
        ", ".join(i.get("name", "?") for i in vrrp_info.get("instances") or []) or "none"))


def timers(master_info, backup_info, instance, check_script):
    """VRRP and check timers of the drilled instance as the master runs them, and the backup's priority.

    The scripts come from the text dump (vrrp_info dump_format=data); a script that does not run counts 0.
    """
    master = _instance(master_info, instance)
    backup = _instance(backup_info, instance)
    scripts = dict((s.get("name"), s) for s in master_info.get("scripts") or [])
    check = scripts.get(check_script) or {}
    backend = scripts.get(BACKEND_SCRIPT) or {}
    if master.get("advert_int") is None or backup.get("base_priority") is None:
        raise DrillError("the VRRP dump of instance %s lacks its advert interval or priority: read it with "
                         "vrrp_info dump_format=data" % instance)
    return {
        "vrrp_version": master.get("vrrp_version") or 2,
        "advert_int": _number(master["advert_int"]),
        "check_interval": _number(check.get("interval") or 0),
        "check_fall": int(check.get("fall") or 1),
        "backend_check_interval": _number(backend.get("interval") or 0),
        "backend_peer_check": BACKEND_PEER_SCRIPT in scripts,
        "priority": master.get("base_priority"),
        "nopreempt": bool(master.get("nopreempt")),
        "backup_priority": backup["base_priority"],
    }


def expectations(bound, goal, timers_, profile, goal_failed=None):
    """The drill's VRRP bound and client goal (seconds) from its kinds, the timers and the profile."""
    advert = float(timers_["advert_int"])
    skew = (256 - int(timers_["backup_priority"])) / 256.0 * advert
    master_down = 3 * advert + skew
    check = float(timers_["check_interval"]) * float(timers_["check_fall"])
    backend_check = float(timers_["backend_check_interval"]) * float(timers_["check_fall"])
    bounds = {
        "skew": skew,
        "master_down": master_down,
        "check_skew": check + skew,
        # With the partition check the cut-off master enters FAULT (a priority-0 advert): the skew time after
        # detection. Weighted only, the backup discards the master's lower-priority adverts and waits out its
        # master-down timer.
        "backend_check_handover": backend_check + (skew if timers_.get("backend_peer_check") else master_down),
    }
    if bound is not None and bound not in bounds:
        raise DrillError("unknown VRRP bound %r; allowed: %s" % (bound, ", ".join(BOUNDS)))
    goals = dict((name, by_profile.get(profile, by_profile["other"])) for name, by_profile in GOALS.items())
    # A frozen or partitioned master is found by the polled check, then hands over like a graceful stop.
    goals["polled"] = round(check + goals["graceful"], 2)
    if goal is not None and goal not in goals:
        raise DrillError("unknown goal %r; allowed: %s" % (goal, ", ".join(sorted(goals))))
    out = {
        "vrrp_bound_s": round(bounds[bound], 3) if bound else None,
        "goal_error_window_s": float(goals[goal]) if goal else None,
    }
    if goal_failed is not None:
        out["goal_failed"] = int(goal_failed)
    return out


def _since(lines, since):
    """Lines whose first word, an epoch time, is at least ``since``."""
    kept = []
    for line in lines:
        try:
            if float(line.split()[0]) >= since:
                kept.append(line)
        except (ValueError, IndexError):
            continue
    return kept


def transitions(fifo_logs, journals, instance, since):
    """State changes of ``instance`` per host from ``since`` on, from the notify FIFO logs when every host has
    some there, else from the journals (``journalctl -o short-unix``).

    Returns (source, [lines per host]); source is ``notify FIFO`` or ``journal``.
    """
    fifo = [[line for line in _since(lines, since) if ('INSTANCE "%s" ' % instance) in line] for lines in fifo_logs]
    if fifo and min(len(lines) for lines in fifo) > 0:
        return "notify FIFO", fifo
    pattern = re.compile(r"[(]%s[)] Entering [A-Z]+ STATE" % re.escape(instance))
    return "journal", [[line for line in _since(lines, since) if pattern.search(line)] for lines in journals]


def master_times(lines, instance, since, until=None):
    """Times of the MASTER entries among one host's state-change lines, since <= t < until."""
    pattern = re.compile(r'(INSTANCE "%s" MASTER |Entering MASTER STATE)' % re.escape(instance))
    times = []
    for line in lines:
        if not pattern.search(line):
            continue
        try:
            t = float(line.split()[0])
        except (ValueError, IndexError):
            continue
        if t >= since and (until is None or t < until):
            times.append(t)
    return times


def drill_result(drill, summary, timers_, expected, state_changes, profile, return_holder,
                 split_brain=None, dead_backend=None):
    """The drill's result, as written to <drill>.json.

    drill: {name, fault_host, t_fault, t_recover}; summary: probe summary with phases; expected: the output of
    expectations(); state_changes: the output of transitions() for [master, backup]; split_brain / dead_backend:
    what the checks reported (None when the drill has no such check).
    """
    t_fault = float(drill["t_fault"])
    t_recover = float(drill["t_recover"])
    instance = drill["instance"]
    source, (master_lines, backup_lines) = state_changes
    takeover = master_times(backup_lines, instance, t_fault, t_recover)
    back = master_times(master_lines, instance, t_recover)
    fault = summary["phases"]["fault"]
    result = {
        "drill": drill["name"],
        "fault_host": drill["fault_host"],
        "t_fault": t_fault,
        "t_recover": t_recover,
        "takeover_s": round(takeover[0] - t_fault, 3) if takeover else None,
        "master_back_s": round(back[0] - t_recover, 3) if back else None,
        "error_window_s": fault["error_window_s"],
        "failed": fault["failed"],
        "error_reasons": fault["error_reasons"],
        "recovery_failed": summary["phases"]["recovery"]["failed"],
        "recovery_error_window_s": summary["phases"]["recovery"]["error_window_s"],
        "requests": summary["requests"],
        "baseline_failed": summary["phases"]["baseline"]["failed"],
        "load_balancers_during_fault": fault["load_balancers"],
        "split_brain_reported": split_brain,
        "dead_backend_reported": dead_backend,
        "transitions_from": source,
        "transitions_master": master_lines,
        "transitions_backup": backup_lines,
        "profile": profile,
        "nopreempt": timers_["nopreempt"],
        "return_holder": return_holder,
        "timers": dict(timers_),
    }
    result.update(expected)
    return result


def outcome_problems(result, fault, master, backup_name):
    """What the drill's outcome lacks (empty when right). Timings are never judged.

    fault: the drill's description (moves, stays, checks: split_brain / dead_backend); master: the drilled
    master's inventory name; backup_name: the backup's X-Load-Balancer name. Client-side timeouts are left
    out of "no request lost": on a loaded machine a short probe timeout says nothing about the fault.
    """
    problems = []
    if fault.get("moves"):
        if result["takeover_s"] is None:
            problems.append("the backup never became MASTER")
        if backup_name not in result["load_balancers_during_fault"]:
            problems.append("the backup %s served no request during the fault (served by %s)"
                            % (backup_name, result["load_balancers_during_fault"]))
    if fault.get("stays") and result["takeover_s"] is not None:
        problems.append("the backup became MASTER %s s after the fault, the VIP must stay" % result["takeover_s"])
    if "split_brain" in fault.get("checks", []) and not result["split_brain_reported"]:
        problems.append("the split brain was not reported by the VIP owner check")
    if "dead_backend" in fault.get("checks", []):
        lost = sum(n for reason, n in result["error_reasons"].items() if reason != "timeout")
        if lost:
            problems.append("%d requests were lost to the dead backend (%s)" % (lost, result["error_reasons"]))
        if not result["dead_backend_reported"]:
            problems.append("the weights check did not name the dead backend")
    if result["return_holder"] != master and result["master_back_s"] is not None:
        problems.append("the old master took the VIP back %s s after the recovery despite nopreempt"
                        % result["master_back_s"])
    return problems


def report(result, master, interval_s):
    """The drill's result in a few lines for the operator."""
    timers_ = result["timers"]
    lines = [
        "drill %s on %s (profile %s, VRRP v%s, advert_int %s s): %s requests every %d ms" % (
            result["drill"], result["fault_host"], result["profile"], timers_["vrrp_version"],
            timers_["advert_int"], result["requests"], int(round(interval_s * 1000))),
        "  backup MASTER after the fault: %s s (VRRP bound %s s)" % (
            "no takeover" if result["takeover_s"] is None else result["takeover_s"], result["vrrp_bound_s"]),
        "  client errors: %s failed, window %s s (goal %s s) %s" % (
            result["failed"], result["error_window_s"], result["goal_error_window_s"], result["error_reasons"]),
        "  served during the fault by: %s" % result["load_balancers_during_fault"],
    ]
    if result["return_holder"] != master:
        back = "the VIP stays on %s (nopreempt)," % result["return_holder"]
    else:
        back = "master MASTER again after %s s," % result["master_back_s"]
    lines.append("  recovery: %s %s failed (%s s)" % (back, result["recovery_failed"], result["recovery_error_window_s"]))
    if result["split_brain_reported"]:
        lines.append("  split brain reported: %s" % result["split_brain_reported"])
    return lines


REQUIRED = ("drill", "fault", "summary", "vrrp_info", "fifo_logs", "journals", "profile", "return_holder",
            "master", "backup_name")


def evaluate(inputs):
    """Everything a drill reports, from what it recorded: {timers, result, problems, report}.

    inputs: drill {name, instance, fault_host, t_fault, t_recover}, fault (the fault file's description:
    bound, goal, goal_failed, moves, stays, checks), summary (probe summary), vrrp_info [master, backup]
    (vrrp_info results, text dump), fifo_logs and journals ([master lines, backup lines]), profile,
    return_holder, master, backup_name, optional split_brain, dead_backend, check_script (chk_nginx),
    interval_s (0.02).
    """
    missing = [key for key in REQUIRED if key not in inputs]
    if missing:
        raise DrillError("drill_result needs %s" % ", ".join(missing))
    drill, fault = inputs["drill"], inputs["fault"]
    master_info, backup_info = inputs["vrrp_info"]
    timers_ = timers(master_info, backup_info, drill["instance"], inputs.get("check_script", "chk_nginx"))
    expected = expectations(fault.get("bound"), fault.get("goal"), timers_, inputs["profile"],
                            fault.get("goal_failed"))
    # From a second before the fault, as recorded (the clocks of a container lab are one).
    state_changes = transitions(inputs["fifo_logs"], inputs["journals"], drill["instance"],
                                float(drill["t_fault"]) - 1)
    checks = fault.get("checks", [])
    result = drill_result(
        drill, inputs["summary"], timers_, expected, state_changes, inputs["profile"], inputs["return_holder"],
        split_brain=(inputs.get("split_brain") or "") if "split_brain" in checks else None,
        dead_backend=(inputs.get("dead_backend") or "") if "dead_backend" in checks else None)
    return {
        "timers": timers_,
        "result": result,
        "problems": outcome_problems(result, fault, inputs["master"], inputs["backup_name"]),
        "report": report(result, inputs["master"], float(inputs.get("interval_s", 0.02))),
    }
