# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a set of managed files needs: the decision for each entry of halb.nginx_keepalived.managed_files.

An entry is a directory, a file with its whole content, or a path that must be absent. The decision reads the
path as it is now and says what would change, so that the module makes one round trip for a whole set of files
(a no-change deploy is dominated by round trips, not by the work each of them does).
"""

from __future__ import absolute_import, division, print_function

import os
import stat

__metaclass__ = type

STATES = ("file", "directory", "absent")


def entry_errors(entry):
    """The problems of one entry (list of strings, empty when it is well formed)."""
    path = entry.get("path") or ""
    state = entry.get("state") or "file"
    errors = []
    if not os.path.isabs(path):
        errors.append("path must be absolute, got %r" % (path,))
    if state not in STATES:
        errors.append("%s: state must be one of %s, got %r" % (path, ", ".join(STATES), state))
    if state == "file" and entry.get("content") is None:
        errors.append("%s: a file needs its content" % path)
    if state != "file" and entry.get("content"):
        errors.append("%s: content is only for state=file (an empty one may stay)" % path)
    validate = entry.get("validate")
    if validate and "%s" not in validate:
        errors.append("%s: validate must contain %%s (the path of the new content), got %r" % (path, validate))
    return errors


def current_kind(path):
    """What is at path now: 'absent', 'directory', 'file' or 'other' (a symlink is read as what it points to)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "absent"
    if stat.S_ISDIR(st.st_mode):
        return "directory"
    if stat.S_ISREG(st.st_mode):
        return "file"
    return "other"


def read_bytes(path):
    with open(path, "rb") as handle:
        return handle.read()


def decide(entry):
    """The action one entry needs: {'action': 'none'|'write'|'mkdir'|'remove', 'before': bytes or None, 'why': str}.

    Ownership and mode are not decided here: the module applies them to every present path (Ansible's own
    set_fs_attributes_if_different), which reports its own change.
    """
    path = entry["path"]
    state = entry.get("state") or "file"
    kind = current_kind(path)
    if state == "absent":
        if not os.path.lexists(path):
            return {"action": "none", "before": None, "why": "absent"}
        if kind == "absent":
            # A link whose target is gone: the link itself is removed.
            return {"action": "remove", "before": None, "why": "dangling link"}
        if kind == "directory":
            raise ValueError("%s is a directory; managed_files removes files only" % path)
        return {"action": "remove", "before": read_bytes(path) if kind == "file" else None, "why": "present"}
    if state == "directory":
        if kind == "directory":
            return {"action": "none", "before": None, "why": "exists"}
        if kind != "absent":
            raise ValueError("%s should be a directory, but it is a %s" % (path, kind))
        return {"action": "mkdir", "before": None, "why": "missing"}
    if kind == "directory" or kind == "other":
        raise ValueError("%s should be a regular file, but it is a %s" % (path, kind))
    wanted = entry["content"].encode("utf-8")
    if kind == "absent":
        return {"action": "write", "before": None, "why": "missing"}
    if entry.get("force", True) is False:
        return {"action": "none", "before": None, "why": "exists, force=false"}
    before = read_bytes(path)
    if before == wanted:
        return {"action": "none", "before": None, "why": "same content"}
    return {"action": "write", "before": before, "why": "content differs"}


def diff_of(entry, decision):
    """The diff Ansible shows (--diff) for one decision, or None; the content of a sensitive entry is hidden."""
    if decision["action"] == "none":
        return None
    path = entry["path"]
    state = entry.get("state") or "file"
    hidden = "(content of %s hidden: sensitive)\n" % path
    before = decision["before"]
    if decision["action"] == "mkdir":
        return {"before_header": path, "after_header": path, "before": "(absent)\n", "after": "(directory)\n"}
    before_text = "" if before is None else before.decode("utf-8", "replace")
    after_text = "" if state == "absent" else entry["content"]
    if entry.get("sensitive"):
        before_text = hidden if before_text else ""
        after_text = hidden if after_text else ""
    return {"before_header": path, "after_header": path if state != "absent" else "(absent)",
            "before": before_text, "after": after_text}
