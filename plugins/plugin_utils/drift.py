# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What drifted on one host: what a role's read of the host found against what the role would put there.

A role's ``drift`` entry point reads the host in two calls, without changing anything: ``system_state`` (packages,
units, users, live sysctls, checksums) and ``managed_files`` in check and diff mode over every file the role manages
(the same lists its deploy puts in place). This turns both into one list of drifted items, each with what was found,
what is wanted and, for a file, the unified diff (a sensitive file's content is hidden by managed_files itself).
Controller-side; playbooks/drift_report.yml prints the items of every host and fails when there is any.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

Item = dict[str, str]

# The diff of one file is cut after this many lines in the report (the rest is counted).
MAX_DIFF_LINES = 40


def _item(kind: str, name: str, found: str, wanted: str, diff: str = "") -> Item:
    return {"kind": kind, "item": name, "found": found, "wanted": wanted, "diff": diff}


def _unified(diff: Mapping[str, Any]) -> str:
    before = str(diff.get("before") or "")
    after = str(diff.get("after") or "")
    lines = list(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                      "found: %s" % diff.get("before_header", ""),
                                      "wanted: %s" % diff.get("after_header", "")))
    if not lines and before == after and before:
        # A sensitive file: managed_files put the same placeholder on both sides.
        return before
    lines = [line if line.endswith("\n") else line + "\n" for line in lines]
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + ["... (%d more lines)\n" % (len(lines) - MAX_DIFF_LINES)]
    return "".join(lines)


def file_items(results: Sequence[Mapping[str, Any]]) -> list[Item]:
    """The drifted files of managed_files results (check and diff mode), with their diffs."""
    items: list[Item] = []
    for result in results:
        if not result or result.get("skipped"):
            continue
        diffs = dict((str(d.get("before_header")), d) for d in result.get("diff") or [] if isinstance(d, Mapping))
        for change in result.get("changes") or []:
            path = str(change.get("path"))
            action = str(change.get("action"))
            wanted = {"write": "its managed content", "mkdir": "a directory", "remove": "absent",
                      "attributes": "its managed owner, group and mode"}.get(action, action)
            diff = diffs.get(path)
            items.append(_item("file", path, str(change.get("why")), wanted, _unified(diff) if diff else ""))
    return items


def state_items(state: Mapping[str, Any], wanted: Mapping[str, Any]) -> list[Item]:
    """The drifted packages, units, users, sysctls and checksums of a system_state result against ``wanted``:
    ``packages`` (installed), ``units`` (active and enabled), ``users`` ({name: {home, shell}}), ``sysctls``
    ({name: value}) and ``checksums`` ({path: sha256})."""
    items: list[Item] = []
    packages = state.get("packages") or {}
    for name in wanted.get("packages") or []:
        if packages.get(name) is None:
            items.append(_item("package", name, "not installed", "installed"))
    units = state.get("units") or {}
    for name in wanted.get("units") or []:
        unit = units.get(name) or {}
        if not (unit.get("active") and unit.get("enabled")):
            found = "not found" if not unit.get("loaded") else "%s, %s" % (
                unit.get("active_state") or "unknown", unit.get("unit_file_state") or "unknown")
            items.append(_item("unit", name, found, "active, enabled"))
    users = state.get("users") or {}
    for name, attributes in (wanted.get("users") or {}).items():
        user = users.get(name) or {}
        if not user.get("exists"):
            items.append(_item("user", name, "missing", "home %s, shell %s" % (attributes["home"], attributes["shell"])))
        elif (user.get("home"), user.get("shell")) != (attributes["home"], attributes["shell"]):
            items.append(_item("user", name, "home %s, shell %s" % (user.get("home"), user.get("shell")),
                               "home %s, shell %s" % (attributes["home"], attributes["shell"])))
    sysctls = state.get("sysctls") or {}
    for name, value in (wanted.get("sysctls") or {}).items():
        if sysctls.get(name) != str(value):
            items.append(_item("sysctl", name, str(sysctls.get(name)), str(value)))
    paths = state.get("paths") or {}
    for path, digest in (wanted.get("checksums") or {}).items():
        on_host = (paths.get(path) or {}).get("sha256")
        if on_host != digest:
            items.append(_item("file", path, "missing" if on_host is None else "content differs (sha256 %s)" % on_host[:12],
                               "sha256 %s" % str(digest)[:12]))
    return items


def drift_items(state: Mapping[str, Any], files: Sequence[Mapping[str, Any]], wanted: Mapping[str, Any],
                extra: Sequence[Mapping[str, Any]] = ()) -> list[Item]:
    """Every drifted item of one role on one host: the state's, the files', then ``extra`` (items the role built,
    such as a keepalived build that differs), in that order."""
    items = state_items(state, wanted) + file_items(files)
    items += [_item(str(e.get("kind")), str(e.get("item")), str(e.get("found")), str(e.get("wanted")),
                    str(e.get("diff") or "")) for e in extra]
    return items


def report_lines(host: str, items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The report of one host, a line per item and the diff's lines under it."""
    if not items:
        return ["%s: no drift" % host]
    lines = ["%s: %d drifted item(s)" % (host, len(items))]
    for item in items:
        lines.append("  %s %s: found %s, wanted %s" % (item["kind"], item["item"], item["found"], item["wanted"]))
        lines.extend("      " + line for line in str(item.get("diff") or "").splitlines())
    return lines
