# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX job templates (awx/job_templates.yml) ask only for variables the playbooks really take.

A question whose variable carries a role prefix (keepalived_, nginx_lb_, webserver_) must be an option of
that role's argument spec, with a compatible survey type, choices within the spec's choices and a default
equal to the spec's default (after AWX's answer, a string for multiple choice, is converted to the spec's
type). Any other variable must be documented in the header of the template's playbook
(``#   name: default`` or ``#   name (required)``) with the same default.
"""

from __future__ import absolute_import, division, print_function

import os
import re

import pytest
import yaml

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SURVEY_TYPES = {"text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect"}
# survey types that can carry each argument spec type
COMPATIBLE = {
    "str": {"text", "textarea", "password", "multiplechoice"},
    "path": {"text"},
    "int": {"integer", "multiplechoice"},
    "float": {"float", "integer"},
    "bool": {"multiplechoice"},
    "list": {"multiselect"},
}
BOOL_WORDS = {"true": True, "false": False, "yes": True, "no": False}


def _yaml(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return yaml.safe_load(handle)


def _templates():
    plays = _yaml("awx", "job_templates.yml")
    templates = []
    for play in plays:
        templates += (play.get("vars") or {}).get("awx_job_templates", [])
    return templates


def _role_options():
    """{role prefix: main entry point options}, longest prefix first."""
    options = {}
    for role in os.listdir(os.path.join(ROOT, "roles")):
        path = os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")
        if os.path.isfile(path):
            specs = _yaml("roles", role, "meta", "argument_specs.yml")["argument_specs"]
            options[role + "_"] = specs["main"].get("options") or {}
    return sorted(options.items(), key=lambda kv: -len(kv[0]))


def _playbook_documented(playbook):
    """Variables documented in a playbook's leading comment: {name: (required, default)}."""
    documented = {}
    with open(os.path.join(ROOT, playbook)) as handle:
        for line in handle:
            if not line.startswith("#"):
                if line.strip() and not line.startswith("---"):
                    break
                continue
            match = re.match(r"^#\s+([a-z][a-z0-9_]*)\s*(?:\((required)\)|:\s*(\S+))", line)
            if match:
                name, required, default = match.groups()
                documented[name] = (bool(required), None if required else yaml.safe_load(default))
    return documented


def _as_spec_type(value, kind):
    if kind == "bool":
        return BOOL_WORDS[str(value).lower()] if not isinstance(value, bool) else value
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value


def _questions():
    for template in _templates():
        for question in template.get("survey") or []:
            yield pytest.param(template, question, id="%s:%s" % (template["name"], question.get("variable")))


def test_templates_exist_and_name_playbooks_of_this_collection():
    names = [t["name"] for t in _templates()]
    assert len(names) == len(set(names)) and len(names) >= 4, names
    for template in _templates():
        assert os.path.isfile(os.path.join(ROOT, template["playbook"])), template["playbook"]
        variables = [q["variable"] for q in template.get("survey") or []]
        assert len(variables) == len(set(variables)), "%s asks twice for a variable" % template["name"]


@pytest.mark.parametrize("template, question", list(_questions()))
def test_survey_question_matches_what_the_playbook_takes(template, question):
    variable = question["variable"]
    kind = question["type"]
    assert kind in SURVEY_TYPES
    assert question.get("question_name"), "%s has no question_name" % variable
    assert "required" in question
    choices = question.get("choices")
    if kind in ("multiplechoice", "multiselect"):
        assert choices, "%s: a %s question needs choices" % (variable, kind)
        if "default" in question:
            assert str(question["default"]) in [str(c) for c in choices]

    prefix_options = [(p, o) for p, o in _role_options() if variable.startswith(p)]
    if prefix_options:
        prefix, options = prefix_options[0]
        assert variable in options, "%s is not an option of the %s role's argument spec" % (variable, prefix[:-1])
        spec = options[variable]
        spec_type = spec.get("type", "str")
        assert kind in COMPATIBLE[spec_type], "%s: survey type %s cannot carry a %s" % (variable, kind, spec_type)
        if choices:
            converted = [_as_spec_type(c, spec_type) for c in choices]
            if spec_type == "bool":
                assert set(converted) <= {True, False}
            if spec.get("choices"):
                assert set(converted) <= set(spec["choices"]), "%s: choices %s not within %s" % (
                    variable, choices, spec["choices"])
        assert not spec.get("required") or question["required"], "%s is required by the role" % variable
        if "default" in question:
            assert "default" in spec, "%s has no default in the spec" % variable
            assert _as_spec_type(question["default"], spec_type) == spec["default"], (
                "%s: survey default %r, role default %r" % (variable, question["default"], spec["default"]))
        if kind == "integer" and spec_type == "int" and "default" in spec:
            assert question.get("min", -(2 ** 31)) <= spec["default"] <= question.get("max", 2 ** 31)
    else:
        documented = _playbook_documented(template["playbook"])
        assert variable in documented, "%s is neither a role option nor documented in %s" % (
            variable, template["playbook"])
        required, default = documented[variable]
        if required:
            assert question["required"] and "default" not in question, "%s is required by %s" % (
                variable, template["playbook"])
        else:
            assert "default" in question, "%s: give the playbook's default %r" % (variable, default)
            answer = question["default"]
            if isinstance(default, bool):
                answer = BOOL_WORDS[str(answer).lower()]
            assert answer == default, "%s: survey default %r, playbook default %r" % (variable, answer, default)


def test_each_workflow_step_passes_the_cluster_through_a_survey_variable_of_its_template():
    """AWX hands a workflow node's extra_data only to a template whose survey asks for it."""
    plays = _yaml("awx", "job_templates.yml")
    branch = [step for play in plays for step in (play.get("vars") or {}).get("awx_cluster_branch", [])]
    surveys = dict((t["name"], [q["variable"] for q in t.get("survey") or []]) for t in _templates())
    assert [step["template"] for step in branch] == ["halb deploy", "halb verify"]
    for step in branch:
        assert step["variable"] in surveys[step["template"]], step
