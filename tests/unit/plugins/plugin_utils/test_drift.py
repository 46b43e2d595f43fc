# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The drift report's items, from the reads the roles' drift entry points made on the lab with four drifts planted:
lb2 (a check script edited by hand, curl removed, the keepalived binary replaced by a same-version one with a byte
appended) and web2 (nginx stopped and disabled). The fixtures hold the system_state and managed_files results as
registered, and the items the role listed."""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import copy
import json
import os
from typing import Any

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._managed_files import decide, diff_of
from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.drift import (
    MAX_DIFF_LINES,
    drift_items,
    report_lines,
    state_items,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "drift")
KEEPALIVED_WANTED = {"packages": ["sudo", "dbus", "curl"], "units": ["keepalived"],
                     "users": {"keepalived_script": {"home": "/nonexistent", "shell": "/usr/sbin/nologin"}}}
BUILD_ITEM = {"kind": "build", "item": "/data/apps/keepalived/sbin/keepalived", "found": "sha256 9645d12f1754",
              "wanted": "sha256 4c73b620e658 (its build)"}


def fixture(name: str) -> dict[str, Any]:
    with open(os.path.join(FIXTURES, name)) as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def test_the_four_planted_drifts_of_lb2_are_listed_as_the_role_listed_them():
    lb2 = fixture("lb2.json")
    items = drift_items(lb2["state"], [lb2["files"]], KEEPALIVED_WANTED, [BUILD_ITEM])
    assert items == lb2["items"]
    assert [(i["kind"], i["item"]) for i in items] == [
        ("package", "curl"), ("file", "/data/apps/keepalived/etc/keepalived/chk_nginx.sh"),
        ("build", "/data/apps/keepalived/sbin/keepalived")]
    assert "-# hand edit" in items[1]["diff"]


def test_a_stopped_and_disabled_unit_is_listed():
    web2 = fixture("web2.json")
    items = drift_items(web2["state"], [web2["files"]], {"packages": ["nginx"], "units": ["nginx"]})
    assert items == web2["items"] == [{"kind": "unit", "item": "nginx", "found": "inactive, disabled",
                                       "wanted": "active, enabled", "diff": ""}]


def test_the_same_reads_after_the_repair_list_nothing():
    lb2 = fixture("lb2.json")
    state = copy.deepcopy(lb2["state"])
    state["packages"]["curl"] = "7.88.1-10+deb12u15"
    files = {"changed": False, "changed_paths": [], "changes": [], "diff": []}
    assert drift_items(state, [files], KEEPALIVED_WANTED) == []


def test_a_missing_or_different_user_a_live_sysctl_and_a_checksum_are_listed():
    state = {"users": {"keepalived_script": {"exists": True, "home": "/home/k", "shell": "/bin/sh"}},
             "sysctls": {"net.ipv4.ip_nonlocal_bind": "0"},
             "paths": {"/etc/nginx/tls/www.crt": {"exists": True, "sha256": "ab" * 32}, "/etc/nginx/tls/www.key": {}}}
    wanted = {"users": {"keepalived_script": {"home": "/nonexistent", "shell": "/usr/sbin/nologin"},
                        "other": {"home": "/nonexistent", "shell": "/usr/sbin/nologin"}},
              "sysctls": {"net.ipv4.ip_nonlocal_bind": "1"},
              "checksums": {"/etc/nginx/tls/www.crt": "cd" * 32, "/etc/nginx/tls/www.key": "ef" * 32}}
    items = state_items(state, wanted)
    assert [(i["kind"], i["item"], i["found"]) for i in items] == [
        ("user", "keepalived_script", "home /home/k, shell /bin/sh"),
        ("user", "other", "missing"),
        ("sysctl", "net.ipv4.ip_nonlocal_bind", "0"),
        ("file", "/etc/nginx/tls/www.crt", "content differs (sha256 abababababab)"),
        ("file", "/etc/nginx/tls/www.key", "missing")]


def test_a_unit_that_does_not_exist_says_so():
    state = {"units": {"keepalived": {"loaded": False, "active": False, "enabled": False}}}
    assert state_items(state, {"units": ["keepalived"]})[0]["found"] == "not found"


def test_a_sensitive_file_shows_no_content(tmp_path):
    # keepalived.conf holds the VRRP password: managed_files hides a sensitive entry's content in its diff.
    path = tmp_path / "keepalived.conf"
    path.write_text("auth_pass old-secret\n")
    entry = {"path": str(path), "content": "auth_pass new-secret\n", "sensitive": True}
    decision = decide(entry)
    result = {"changes": [{"path": str(path), "action": "write", "why": decision["why"]}],
              "diff": [diff_of(entry, decision)]}
    items = drift_items({}, [result], {})
    text = "\n".join(report_lines("lb1", items))
    assert "secret" not in text
    assert "hidden: sensitive" in text


def test_skipped_reads_and_attribute_changes():
    skipped = {"skipped": True, "changes": [{"path": "/x", "action": "write", "why": "missing"}]}
    attributes = {"changes": [{"path": "/etc/sudoers.d/halb", "action": "attributes",
                               "why": "owner, group or mode differs"}], "diff": []}
    items = drift_items({}, [skipped, attributes], {})
    assert items == [{"kind": "file", "item": "/etc/sudoers.d/halb", "found": "owner, group or mode differs",
                      "wanted": "its managed owner, group and mode", "diff": ""}]


def test_a_long_diff_is_cut():
    before = "".join("line %d\n" % n for n in range(200))
    result = {"changes": [{"path": "/f", "action": "write", "why": "content differs"}],
              "diff": [{"before_header": "/f", "after_header": "/f", "before": before, "after": ""}]}
    diff = drift_items({}, [result], {})[0]["diff"]
    assert len(diff.splitlines()) == MAX_DIFF_LINES + 1
    assert diff.splitlines()[-1].endswith("more lines)")


def test_the_report_names_the_host_and_each_item():
    lb2 = fixture("lb2.json")
    lines = report_lines("lb2", lb2["items"])
    assert lines[0] == "lb2: 3 drifted item(s)"
    assert lines[1] == "  package curl: found not installed, wanted installed"
    assert report_lines("lb1", []) == ["lb1: no drift"]
