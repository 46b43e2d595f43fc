# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: keepalived_member
short_description: Resolve one member's keepalived model, which its keepalived.conf, scripts and units render
version_added: 1.1.0
description:
  - Applies every default once (each instance's interface, advert interval, preemption and tracked interfaces, the
    trackers every instance carries, the initial state C(nopreempt) and C(preempt_delay) need) and returns the model
    the keepalived role's templates render. The role's C(validate) entry point sets it as this host's
    C(__keepalived_model) (under C(no_log), since it holds the VRRP password); the cluster model is built from it.
positional: plan, auth_pass, warnings, facts
options:
  _input:
    description: The keepalived role's settings (C(__keepalived_settings)).
    type: dict
    required: true
  plan:
    description: The cluster plan as this member sees it (filter C(keepalived_plan) with C(host)).
    type: dict
    required: true
  auth_pass:
    description: The VRRP password (kept only when an instance authenticates).
    type: str
    required: true
  warnings:
    description: What this member's settings probably did not mean (filter C(vrrp_setting_warnings)), kept for the cluster model.
    type: list
    elements: str
    required: true
  facts:
    description: This host's gathered facts (C(ansible_facts)); each instance's C(segment) is its interface's network.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Resolve this member's keepalived model
  ansible.builtin.set_fact:
    __keepalived_model: >-
      {{ __keepalived_settings | halb.nginx_keepalived.keepalived_member(__keepalived_cluster_plan, keepalived_auth_pass,
         [], ansible_facts) }}
  no_log: true
"""

RETURN = r"""
_value:
  description:
    - C(global) (global_defs), C(check), C(backend_check) and C(track_process) (null when off), C(sync_groups),
      C(instances) (each with C(initial_state), C(interface), C(segment), C(advert_int), C(unicast), C(authentication),
      C(track_interfaces), C(track_scripts), C(track_files), C(track_processes), C(notify)), C(install), C(script_user),
      C(state_log), C(check_service), C(firewall) (the VRRP sources it admits), C(vrrp) (what every member must agree
      on, the password as its sha256), C(plan) (the cluster-wide part), C(agreed_fingerprint), C(warnings) and
      C(auth_pass).
  type: dict
"""

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.keepalived_member import resolve


def _keepalived_member(settings, plan, auth_pass, warnings, facts=None):
    return resolve(settings, plan, "" if auth_pass is None else str(auth_pass), list(warnings or []), facts or {})


class FilterModule(object):
    def filters(self):
        return {"keepalived_member": _keepalived_member}
