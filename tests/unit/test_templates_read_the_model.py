# -*- coding: utf-8 -*-
"""The templates render each role's resolved model, never an inventory variable.

Each role's validate entry point resolves its model once (``__keepalived_model``, ``__nginx_lb_model``,
``__webserver_model``: every default applied, the cluster's rules checked against it); keepalived.conf, both
nginx.conf, the scripts and the units render that model and paths. A template that reads a public
``keepalived_*``, ``nginx_lb_*`` or ``webserver_*`` variable re-applies a default or re-derives a fact on its own,
and the model, the rules and the rendered file can then disagree.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
# A Jinja expression or statement (comments are removed first: they may name the variable a value comes from).
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
# A public variable of the three roles; a private one starts with '__', which the look-behind excludes.
_PUBLIC = re.compile(r"(?<![\w.])(?:keepalived|nginx_lb|webserver)_[a-z0-9_]+")


def public_variables(text):
    """The public role variables the Jinja code of a template reads, sorted."""
    names = set()
    for code in _JINJA.findall(_COMMENT.sub("", text)):
        # A quoted string is text, not a variable (a filter's name or a literal).
        names.update(_PUBLIC.findall(re.sub(r"'[^']*'|\"[^\"]*\"", "''", code)))
    return sorted(names)


def _templates():
    paths = []
    for role in ("keepalived", "nginx_lb", "webserver"):
        paths += sorted(glob.glob(os.path.join(ROOT, "roles", role, "templates", "*.j2")))
    return paths


def test_the_check_finds_a_public_variable():
    # The check itself can fail: each of these reads an inventory variable.
    assert public_variables("advert_int {{ keepalived_advert_int }}") == ["keepalived_advert_int"]
    assert public_variables("{% if nginx_lb_health_enabled | bool %}") == ["nginx_lb_health_enabled"]
    assert public_variables("{{ x | default(webserver_port) }}") == ["webserver_port"]
    # Private variables, the model's keys, comments and literal text are not inventory variables.
    assert public_variables("{{ __keepalived_model.check.service }} keepalived_x {# keepalived_y #}") == []
    assert public_variables("{{ __nginx_lb_model | halb.nginx_keepalived.nginx_lb_plan }}") == []


def test_every_role_template_reads_the_model_only():
    templates = _templates()
    assert len(templates) >= 14
    found = {}
    for path in templates:
        with open(path) as handle:
            names = public_variables(handle.read())
        if names:
            found[os.path.relpath(path, ROOT)] = names
    assert found == {}, "templates that read inventory variables instead of the role's model: %s" % found
