#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: system_state
short_description: Read the packages, systemd units, users and files a role manages, in one round trip
version_added: 1.3.0
description:
  - Reads, without changing anything, whether each of O(packages) is installed (and its version), the load,
    active and enablement state of each of O(units), whether each of O(users) exists (and its home and shell),
    whether each of O(paths) exists (with the SHA-256 of a regular file's content), and the live value of each of
    O(sysctls).
  - The roles read this once and run the package manager, the user module or systemd only for what differs;
    a no-change deploy spends its time on round trips to the host, and each of those modules is one.
  - Packages are queried with C(dpkg-query) on O(package_manager=apt) and with C(rpm) otherwise.
author:
  - halb maintainers (@halb)
options:
  packages:
    description: Names of the packages to look up.
    type: list
    elements: str
    default: []
  package_manager:
    description: The host's package manager (C(ansible_facts.pkg_mgr)); V(apt) reads dpkg, anything else rpm.
    type: str
    default: apt
  units:
    description: systemd units to read; a name without a suffix is a C(.service).
    type: list
    elements: str
    default: []
  users:
    description: Names of the local users to look up.
    type: list
    elements: str
    default: []
  paths:
    description: Absolute paths to look up; a regular file's content is hashed (SHA-256).
    type: list
    elements: path
    default: []
  sysctls:
    description: Kernel parameters to read, by their dotted name (C(net.ipv4.ip_nonlocal_bind)), from C(/proc/sys).
    type: list
    elements: str
    default: []
notes:
  - Supports check mode (it never changes anything).
seealso:
  - module: halb.nginx_keepalived.managed_files
extends_documentation_fragment:
  - halb.nginx_keepalived.read_only
"""

EXAMPLES = r"""
- name: Read nginx's package and unit, and the keepalived binary (one call)
  halb.nginx_keepalived.system_state:
    packages: [nginx, curl]
    package_manager: "{{ ansible_facts['pkg_mgr'] }}"
    units: [nginx, keepalived]
    users: [keepalived_script]
    paths: [/data/apps/keepalived/sbin/keepalived]
  register: state

- name: Install what is missing
  ansible.builtin.package:
    name: "{{ state.packages_missing }}"
  when: state.packages_missing | length > 0
"""

RETURN = r"""
packages:
  description: The installed version of each package, V(null) when it is not installed.
  returned: always
  type: dict
  sample: {nginx: "1.22.1-9+deb12u9", curl: null}
packages_missing:
  description: The packages of O(packages) that are not installed, in the order given.
  returned: always
  type: list
  elements: str
  sample: [curl]
units:
  description:
    - Per unit, as given in O(units) - C(loaded), C(active), C(enabled) (booleans; C(enabled) is systemd's
      C(enabled) unit file state) and systemd's own C(active_state) and C(unit_file_state).
  returned: always
  type: dict
  sample: {nginx: {loaded: true, active: true, enabled: true, active_state: active, unit_file_state: enabled}}
users:
  description: Per user, C(exists), C(home) and C(shell) (empty strings when it does not exist).
  returned: always
  type: dict
  sample: {keepalived_script: {exists: true, home: /nonexistent, shell: /usr/sbin/nologin}}
paths:
  description:
    - Per path, C(exists), C(type) (V(file), V(directory), V(link), V(other) or V(absent)) and C(sha256) of a
      regular file.
  returned: always
  type: dict
  sample: {/data/apps/keepalived/sbin/keepalived: {exists: true, type: file, sha256: "9f86d0..."}}
sysctls:
  description: The live value of each kernel parameter of O(sysctls), V(null) when it does not exist.
  returned: always
  type: dict
  sample: {net.ipv4.ip_nonlocal_bind: "1"}
"""

import hashlib
import os
import pwd
import stat

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._system_state import (
    UNIT_PROPERTIES,
    package_query_argv,
    parse_package_query,
    parse_systemctl_show,
    unit_name,
)


def _packages(module, names, package_manager):
    if not names:
        return {}
    # dpkg-query and rpm expand the \t and \n of their formats themselves.
    argv = package_query_argv(package_manager, names)
    dummy, out, dummy_err = module.run_command([module.get_bin_path(argv[0], required=True)] + argv[1:])
    return parse_package_query(package_manager, out, names)


def _units(module, names):
    if not names:
        return {}
    argv = [module.get_bin_path("systemctl", required=True), "show", "-p", ",".join(UNIT_PROPERTIES)]
    rc, out, err = module.run_command(argv + [unit_name(name) for name in names])
    if rc != 0:
        module.fail_json(msg="systemctl show failed (rc %d): %s" % (rc, err.strip()))
    return parse_systemctl_show(out, names)


def _user(name):
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return {"exists": False, "home": "", "shell": ""}
    return {"exists": True, "home": entry.pw_dir, "shell": entry.pw_shell}


def _path(path):
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return {"exists": False, "type": "absent", "sha256": None}
    if stat.S_ISLNK(st.st_mode):
        kind = "link"
    elif stat.S_ISREG(st.st_mode):
        kind = "file"
    elif stat.S_ISDIR(st.st_mode):
        kind = "directory"
    else:
        kind = "other"
    digest = None
    if kind == "file":
        sha = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                sha.update(chunk)
        digest = sha.hexdigest()
    return {"exists": True, "type": kind, "sha256": digest}


def _sysctl(name):
    try:
        with open("/proc/sys/" + name.replace(".", "/")) as handle:
            return handle.read().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            packages=dict(type="list", elements="str", default=[]),
            package_manager=dict(type="str", default="apt"),
            units=dict(type="list", elements="str", default=[]),
            users=dict(type="list", elements="str", default=[]),
            paths=dict(type="list", elements="path", default=[]),
            sysctls=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    params = module.params
    bad = [path for path in params["paths"] if not os.path.isabs(path)]
    bad += [name for name in params["sysctls"] if not name or "/" in name or name.startswith(".") or ".." in name]
    if bad:
        module.fail_json(msg="system_state: paths must be absolute and sysctls dotted names, got %s"
                         % ", ".join(repr(path) for path in bad))
    module.run_command_environ_update = dict(LANG="C", LC_ALL="C", LC_MESSAGES="C")
    packages = _packages(module, params["packages"], params["package_manager"])
    module.exit_json(
        changed=False,
        packages=packages,
        packages_missing=[name for name in params["packages"] if packages.get(name) is None],
        units=_units(module, params["units"]),
        users=dict((name, _user(name)) for name in params["users"]),
        paths=dict((path, _path(path)) for path in params["paths"]),
        sysctls=dict((name, _sysctl(name)) for name in params["sysctls"]),
    )


if __name__ == "__main__":
    main()
