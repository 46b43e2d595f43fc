# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: drift_items
short_description: List what drifted on a host, from a role's read of it
version_added: 1.3.0
description:
  - Compares a M(halb.nginx_keepalived.system_state) result with what the role wants (packages installed, units
    active and enabled, users, live sysctls, file checksums), adds the files of M(halb.nginx_keepalived.managed_files)
    results run in check and diff mode, then the O(extra) items the role built itself.
  - Each item has C(kind), C(item), C(found), C(wanted) and C(diff) (a unified diff for a file whose content
    differs; the content of a sensitive file is hidden). Each role's C(drift) entry point sets its items as a fact
    (C(webserver_drift), C(nginx_lb_drift), C(keepalived_drift)); C(playbooks/drift_report.yml) prints them.
positional: files, wanted, extra
options:
  _input:
    description: The system_state result.
    type: dict
    required: true
  files:
    description: The managed_files results (check and diff mode); skipped ones are ignored.
    type: list
    elements: dict
    required: true
  wanted:
    description:
      - What the role wants - C(packages) (list), C(units) (list, active and enabled), C(users) (name to C(home) and
        C(shell)), C(sysctls) (name to value) and C(checksums) (path to SHA-256).
    type: dict
    required: true
  extra:
    description: Items the role found itself, each with C(kind), C(item), C(found), C(wanted) and optionally C(diff).
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
- name: List what drifted on this web server
  ansible.builtin.set_fact:
    webserver_drift: >-
      {{ __webserver_state | halb.nginx_keepalived.drift_items([__webserver_drift_files],
                                                               {'packages': ['nginx'], 'units': ['nginx']}) }}
"""

RETURN = r"""
_value:
  description: The drifted items, the state's first (packages, units, users, sysctls, checksums), then the files, then O(extra).
  type: list
  elements: dict
"""

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.drift import drift_items


def _drift_items(state, files, wanted, extra=None):
    return drift_items(state or {}, list(files or []), wanted or {}, list(extra or []))


class FilterModule(object):
    def filters(self):
        return {"drift_items": _drift_items}
