# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drill outcome and timing, fed recorded drill results (make bench on the lab) and the fault descriptions
of roles/drill/tasks/faults/*.yml as they are."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import json
import os

import pytest
import yaml

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_probe import parse_log, summarize
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_dump import (
    parse_data_dump,
    parse_data_scripts,
)

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_outcome import (
    DrillError,
    evaluate,
    expectations,
    master_times,
    outcome_problems,
    timers,
    transitions,
)

HERE = os.path.dirname(__file__)
FIXTURES = os.path.join(HERE, "..", "..", "fixtures", "drills")
DUMPS = os.path.join(HERE, "..", "..", "fixtures", "keepalived")
FAULTS = os.path.join(HERE, "..", "..", "..", "..", "roles", "drill", "tasks", "faults")
RECORDED = sorted(name[:-len(".json")] for name in os.listdir(FIXTURES)
                  if name.endswith(".json") and not name.startswith("vrrp_info"))


def recorded(name):
    with open(os.path.join(FIXTURES, name + ".json")) as handle:
        return json.load(handle)


def fault(drill):
    """The description (the set_fact __drill_fault) at the top of the drill's fault file."""
    with open(os.path.join(FAULTS, drill + ".yml")) as handle:
        tasks = yaml.safe_load(handle)
    return tasks[0]["ansible.builtin.set_fact"]["__drill_fault"]


def test_every_fault_file_describes_itself():
    names = sorted(n[:-4] for n in os.listdir(FAULTS) if n.endswith(".yml"))
    assert names == ["backend_dead", "backend_partition", "crash", "graceful", "nginx_dead", "nginx_hung",
                     "nginx_restart", "vrrp_cut"]
    timers_ = recorded("standard-nginx_hung")["timers"]
    for name in names:
        desc = fault(name)
        assert desc["target"] in ("master", "backend"), name
        assert desc["outcome"], name
        assert not (desc.get("moves") and desc.get("stays")), name
        expectations(desc.get("bound"), desc.get("goal"), timers_, "standard", desc.get("goal_failed"))


@pytest.mark.parametrize("name", RECORDED)
def test_bounds_and_goals_match_the_recorded_run(name):
    result = recorded(name)
    desc = fault(result["drill"])
    out = expectations(desc.get("bound"), desc.get("goal"), result["timers"], result["profile"])
    assert out["vrrp_bound_s"] == result["vrrp_bound_s"]
    assert out["goal_error_window_s"] == result["goal_error_window_s"]


def test_bounds_by_profile():
    standard = {"advert_int": 1, "backup_priority": 100, "check_interval": 2, "check_fall": 2,
                "backend_check_interval": 1}
    fast = dict(standard, advert_int=0.1, check_interval=1, check_fall=1)
    # skew = (256 - 100) / 256 x advert_int; master down = 3 x advert_int + skew.
    assert expectations("skew", "graceful", standard, "standard")["vrrp_bound_s"] == 0.609
    crash = {"vrrp_bound_s": 3.609, "goal_error_window_s": 4.1}
    assert expectations("master_down", "crash", standard, "standard") == crash
    hung = {"vrrp_bound_s": 4.609, "goal_error_window_s": 5.1}
    assert expectations("check_skew", "polled", standard, "standard") == hung
    hung_fast = {"vrrp_bound_s": 1.061, "goal_error_window_s": 1.3}
    assert expectations("check_skew", "polled", fast, "fast") == hung_fast
    # Weighted only: detection, then the backup's master-down timer; with the partition check: the skew time.
    assert expectations("backend_check_handover", "polled", fast, "fast")["vrrp_bound_s"] == 1.361
    partition = dict(fast, backend_peer_check=True)
    assert expectations("backend_check_handover", "polled", partition, "fast")["vrrp_bound_s"] == 1.061
    assert expectations(None, None, fast, "nopreempt") == {"vrrp_bound_s": None, "goal_error_window_s": None}
    assert expectations(None, None, fast, "fast", goal_failed=0)["goal_failed"] == 0
    with pytest.raises(DrillError, match="unknown VRRP bound 'soon'"):
        expectations("soon", None, fast, "fast")
    with pytest.raises(DrillError, match="unknown goal 'zero'; allowed: crash, graceful, polled, restart"):
        expectations(None, "zero", fast, "fast")


@pytest.mark.parametrize("name", RECORDED)
def test_takeover_and_return_times_match_the_recorded_run(name):
    result = recorded(name)
    source, (master, backup) = transitions(
        [result["transitions_master"], result["transitions_backup"]], [[], []], "VI_1", result["t_fault"] - 1)
    assert source == result["transitions_from"]
    assert (master, backup) == (result["transitions_master"], result["transitions_backup"])
    takeover = master_times(backup, "VI_1", result["t_fault"], result["t_recover"])
    back = master_times(master, "VI_1", result["t_recover"])
    assert (round(takeover[0] - result["t_fault"], 3) if takeover else None) == result["takeover_s"]
    assert (round(back[0] - result["t_recover"], 3) if back else None) == result["master_back_s"]


def test_journal_is_the_fallback_without_fifo_lines():
    journal = [
        "1796140264.9 lb2 Keepalived_vrrp[77]: (VI_1) Entering MASTER STATE",
        "1796140264.9 lb2 Keepalived_vrrp[77]: (VI_10) Entering MASTER STATE",
        "1796140200.0 lb2 Keepalived_vrrp[77]: (VI_1) Entering BACKUP STATE",
        "-- No entries --",
    ]
    source, (master, backup) = transitions([[], ['1796140264.9 INSTANCE "VI_1" MASTER 100']], [[], journal],
                                           "VI_1", 1796140262.0)
    assert source == "journal"
    assert master == [] and backup == [journal[0]]
    assert master_times(backup, "VI_1", 1796140262.0) == [1796140264.9]


@pytest.mark.parametrize("name", RECORDED)
def test_recorded_outcomes_are_right(name):
    result = recorded(name)
    assert outcome_problems(result, fault(result["drill"]), "lb1", "lb2") == []


def test_wrong_outcomes_are_named():
    hung = recorded("standard-nginx_hung")
    no_takeover = dict(hung, takeover_s=None, load_balancers_during_fault={"lb1": 3})
    assert outcome_problems(no_takeover, fault("nginx_hung"), "lb1", "lb2") == [
        "the backup never became MASTER",
        "the backup lb2 served no request during the fault (served by {'lb1': 3})",
    ]
    restart = dict(recorded("standard-nginx_restart"), takeover_s=1.2)
    assert outcome_problems(restart, fault("nginx_restart"), "lb1", "lb2") == [
        "the backup became MASTER 1.2 s after the fault, the VIP must stay"]
    dead = dict(restart, takeover_s=None, drill="backend_dead", dead_backend_reported="",
                error_reasons={"timeout": 2, "HTTP 502": 1})
    assert outcome_problems(dead, fault("backend_dead"), "lb1", "lb2") == [
        "1 requests were lost to the dead backend ({'timeout': 2, 'HTTP 502': 1})",
        "the weights check did not name the dead backend",
    ]
    cut = dict(hung, drill="vrrp_cut", split_brain_reported="")
    assert outcome_problems(cut, fault("vrrp_cut"), "lb1", "lb2") == [
        "the split brain was not reported by the VIP owner check"]
    kept = dict(hung, return_holder="lb2", master_back_s=0.5)
    assert "despite nopreempt" in outcome_problems(kept, fault("nginx_hung"), "lb1", "lb2")[0]


def vrrp_info(dump):
    """What vrrp_info dump_format=data returns for a recorded keepalived 2.2.7 text dump."""
    with open(os.path.join(DUMPS, "keepalived-2.2.7-debian12-%s.data" % dump)) as handle:
        text = handle.read()
    return {"hostname": dump, "instances": parse_data_dump(text), "scripts": parse_data_scripts(text)}


def test_timers_from_the_text_dumps():
    got = timers(vrrp_info("master-fault"), vrrp_info("backup"), "VI_1", "chk_nginx")
    assert got == {"vrrp_version": 2, "advert_int": 1, "check_interval": 1, "check_fall": 2,
                   "backend_check_interval": 0, "backend_peer_check": False, "priority": 150, "nopreempt": False, "backup_priority": 100}
    with pytest.raises(DrillError, match="reports no VRRP instance VI_9 .instances: VI_1, VI_2"):
        timers(vrrp_info("master-fault"), vrrp_info("backup"), "VI_9", "chk_nginx")


def test_evaluate_a_recorded_drill():
    result = recorded("standard-nginx_hung")
    with gzip.open(os.path.join(FIXTURES, "standard-nginx_hung.probe.jsonl.gz"), "rt") as handle:
        summary = summarize(parse_log(handle.read()), result["t_fault"], result["t_recover"])
    inputs = {
        "drill": {"name": "nginx_hung", "instance": "VI_1", "fault_host": "lb1",
                  "t_fault": result["t_fault"], "t_recover": result["t_recover"]},
        "fault": fault("nginx_hung"),
        "summary": summary,
        "vrrp_info": [vrrp_info("master-fault"), vrrp_info("backup")],
        "fifo_logs": [["1796140000.0 INSTANCE \"VI_1\" MASTER 110"] + result["transitions_master"],
                      result["transitions_backup"]],
        "journals": [[], []],
        "profile": "standard",
        "return_holder": "lb1",
        "master": "lb1",
        "backup_name": "lb2",
        "split_brain": "ignored: not a check of this drill",
    }
    out = evaluate(inputs)
    assert out["problems"] == []
    # The same keys as the drill JSON that benchmarks/report.py reads, the same client-side numbers.
    assert sorted(out["result"]) == sorted(result)
    same = ("takeover_s", "master_back_s", "error_window_s", "failed", "error_reasons", "requests",
            "load_balancers_during_fault", "transitions_master", "transitions_backup", "split_brain_reported")
    assert dict((k, out["result"][k]) for k in same) == dict((k, result[k]) for k in same)
    # Timers from the dumps: check every 1 s, 2 failures; skew (256 - 100) / 256 s.
    assert out["result"]["vrrp_bound_s"] == 2.609
    assert out["report"][1] == "  backup MASTER after the fault: 3.303 s (VRRP bound 2.609 s)"
    with pytest.raises(DrillError, match="drill_result needs backup_name"):
        evaluate(dict((k, v) for k, v in inputs.items() if k != "backup_name"))
