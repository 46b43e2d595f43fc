#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: managed_files
short_description: Put a set of directories, files and removals in place in one round trip
version_added: 1.3.0
description:
  - Each entry of O(files) is a directory, a file with its whole content (render templates on the controller with
    the C(ansible.builtin.template) lookup), or a path that must be absent. Entries are applied in order, so a
    directory listed before its files exists when they are written.
  - A file whose content differs is written to a temporary file beside it, tested with its O(files[].validate)
    command when it has one, and moved over the old file atomically; a refused file leaves the old one untouched
    and fails the task, naming the path and the command's output.
  - Owner, group and mode are applied to every present path, as M(ansible.builtin.file) does.
  - One task per handler group replaces a task per file, which is what a no-change run spends its time on
    (each module call is a round trip to the host).
  - Supports check mode and diff mode; the content of a O(files[].sensitive) entry is never shown.
author:
  - halb maintainers (@halb)
options:
  files:
    description: The entries, applied in order.
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description: Absolute path.
        type: path
        required: true
      state:
        description: V(file) (with O(files[].content)), V(directory), or V(absent) (a file or link is removed).
        type: str
        choices: [file, directory, absent]
        default: file
      content:
        description: The whole content of a V(file) entry (empty or unset for the other states).
        type: str
      owner:
        description: Owner of the path.
        type: str
      group:
        description: Group of the path.
        type: str
      mode:
        description: Mode of the path, as an octal string such as V("0644").
        type: raw
      validate:
        description: Command run on the new content before it replaces the file; V(%s) is the temporary file's path.
        type: str
      force:
        description: When V(false), an existing file keeps its content (it is only created when missing).
        type: bool
        default: true
      sensitive:
        description: Hide the content in the diff.
        type: bool
        default: false
"""

EXAMPLES = r"""
- name: Install the check scripts and their directory
  halb.nginx_keepalived.managed_files:
    files:
      - {path: /usr/local/libexec/halb, state: directory, owner: root, group: root, mode: "0755"}
      - path: /usr/local/libexec/halb/chk_nginx.sh
        content: "{{ lookup('ansible.builtin.template', 'chk_service.sh.j2') }}"
        owner: root
        group: root
        mode: "0755"
      - {path: /etc/sudoers.d/halb-old, state: absent}
  notify: Restart keepalived
"""

RETURN = r"""
changed_paths:
  description: The paths that changed (content, creation, removal, owner, group or mode), in the order of O(files).
  returned: always
  type: list
  elements: str
  sample: [/etc/systemd/system/keepalived.service.d/halb-runtime.conf]
changes:
  description:
    - Per changed path, in the order of O(files), what changed - C(action) is V(write), V(mkdir), V(remove) or
      V(attributes) (owner, group or mode only), and C(why) says what was found (V(missing), V(content differs),
      V(present), V(owner, group or mode differs)).
  returned: always
  type: list
  elements: dict
  sample: [{path: /etc/keepalived/chk_nginx.sh, action: write, why: content differs}]
"""

import os
import shlex
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._managed_files import (
    decide,
    diff_of,
    entry_errors,
)


def _fs_args(module, entry, path=None):
    """Ansible's file arguments (owner, group, mode, SELinux context) of an entry, for path (default: its own)."""
    return module.load_file_common_arguments(
        {"mode": entry.get("mode"), "owner": entry.get("owner"), "group": entry.get("group")},
        path=path or entry["path"])


def _umask():
    current = os.umask(0)
    os.umask(current)
    return current


def _write(module, entry):
    """Write the entry's content beside its path, validate it, move it into place; fail leaving the old file."""
    path = entry["path"]
    handle, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=os.path.dirname(path))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(to_bytes(entry["content"]))
        if entry.get("validate"):
            rc, out, err = module.run_command(entry["validate"].replace("%s", shlex.quote(tmp)), use_unsafe_shell=True)
            if rc != 0:
                module.fail_json(msg="%s: the validate command refused the new content (exit %d); the file was "
                                 "not replaced" % (path, rc), rc=rc, stdout=out, stderr=err, path=path)
        # Owner, group and mode go on the new content before it is visible: a 0600 file is never readable by others,
        # not even for a moment. An entry without a mode keeps the old file's (a new file gets 0644 minus umask).
        attributes = _fs_args(module, entry, path=tmp)
        if attributes["mode"] is None:
            attributes["mode"] = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_umask()
        module.set_fs_attributes_if_different(attributes, False)
        os.rename(tmp, path)
        if module.selinux_enabled():
            module.set_default_selinux_context(path, False)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type="list", elements="dict", required=True, options=dict(
                path=dict(type="path", required=True),
                state=dict(type="str", choices=["file", "directory", "absent"], default="file"),
                content=dict(type="str"),
                owner=dict(type="str"),
                group=dict(type="str"),
                mode=dict(type="raw"),
                validate=dict(type="str"),
                force=dict(type="bool", default=True),
                sensitive=dict(type="bool", default=False),
            )),
        ),
        supports_check_mode=True,
    )
    entries = module.params["files"]
    errors = [error for entry in entries for error in entry_errors(entry)]
    if errors:
        module.fail_json(msg="managed_files: " + "; ".join(errors))

    changed_paths, diffs, changes = [], [], []
    for entry in entries:
        path = entry["path"]
        try:
            decision = decide(entry)
        except (ValueError, OSError) as exc:
            module.fail_json(msg=to_native(exc), path=path, changed_paths=changed_paths)
        diff = diff_of(entry, decision)
        if diff:
            diffs.append(diff)
        changed = decision["action"] != "none"
        if not module.check_mode:
            if decision["action"] == "mkdir":
                os.makedirs(path, 0o700)
            elif decision["action"] == "write":
                _write(module, entry)
            elif decision["action"] == "remove":
                os.unlink(path)
        if entry["state"] != "absent" and (os.path.exists(path) or not module.check_mode):
            # In check mode a path that does not exist yet reports its creation above; nothing to compare.
            changed = module.set_fs_attributes_if_different(_fs_args(module, entry), changed) or changed
        if changed:
            changed_paths.append(path)
            content_changed = decision["action"] != "none"
            changes.append({"path": path, "action": decision["action"] if content_changed else "attributes",
                            "why": decision["why"] if content_changed else "owner, group or mode differs"})

    result = {"changed": bool(changed_paths), "changed_paths": changed_paths, "changes": changes}
    if module._diff:
        result["diff"] = diffs
    module.exit_json(**result)


if __name__ == "__main__":
    main()
