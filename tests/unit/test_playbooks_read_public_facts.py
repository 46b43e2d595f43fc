# -*- coding: utf-8 -*-
"""The playbooks read only what the roles publish.

A role's private variables (``__keepalived_*``, ``__nginx_lb_*``, ``__webserver_*``, ``__drill_*``,
``__monitoring_*``) may change with the role; a playbook that reads one breaks unnoticed. What a playbook needs
of a role is a public, documented fact (``keepalived_run_plan``, ``drill_result``, ``halb_clusters``). A playbook
may define and use private names of its own (``vars:`` of the playbook).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PRIVATE = re.compile(r"\b(__(?:keepalived|nginx_lb|webserver|drill|monitoring)_\w+)")


def test_playbooks_read_no_role_private_variable():
    read = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "playbooks", "*.yml"))):
        with open(path) as handle:
            text = handle.read()
        defined = set(re.findall(r"^\s+(__\w+):", text, re.M))
        used = set(PRIVATE.findall(text)) - defined
        if used:
            read[os.path.basename(path)] = sorted(used)
    assert read == {}, "playbooks read role-private variables (publish a fact instead): %s" % read


def test_the_check_finds_a_private_read():
    assert PRIVATE.findall("when: __keepalived_interrupt_reasons | length > 0") == ["__keepalived_interrupt_reasons"]
