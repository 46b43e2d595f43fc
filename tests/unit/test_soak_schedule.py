# -*- coding: utf-8 -*-
"""The soak's seeded schedule (benchmarks/soak_schedule.py): reproducible, resumable, every kind its share."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
import os
import sys

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

import soak_schedule  # noqa: E402
from soak_schedule import COMPOUND, KINDS, SINGLE, ScheduleError, steps  # noqa: E402

MEMBERS, BACKENDS = ["lb1", "lb2"], ["web1", "web2"]


def test_a_seed_gives_one_schedule_and_another_seed_another():
    first = steps(7, 0, 60, members=MEMBERS, backends=BACKENDS)
    assert first == steps(7, 0, 60, members=MEMBERS, backends=BACKENDS)
    assert first != steps(8, 0, 60, members=MEMBERS, backends=BACKENDS)
    assert [step["step"] for step in first] == list(range(60))


def test_a_run_resumes_at_any_step():
    whole = steps(7, 0, 100, members=MEMBERS, backends=BACKENDS)
    assert steps(7, 37, 63, members=MEMBERS, backends=BACKENDS) == whole[37:]
    assert steps(7, 99, 1, members=MEMBERS, backends=BACKENDS) == whole[99:]


def test_every_kind_gets_a_step_in_each_block():
    block = 2 * len(KINDS)
    schedule = steps(3, 0, 5 * block, members=MEMBERS, backends=BACKENDS)
    for number in range(5):
        kinds = collections.Counter(step["kind"].split(":")[0] for step in schedule[number * block:(number + 1) * block])
        assert set(kinds) == set(KINDS), number
    # A subset of kinds: only those, each in every block of twice their number.
    chosen = ["nginx_kill", "partition", "overlap"]
    some = steps(3, 0, 30, kinds=chosen, members=MEMBERS)
    assert set(step["kind"].split(":")[0] for step in some) == set(chosen)
    for number in range(5):
        assert set(step["kind"].split(":")[0] for step in some[number * 6:(number + 1) * 6]) == set(chosen)


def test_each_step_is_inside_its_kind_s_ranges():
    for step in steps(11, 0, 400, members=MEMBERS, backends=BACKENDS):
        kind = step["kind"].split(":")[-1] if step["kind"].startswith("overlap:") else step["kind"]
        if kind in SINGLE:
            hold, level = SINGLE[kind]
            assert hold[0] <= step["hold_s"] <= hold[1], step
            assert step["target"] in (BACKENDS if kind == "backend_stop" else MEMBERS), step
            assert ("level" in step) == bool(level) and (not level or level[0] <= step["level"] <= level[1]), step
        if step["kind"].startswith("overlap:"):
            assert step["inner"]["kind"] in SINGLE and 0.5 <= step["offset_s"] <= max(step["hold_s"] - 0.5, 0.5)
        elif step["kind"] in COMPOUND:
            assert step["inner"]["kind"] in SINGLE and step["inner"]["kind"] != "cpu_starve"
            assert 1.0 <= step["offset_s"] <= 20.0 and step["target"] in MEMBERS


def test_without_backends_no_backend_fault_is_drawn_but_asking_for_one_is_refused():
    kinds = set(step["inner"]["kind"] for step in steps(5, 0, 300, kinds=["overlap", "during_drain"], members=MEMBERS))
    assert "backend_stop" not in kinds
    with pytest.raises(ScheduleError, match="fault backend_stop needs a backend; none given"):
        steps(5, 0, 4, kinds=["backend_stop"], members=MEMBERS)


def test_bad_requests_are_refused_naming_what_is_allowed():
    with pytest.raises(ScheduleError, match=r"unknown fault kinds nginx_explode; allowed: keepalived_stop, "):
        steps(1, 0, 1, kinds=["nginx_kill", "nginx_explode"], members=MEMBERS)
    with pytest.raises(ScheduleError, match="no load balancer"):
        steps(1, 0, 1)
    with pytest.raises(ScheduleError, match="start and count must be >= 0"):
        steps(1, -1, 1, members=MEMBERS)


def test_the_command_prints_json_lines(capsys):
    assert soak_schedule.main(["--seed", "7", "--start", "2", "--count", "3", "--members", "lb1,lb2"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert printed == steps(7, 2, 3, members=MEMBERS)
    assert soak_schedule.main(["--seed", "7", "--count", "1", "--members", "lb1", "--kinds", "bogus"]) == 2
    assert "unknown fault kinds bogus" in capsys.readouterr().err
