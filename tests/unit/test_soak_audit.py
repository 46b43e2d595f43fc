# -*- coding: utf-8 -*-
"""The soak's audit after a step (benchmarks/soak_audit.py), fed real probe logs (tests/unit/fixtures/probe)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from soak_audit import error_windows, problems  # noqa: E402

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_probe import parse_log  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "probe")
VIP = "198.18.70.183"
STEP = {"step": 12, "kind": "keepalived_kill", "target": "lb1"}


def _records(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return parse_log(handle.read())


def test_a_drain_is_one_window_between_two_load_balancers():
    [window] = error_windows(_records("drain-move.jsonl"))
    assert (window["failed"], window["reasons"], window["before"], window["after"]) == (1, {"timeout": 1}, "lb1", "lb2")
    assert window["start"] == 1796155124.014384 and window["seconds"] == 2.013


def test_a_stall_is_one_window_of_three_requests_on_the_same_load_balancer():
    [window] = error_windows(_records("stall-no-move.jsonl"))
    assert (window["failed"], window["before"], window["after"]) == (3, "lb1", "lb1")
    assert window["seconds"] == round(1796153538.242347 + 2.00303 - 1796153534.139663, 3)


def test_a_takeover_and_a_return_are_two_windows():
    records = [{"t": 0.0, "ms": 1, "lb": "lb1"}, {"t": 1.0, "ms": 500, "error": "timeout"},
               {"t": 1.5, "ms": 1, "lb": "lb2"}, {"t": 5.0, "ms": 300, "error": "refused: [Errno 111]"},
               {"t": 5.3, "ms": 100, "error": "refused: [Errno 111]"}, {"t": 5.5, "ms": 1, "lb": "lb1"}]
    first, second = error_windows(records)
    assert (first["before"], first["after"], first["seconds"]) == ("lb1", "lb2", 0.5)
    assert (second["before"], second["after"], second["failed"], second["reasons"]) == ("lb2", "lb1", 2, {"refused": 2})
    assert second["seconds"] == 0.4
    assert error_windows(records[:2])[0]["after"] is None


def _audit(**changes):
    windows = error_windows(_records("drain-move.jsonl"))
    arguments = dict(step=STEP, windows={VIP: windows}, bounds={VIP: 4.1}, fault_at=1796155124.0,
                     heal_at=1796155125.0, holders={VIP: ["lb1"]}, allowed={VIP: ["lb1"]},
                     failed_units={"lb1": [], "lb2": []}, changed_files={"lb1": []})
    arguments.update(changes)
    return problems(**arguments)


def test_a_step_inside_its_bounds_passes():
    assert _audit() == []


def test_each_broken_rule_is_named():
    assert _audit(bounds={VIP: 1.0}, heal_at=1796155126.5) == [
        "step 12 (keepalived_kill on lb1): VIP 198.18.70.183: an error window of 2.013 s (1 request(s), timeout 1, "
        "lb1 -> lb2) is above the bound of 1.000 s"]
    assert _audit(fault_at=1796155124.5)[0].endswith(
        "1 request(s) failed from 1796155124.014 to 1796155126.027, outside the fault window 1796155124.500 .. "
        "1796155129.100")
    assert _audit(holders={VIP: ["lb1", "lb2"]}) == [
        "step 12 (keepalived_kill on lb1): VIP 198.18.70.183 is held by lb1, lb2 after the settle (exactly one of "
        "lb1 expected)"]
    assert _audit(holders={VIP: []})[0].endswith("is held by no load balancer after the settle (exactly one of lb1 "
                                                 "expected)")
    assert _audit(holders={VIP: ["lb2"]}) == [
        "step 12 (keepalived_kill on lb1): VIP 198.18.70.183 is held by lb2 after the settle, not by lb1"]
    assert _audit(holders={VIP: ["lb2"]}, allowed={VIP: ["lb1", "lb2"]}) == []
    assert _audit(failed_units={"lb2": ["nginx.service"]}) == [
        "step 12 (keepalived_kill on lb1): lb2 has failed units: nginx.service"]
    changed = {"lb1": ["/etc/keepalived/keepalived.conf"]}
    assert _audit(changed_files=changed) == [
        "step 12 (keepalived_kill on lb1): lb1 changed /etc/keepalived/keepalived.conf, which this step must not change"]
    assert _audit(changed_files=changed, step=dict(STEP, kind="during_roll")) == []
