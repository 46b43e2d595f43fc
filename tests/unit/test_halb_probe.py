# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/files/halb_probe.py summaries, fed probe records captured in molecule/operations."""

from __future__ import absolute_import, division, print_function

import os
import sys

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "unit", "fixtures", "probe")
sys.path.insert(0, os.path.join(ROOT, "playbooks", "files"))

import halb_probe  # noqa: E402


def _records(name):
    return halb_probe.read_log(os.path.join(FIXTURES, name))


def test_a_stall_without_a_vip_move_is_a_failure_run_not_a_move():
    # Captured at a load average of 79 on 2 cores: lb1 kept the VIP, three requests in a row took over 2 s.
    records = _records("stall-no-move.jsonl")
    summary = halb_probe.summarize_records(records)
    assert (summary["requests"], summary["failed"], summary["lb_changes"], summary["longest_failure_run"]) == (26, 3, 0, 3)
    assert summary["load_balancers"] == {"lb1": 23}
    assert summary["backends"] == {"web1": 7, "web2": 16}


def test_phases_count_backends_moves_and_failure_runs():
    records = _records("stall-no-move.jsonl")
    stall = records[10]["t"]
    summary = halb_probe.summarize_records(records, since=stall, recover=records[13]["t"])
    fault = summary["phases"]["fault"]
    assert (fault["requests"], fault["failed"], fault["longest_failure_run"], fault["backends"]) == (3, 3, 3, {})
    baseline = summary["phases"]["baseline"]
    assert (baseline["requests"], baseline["failed"], baseline["lb_changes"]) == (10, 0, 0)
    assert sum(baseline["backends"].values()) == 10


def test_a_change_of_the_answering_load_balancer_is_a_move():
    records = _records("stall-no-move.jsonl")
    moved = [dict(r, lb="lb2") if "lb" in r and r["i"] > 10840 else r for r in records]
    assert halb_probe.summarize_records(moved)["lb_changes"] == 1


def test_the_bench_operations_table_shows_each_operation_from_its_probe_summary():
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    import operations  # noqa: E402  (benchmarks/operations.py)

    summary = halb_probe.summarize_records(_records("stall-no-move.jsonl"))
    op = {"name": "upgrade_2.3.3", "rc": 0, "seconds": 512.3, "requests": summary["requests"],
          "failed": summary["failed"], "error_window_s": summary["error_window_s"],
          "load_balancers": summary["load_balancers"], "vip_moves": summary["lb_changes"]}
    results = {"operations": {"rc": 0, "vip": "198.18.80.183", "probe_interval_s": 0.02, "probe_timeout_s": 2,
                              "operations": [op, dict(op, name="no_change", rc=2)]}}
    lines = operations.section(results)
    assert "| upgrade_2.3.3 | 512.3 | 26 | 3 | 6.106 | lb1 23 | 0 |" in lines
    assert "| no_change (rc 2) | 512.3 | 26 | 3 | 6.106 | lb1 23 | 0 |" in lines
    assert operations.failed(results) is False
    assert operations.section({}) == []
    assert operations.section({"operations": {"rc": 2, "log": "operations.log"}})[2] == "Not measured (rc 2); see operations.log."


def test_a_drain_moves_the_vip_once_and_loses_at_most_the_request_in_flight():
    # Captured while package -> source drained lb1: the VIP moved to lb2, the request in flight timed out (2 s).
    summary = halb_probe.summarize_records(_records("drain-move.jsonl"))
    assert (summary["requests"], summary["failed"], summary["lb_changes"], summary["longest_failure_run"]) == (25, 1, 1, 1)
    assert summary["load_balancers"] == {"lb1": 10, "lb2": 14}
    assert summary["failed"] <= summary["lb_changes"]
