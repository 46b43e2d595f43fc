# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Probe summaries of recorded drill probe logs (make bench, lab, keepalived 2.2.4, issue 12's drills).

Each fixture pair is <profile>-<drill>.probe.jsonl.gz (the probe's log) and <profile>-<drill>.json (the drill
result written by the drill playbook of that run, whose client-side numbers came from the same log).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import json
import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_probe import (
    failure_stats,
    parse_log,
    summarize,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "drills")
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
