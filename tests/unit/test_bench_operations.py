# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""benchmarks/operations.py: the operations table, fed the probe summary of records captured in molecule/operations;
roles/drill/files/watch_versions.py: the mixed-version window of a version roll."""

from __future__ import absolute_import, division, print_function

import os
import sys

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_probe import parse_log, summarize

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "unit", "fixtures", "probe")
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
sys.path.insert(0, os.path.join(ROOT, "roles", "drill", "files"))

import operations  # noqa: E402
import watch_versions  # noqa: E402


def test_the_bench_operations_tables_show_each_operation_and_vip_from_its_probe_summary():
    with open(os.path.join(FIXTURES, "stall-no-move.jsonl")) as handle:
        summary = summarize(parse_log(handle.read()))
    op = {"name": "upgrade_2.3.3", "vip": "198.18.74.183", "rc": 0, "seconds": 512.3, "requests": summary["requests"],
          "failed": summary["failed"], "error_window_s": summary["error_window_s"],
          "load_balancers": summary["load_balancers"], "vip_moves": summary["lb_changes"]}
    probe = {"probe_interval_s": 0.02, "probe_timeout_s": 0.5}
    results = {"operations": {
        "standard": dict(probe, rc=0, config={"playbook": "master_backup.yml"}, vips=["198.18.74.183"],
                         operations=[op, dict(op, name="no_change", rc=2)]),
        "dual_master_fast": dict(probe, rc=0, config={"playbook": "dual_master.yml", "keepalived_profile": "fast"},
                                 vips=["198.18.74.183", "198.18.74.184"],
                                 operations=[op, dict(op, vip="198.18.74.184")]),
        "broken": {"rc": 2, "log": "operations-broken.log", "config": {}}}}
    lines = operations.section(results)
    standard = lines.index("### standard")
    dual = lines.index("### dual_master_fast")
    broken = lines.index("### broken")
    # One VIP: no VIP column; several: a row per operation and VIP.
    assert "| upgrade_2.3.3 | 512.3 | 26 | 3 | 6.106 | lb1 23 | 0 |" in lines[standard:dual]
    assert "| no_change (rc 2) | 512.3 | 26 | 3 | 6.106 | lb1 23 | 0 |" in lines[standard:dual]
    assert "| upgrade_2.3.3 | 198.18.74.184 | 512.3 | 26 | 3 | 6.106 | lb1 23 | 0 |" in lines[dual:broken]
    assert "Deployed with keepalived_profile=fast, playbook=dual_master.yml." in lines[dual:broken]
    assert "Not measured (rc 2); see operations-broken.log." in lines[broken:]
    assert operations.failed(results) is True
    assert operations.failed({"operations": {"standard": results["operations"]["standard"]}}) is False
    assert operations.section({}) == []


def _sample(t, lb1, lb2, holder="op-lb1"):
    return {"t": t, "op-lb1": {"version": lb1, "vip": holder == "op-lb1"},
            "op-lb2": {"version": lb2, "vip": holder == "op-lb2"}}


def test_a_version_roll_runs_both_releases_half_way_each_holding_the_vip():
    # lb2 (no VIP) is rebuilt first, then lb1 is drained (lb2 holds the VIP), rebuilt and takes the VIP back.
    samples = [_sample(1.0, "2.2.7", "2.2.7"), _sample(2.0, "2.2.7", ""), _sample(3.0, "2.2.7", "2.3.3"),
               _sample(4.0, None, "2.3.3"), _sample(5.0, "2.2.7", "2.3.3", holder="op-lb2"),
               _sample(6.0, "", "2.3.3", holder="op-lb2"), _sample(7.0, "2.3.3", "2.3.3")]
    window = watch_versions.mixed_window(samples, "2.2.7", "2.3.3")
    assert window == {"samples": 6, "mixed_samples": 2, "mixed_from": 3.0, "mixed_to": 5.0,
                      "holder_versions": ["2.2.7", "2.3.3"], "first": {"op-lb1": "2.2.7", "op-lb2": "2.2.7"},
                      "last": {"op-lb1": "2.3.3", "op-lb2": "2.3.3"}}


def test_no_sample_is_no_mixed_window():
    assert watch_versions.mixed_window([], "2.2.7", "2.3.3") == {
        "samples": 0, "mixed_samples": 0, "mixed_from": None, "mixed_to": None, "holder_versions": [],
        "first": {}, "last": {}}
