# -*- coding: utf-8 -*-
"""Every rule has a case, and every case's rule exists.

A rule's id is a ``RULE_* = "id"`` constant of a module in plugins/plugin_utils or plugins/module_utils, or the
``[id]`` that ends the ``fail_msg`` of a refusing assert in a role's or a playbook's tasks (the drill's request
checks); its refusal prints ``[id]``. A corpus case (tests/validation/bad_inputs*.yml, drill_requests.yml) names
the id it expects in ``rule:``, and the corpus tests check that the refusal prints it. A rule without a case could
vanish in a refactor unnoticed; a case naming a rule that is gone tests nothing.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
# Rules no case can trigger on the corpus hosts (every one is this machine), each with why; unit tests cover them.
WITHOUT_CASE = {
    "keepalived-track-process-namespace": "needs a load balancer in a PID namespace of its own (a container), which "
                                          "the corpus hosts, this machine, may not be",
}
# The id at the end of a refusing assert's message: "... [drill-name]".
_YAML_ID = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\]\s*$")


def _python_rules():
    for folder in ("plugin_utils", "module_utils"):
        for path in sorted(glob.glob(os.path.join(ROOT, "plugins", folder, "*.py"))):
            with open(path) as handle:
                for name, rule in re.findall(r'^(RULE_[A-Z0-9_]+) = "([a-z0-9-]+)"$', handle.read(), re.M):
                    yield rule, "%s in %s/%s" % (name, folder, os.path.basename(path))


def _tasks(items):
    for item in items or []:
        if isinstance(item, dict):
            yield item
            for key in ("block", "rescue", "always", "tasks", "pre_tasks", "post_tasks"):
                yield from _tasks(item.get(key))


def _yaml_rules():
    paths = glob.glob(os.path.join(ROOT, "roles", "*", "tasks", "**", "*.yml"), recursive=True)
    paths += glob.glob(os.path.join(ROOT, "playbooks", "*.yml"))
    for path in sorted(paths):
        with open(path) as handle:
            for task in _tasks(yaml.safe_load(handle)):
                message = (task.get("ansible.builtin.assert") or {}).get("fail_msg")
                match = _YAML_ID.search(message) if isinstance(message, str) else None
                if match:
                    yield match.group(1), "the assert %r in %s" % (task.get("name"), os.path.relpath(path, ROOT))


def _rule_ids():
    ids = {}
    for rule, where in list(_python_rules()) + list(_yaml_rules()):
        assert rule not in ids, "rule id %s is defined twice: %s and %s" % (rule, ids[rule], where)
        ids[rule] = where
    return ids


def _cases():
    paths = sorted(glob.glob(os.path.join(ROOT, "tests", "validation", "bad_inputs*.yml")))
    paths.append(os.path.join(ROOT, "tests", "validation", "drill_requests.yml"))
    for path in paths:
        with open(path) as handle:
            yield from yaml.safe_load(handle)


def _case_rules():
    rules = {}
    for case in _cases():
        # A case may name a list of rules (one run refused for several problems at once).
        for rule in case.get("rule") if isinstance(case.get("rule"), list) else [case.get("rule")]:
            rules.setdefault(rule, []).append(case["id"])
    return rules


def test_rule_ids_are_found():
    ids = _rule_ids()
    assert len(ids) >= 100
    assert "drill-name" in ids and "syntax-path" in ids and "input-type" in ids


def test_every_case_names_its_rule():
    assert _case_rules().get(None, []) == [], "corpus cases without a rule"


def test_every_rule_has_a_case():
    cases = _case_rules()
    missing = sorted(rule for rule in _rule_ids() if rule not in cases and rule not in WITHOUT_CASE)
    assert missing == [], "rules no corpus case triggers: %s" % missing


def test_the_rules_without_a_case_exist_and_have_none():
    rules, cases = _rule_ids(), _case_rules()
    assert sorted(rule for rule in WITHOUT_CASE if rule not in rules or rule in cases) == []


def test_every_case_names_a_rule_that_exists():
    rules = _rule_ids()
    unknown = dict((rule, ids) for rule, ids in _case_rules().items() if rule is not None and rule not in rules)
    assert unknown == {}, "corpus cases name rules that do not exist: %s" % unknown
