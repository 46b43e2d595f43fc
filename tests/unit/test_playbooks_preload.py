# -*- coding: utf-8 -*-
"""Every playbook's first play loads the collection's filters in the controller's main process (filter preload).

ansible-core finds a collection filter by importing every filter file of the collection, and each task's worker,
forked from the main process, would import them again; the main process templates a play's ``hosts`` before its
workers fork, so the first play of every playbook names ``halb.nginx_keepalived.preload`` there (plugins/filter/
preload.py says what it saves). A playbook whose first entry imports another playbook inherits that one's first play.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
PLAYBOOKS = os.path.join(ROOT, "playbooks")


def _first_play(path):
    with open(path) as handle:
        entry = yaml.safe_load(handle)[0]
    imported = entry.get("ansible.builtin.import_playbook") or entry.get("import_playbook")
    if imported:
        return _first_play(os.path.join(os.path.dirname(path), imported))
    return entry


def test_every_playbook_preloads_the_filters_in_its_first_play():
    missing = {}
    for path in sorted(glob.glob(os.path.join(PLAYBOOKS, "*.yml"))):
        play = _first_play(path)
        if "halb.nginx_keepalived.preload" not in str(play.get("hosts")):
            missing[os.path.basename(path)] = "%s (hosts: %s)" % (play.get("name"), play.get("hosts"))
    assert missing == {}, "first plays that do not name the filter preload in hosts: %s" % missing


def test_the_check_reads_imports():
    # cluster_model.yml imports validate.yml first: its first play is validate.yml's.
    assert _first_play(os.path.join(PLAYBOOKS, "cluster_model.yml"))["name"] == _first_play(
        os.path.join(PLAYBOOKS, "validate.yml"))["name"]
