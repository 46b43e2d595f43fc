# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: drift_report
short_description: The lines of one host's drift report
version_added: 1.3.0
description:
  - A line naming the host and the count of drifted items (or saying it has none), then a line per item (kind, item,
    what was found, what is wanted) with the item's diff indented under it.
positional: items
options:
  _input:
    description: The host's name.
    type: str
    required: true
  items:
    description: The host's drifted items (filter P(halb.nginx_keepalived.drift_items#filter)).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Show what drifted on this host
  ansible.builtin.debug:
    msg: "{{ inventory_hostname | halb.nginx_keepalived.drift_report(halb_drift) }}"
"""

RETURN = r"""
_value:
  description: The report's lines.
  type: list
  elements: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.drift import report_lines


def _drift_report(host, items):
    return report_lines(str(host), list(items or []))


class FilterModule(object):
    def filters(self):
        return {"drift_report": _drift_report}
