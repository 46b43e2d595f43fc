# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vrrp_setting_warnings
short_description: Warn about keepalived settings that are valid but probably unintended
version_added: 1.1.0
description:
  - Takes the same settings as P(halb.nginx_keepalived.vrrp_setting_problems#filter), shows each finding as an
    Ansible warning and returns them.
  - Today it warns about C(vrrp_strict) without C(accept), which makes the VIPs unreachable for nginx.
positional: host
options:
  _input:
    description: The settings (see P(halb.nginx_keepalived.vrrp_setting_problems#filter)).
    type: dict
    required: true
  host:
    description: Host name to prefix the warnings with.
    type: str
"""

EXAMPLES = r"""
- name: Warn about settings that make the VIP unreachable
  ansible.builtin.debug:
    msg: "{{ {'strict': true, 'accept': false} | halb.nginx_keepalived.vrrp_setting_warnings(inventory_hostname) }}"
"""

RETURN = r"""
_value:
  description: One sentence per warning.
  type: list
  elements: str
"""

from ansible.utils.display import Display

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_validate import settings_warnings


def _vrrp_setting_warnings(settings, host=None):
    warnings = settings_warnings(dict(settings))
    for warning in warnings:
        Display().warning("%s%s" % ("%s: " % host if host else "", warning))
    return warnings


class FilterModule(object):
    def filters(self):
        return {"vrrp_setting_warnings": _vrrp_setting_warnings}
