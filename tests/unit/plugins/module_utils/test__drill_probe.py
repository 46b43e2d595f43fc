# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Probe summaries of recorded drill probe logs (make bench, lab, keepalived 2.2.4, issue 12's drills).

Each fixture pair is <profile>-<drill>.probe.jsonl.gz (the probe's log) and <profile>-<drill>.json (the drill
result written by the drill playbook of that run, whose client-side numbers came from the same log).
fixtures/probe/*.jsonl are probe records captured in molecule/operations (a stall, a drain's VIP move).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import json
import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_probe import (
    failure_stats,
    moves,
    parse_log,
    summarize,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "drills")
OPERATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "probe")
RECORDED = sorted(name[:-len(".probe.jsonl.gz")] for name in os.listdir(FIXTURES) if name.endswith(".probe.jsonl.gz"))


def load(name):
    with gzip.open(os.path.join(FIXTURES, name + ".probe.jsonl.gz"), "rt") as handle:
        log = handle.read()
    with open(os.path.join(FIXTURES, name + ".json")) as handle:
        return log, json.load(handle)


def test_fixtures_present():
    assert len(RECORDED) >= 8


@pytest.mark.parametrize("name", RECORDED)
def test_summary_matches_the_recorded_drill_result(name):
    log, result = load(name)
    summary = summarize(parse_log(log), result["t_fault"], result["t_recover"])
    fault = summary["phases"]["fault"]
    assert summary["requests"] == result["requests"]
    assert fault["failed"] == result["failed"]
    assert fault["error_window_s"] == result["error_window_s"]
    assert fault["error_reasons"] == result["error_reasons"]
    assert fault["load_balancers"] == result["load_balancers_during_fault"]
    assert summary["phases"]["baseline"]["failed"] == result["baseline_failed"]
    assert summary["phases"]["recovery"]["failed"] == result["recovery_failed"]
    assert summary["phases"]["recovery"]["error_window_s"] == result["recovery_error_window_s"]
    phases = summary["phases"]
    assert sum(p["requests"] for p in phases.values()) == summary["requests"]


def test_hung_master_is_served_by_the_backup_after_timeouts():
    log, result = load("standard-nginx_hung")
    summary = summarize(parse_log(log), result["t_fault"], result["t_recover"])
    assert summary["lb_before"] == "lb1"
    assert summary["first_other_lb"] == "lb2"
    assert result["t_fault"] < summary["first_other_lb_t"] < result["t_recover"]
    assert summary["phases"]["fault"]["error_reasons"] == {"timeout": 7}
    # The window runs from the first failed request's send time to the last one's end (its 0.5 s timeout).
    assert summary["phases"]["fault"]["first_error_t"] < summary["phases"]["fault"]["last_error_t"]
    assert summary["latency_ms_p50"] <= summary["latency_ms_max"]


def test_restarted_nginx_keeps_the_master_serving():
    log, result = load("standard-nginx_restart")
    summary = summarize(parse_log(log), result["t_fault"], result["t_recover"])
    assert summary["first_other_lb"] is None
    assert set(summary["phases"]["fault"]["load_balancers"]) == {"lb1"}
    assert "ConnectionRefusedError" in summary["phases"]["fault"]["error_reasons"]


def test_whole_log_without_phases():
    log, result = load("fast-nginx_dead")
    summary = summarize(parse_log(log))
    assert "phases" not in summary
    assert summary["requests"] == summary["succeeded"] + summary["failed"] == result["requests"]
    assert set(summary["load_balancers"]) == {"lb1", "lb2"}


def test_truncated_and_empty_lines_are_skipped():
    log, result = load("standard-nginx_dead")
    cut = log + '{"i": 99999, "t": 1796140300.1, "ms": 2'
    assert len(parse_log(cut)) == result["requests"]
    assert parse_log("") == []
    assert parse_log("\n\nnot json\n[1, 2]\n") == []


def test_no_failure_has_a_zero_window():
    stats = failure_stats([])
    assert stats == {"failed": 0, "error_reasons": {}, "error_window_s": 0.0, "first_error_t": None,
                     "last_error_t": None}
    assert failure_stats([{"t": 10.0, "ms": 500.0, "error": "timeout"}])["error_window_s"] == 0.5


def _operation(name):
    with open(os.path.join(OPERATIONS, name)) as handle:
        return parse_log(handle.read())


def test_a_stall_without_a_vip_move_is_a_failure_run_not_a_move():
    # Captured at a load average of 79 on 2 cores: lb1 kept the VIP, three requests in a row took over 2 s.
    summary = summarize(_operation("stall-no-move.jsonl"))
    assert (summary["requests"], summary["failed"], summary["lb_changes"], summary["longest_failure_run"]) == (26, 3, 0, 3)
    assert summary["load_balancers"] == {"lb1": 23}
    assert summary["backends"] == {"web1": 7, "web2": 16}


def test_phases_count_backends_moves_and_failure_runs():
    records = _operation("stall-no-move.jsonl")
    summary = summarize(records, since=records[10]["t"], recover=records[13]["t"])
    fault = summary["phases"]["fault"]
    assert (fault["requests"], fault["failed"], fault["longest_failure_run"], fault["backends"]) == (3, 3, 3, {})
    baseline = summary["phases"]["baseline"]
    assert (baseline["requests"], baseline["failed"], baseline["lb_changes"]) == (10, 0, 0)
    assert sum(baseline["backends"].values()) == 10


def test_a_change_of_the_answering_load_balancer_is_a_move():
    records = _operation("stall-no-move.jsonl")
    moved = [dict(r, lb="lb2") if "lb" in r and r["i"] > 10840 else r for r in records]
    assert moves(moved) == {"lb_changes": 1, "longest_failure_run": 3}
    assert moves([]) == {"lb_changes": 0, "longest_failure_run": 0}


def test_a_drain_moves_the_vip_once_and_loses_at_most_the_request_in_flight():
    # Captured while package -> source drained lb1: the VIP moved to lb2, the request in flight timed out (2 s).
    summary = summarize(_operation("drain-move.jsonl"))
    assert (summary["requests"], summary["failed"], summary["lb_changes"], summary["longest_failure_run"]) == (25, 1, 1, 1)
    assert summary["load_balancers"] == {"lb1": 10, "lb2": 14}
    assert summary["failed"] <= summary["lb_changes"]
