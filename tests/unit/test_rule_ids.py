# -*- coding: utf-8 -*-
"""Every rule has a corpus case, and every case's rule exists.

A rule's id is a ``RULE_* = "id"`` constant of a module in plugins/plugin_utils; its refusal prints ``[id]``. A
corpus case (tests/validation/bad_inputs*.yml) names the id it expects in ``rule:``, and the corpus test checks
that the refusal prints it. A rule without a case could vanish in a refactor unnoticed; a case naming a rule that
is gone tests nothing.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def _rule_ids():
    ids = {}
    for path in glob.glob(os.path.join(ROOT, "plugins", "plugin_utils", "*.py")):
        with open(path) as handle:
            for name, rule in re.findall(r'^(RULE_[A-Z_]+) = "([a-z0-9-]+)"$', handle.read(), re.M):
                assert rule not in ids, "rule id %s is defined twice" % rule
                ids[rule] = "%s in %s" % (name, os.path.basename(path))
    return ids


def _case_rules():
    rules = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "validation", "bad_inputs*.yml"))):
        with open(path) as handle:
            for case in yaml.safe_load(handle):
                if case.get("rule"):
                    rules.setdefault(case["rule"], []).append(case["id"])
    return rules


def test_rule_ids_are_found():
    assert len(_rule_ids()) >= 9


def test_every_rule_has_a_case():
    cases = _case_rules()
    missing = sorted(rule for rule in _rule_ids() if rule not in cases)
    assert missing == [], "rules no corpus case triggers: %s" % missing


def test_every_case_names_a_rule_that_exists():
    rules = _rule_ids()
    unknown = dict((rule, ids) for rule, ids in _case_rules().items() if rule not in rules)
    assert unknown == {}, "corpus cases name rules that do not exist: %s" % unknown
