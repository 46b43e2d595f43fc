# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: package_query
short_description: Read which packages are installed, the way system_state reads them
version_added: 1.3.0
description:
  - C(package_query) - the shell command (quoted) that prints the installed version of each package, C(dpkg-query) on
    apt hosts and C(rpm) elsewhere; for a task that reads packages within a command of its own.
  - C(package_versions) - that command's output as a dict, each package to its version, or none when it is not
    installed (dpkg - a status other than installed, or a reinstall-required flag).
  - The same command and parser as M(halb.nginx_keepalived.system_state) (C(plugins/module_utils/_system_state.py)).
positional: names, output
options:
  _input:
    description: The package manager fact (C(ansible_facts['pkg_mgr'])).
    type: str
    required: true
  names:
    description: The packages.
    type: list
    elements: str
    required: true
  output:
    description: The command's standard output (package_versions).
    type: str
"""

EXAMPLES = r"""
- name: Read whether Debian's keepalived package is installed
  ansible.builtin.command: "sh -c {{ ansible_facts['pkg_mgr'] | halb.nginx_keepalived.package_query(['keepalived']) | quote }}"
  register: packages
  changed_when: false

- name: Show it
  ansible.builtin.debug:
    msg: "{{ ansible_facts['pkg_mgr'] | halb.nginx_keepalived.package_versions(['keepalived'], packages.stdout) }}"
"""

RETURN = r"""
_value:
  description: The command (package_query), or package to version or none (package_versions).
  type: raw
"""

import shlex

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._system_state import (
    package_query_argv,
    parse_package_query,
)


def package_query(pkg_mgr, names):
    return " ".join(shlex.quote(arg) for arg in package_query_argv(pkg_mgr, names))


def package_versions(pkg_mgr, names, output=""):
    return parse_package_query(pkg_mgr, output or "", list(names))


class FilterModule(object):
    def filters(self):
        return {"package_query": package_query, "package_versions": package_versions}
