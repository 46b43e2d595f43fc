# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every place that names the drills names the ones that exist: a fault file in roles/drill/tasks/faults with
its recovery in roles/drill/tasks/recover, and an optional preparation in tasks/prepare (make bench, the AWX survey, molecule/master_backup)."""

from __future__ import absolute_import, division, print_function

import os
import sys

import yaml

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TASKS = os.path.join(ROOT, "roles", "drill", "tasks")


def _names(folder):
    return set(n[:-4] for n in os.listdir(os.path.join(TASKS, folder)) if n.endswith(".yml"))


def test_every_fault_has_a_recovery():
    assert _names("faults") == _names("recover")
    assert len(_names("faults")) >= 8
    assert _names("prepare") <= _names("faults")


def test_bench_runs_every_drill():
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import run  # noqa: E402 pylint: disable=import-error,import-outside-toplevel
    finally:
        sys.path.pop(0)
    assert set(run.DRILLS) == _names("faults")


def test_awx_survey_offers_every_drill():
    with open(os.path.join(ROOT, "awx", "job_templates.yml")) as handle:
        text = handle.read()
    assert "playbook: playbooks/drill.yml" in text
    data = yaml.safe_load(text)
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("variable") == "drill_name":
                found.append(set(node["choices"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    assert found == [_names("faults")]


def test_molecule_drills_every_fault():
    with open(os.path.join(ROOT, "molecule", "master_backup", "verify.yml")) as handle:
        plays = yaml.safe_load(handle)
    drilled = set(p["vars"]["drill_name"] for p in plays if "drill.yml" in p.get("ansible.builtin.import_playbook", ""))
    assert drilled == _names("faults")
