# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""managed_files' decisions, read from real paths in a temporary directory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._managed_files import (
    decide,
    diff_of,
    entry_errors,
)


def test_a_missing_file_is_written(tmp_path):
    entry = {"path": str(tmp_path / "a.sh"), "content": "echo a\n"}
    assert decide(entry) == {"action": "write", "before": None, "why": "missing"}


def test_the_same_content_changes_nothing(tmp_path):
    (tmp_path / "a.sh").write_bytes(b"echo a\n")
    decision = decide({"path": str(tmp_path / "a.sh"), "content": "echo a\n"})
    assert decision["action"] == "none"
    assert diff_of({"path": str(tmp_path / "a.sh"), "content": "echo a\n"}, decision) is None


def test_a_missing_trailing_newline_is_a_change(tmp_path):
    (tmp_path / "a.sh").write_bytes(b"echo a")
    decision = decide({"path": str(tmp_path / "a.sh"), "content": "echo a\n"})
    assert decision == {"action": "write", "before": b"echo a", "why": "content differs"}


def test_force_false_keeps_an_existing_file(tmp_path):
    (tmp_path / "drain").write_bytes(b"1\n")
    assert decide({"path": str(tmp_path / "drain"), "content": "0\n", "force": False})["action"] == "none"
    assert decide({"path": str(tmp_path / "new"), "content": "0\n", "force": False})["action"] == "write"


def test_directories_and_removals(tmp_path):
    assert decide({"path": str(tmp_path), "state": "directory"})["action"] == "none"
    assert decide({"path": str(tmp_path / "d"), "state": "directory"})["action"] == "mkdir"
    assert decide({"path": str(tmp_path / "gone"), "state": "absent"})["action"] == "none"
    (tmp_path / "old").write_bytes(b"rule\n")
    assert decide({"path": str(tmp_path / "old"), "state": "absent"}) == {
        "action": "remove", "before": b"rule\n", "why": "present"}


def test_a_file_where_a_directory_should_be_is_refused(tmp_path):
    (tmp_path / "d").write_bytes(b"x")
    with pytest.raises(ValueError, match="should be a directory, but it is a file"):
        decide({"path": str(tmp_path / "d"), "state": "directory"})
    with pytest.raises(ValueError, match="should be a regular file, but it is a directory"):
        decide({"path": str(tmp_path), "content": "x"})
    with pytest.raises(ValueError, match="removes files only"):
        decide({"path": str(tmp_path), "state": "absent"})


def test_a_symlink_is_read_as_its_target(tmp_path):
    (tmp_path / "target").write_bytes(b"same\n")
    os.symlink(str(tmp_path / "target"), str(tmp_path / "link"))
    assert decide({"path": str(tmp_path / "link"), "content": "same\n"})["action"] == "none"


def test_a_dangling_link_is_removed(tmp_path):
    os.symlink(str(tmp_path / "gone"), str(tmp_path / "link"))
    assert decide({"path": str(tmp_path / "link"), "state": "absent"}) == {
        "action": "remove", "before": None, "why": "dangling link"}


def test_a_sensitive_diff_hides_both_sides(tmp_path):
    (tmp_path / "conf").write_bytes(b"auth_pass old\n")
    entry = {"path": str(tmp_path / "conf"), "content": "auth_pass new\n", "sensitive": True}
    diff = diff_of(entry, decide(entry))
    assert "old" not in diff["before"] and "new" not in diff["after"]
    assert diff["before"] == diff["after"] == "(content of %s hidden: sensitive)\n" % entry["path"]


def test_a_diff_shows_old_and_new_content(tmp_path):
    (tmp_path / "conf").write_bytes(b"a\n")
    entry = {"path": str(tmp_path / "conf"), "content": "b\n"}
    assert diff_of(entry, decide(entry)) == {
        "before_header": entry["path"], "after_header": entry["path"], "before": "a\n", "after": "b\n"}


@pytest.mark.parametrize("entry, message", [
    ({"path": "relative/x", "content": ""}, "path must be absolute, got 'relative/x'"),
    ({"path": "/x"}, "/x: a file needs its content"),
    ({"path": "/x", "state": "directory", "content": "y"}, "/x: content is only for state=file"),
    ({"path": "/x", "content": "", "validate": "visudo -cf"}, "/x: validate must contain %s"),
    ({"path": "/x", "state": "link"}, "/x: state must be one of file, directory, absent, got 'link'"),
])
def test_malformed_entries_are_named(entry, message):
    assert any(message in error for error in entry_errors(entry))


def test_a_well_formed_entry_has_no_errors():
    assert entry_errors({"path": "/etc/x", "content": "", "validate": "visudo -cf %s"}) == []
    assert entry_errors({"path": "/etc/d", "state": "directory"}) == []
    # A conditional entry keeps an empty content when it is absent.
    assert entry_errors({"path": "/etc/x", "state": "absent", "content": ""}) == []
