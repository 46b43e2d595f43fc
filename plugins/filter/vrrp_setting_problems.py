# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: vrrp_setting_problems
short_description: List what is wrong with a host's keepalived settings
version_added: 1.1.0
description:
  - Checks every value of the keepalived role that lands in a file against that file's syntax, the range rules of
    the numeric settings (the only place they live), and rules that combine several variables; returns one
    sentence per problem, naming the variable (with its list index), the value and what is allowed.
  - Syntax of the router id, sync group names, the script user, the checked service (it goes into a sudo rule),
    the tracked process, interface names (and, when the host's facts list its interfaces, that the host has
    them), paths, the tarball URL, version and checksum, mail addresses and the SMTP server.
  - Ranges of the priorities (top 2..254, step >= 1, the last member keeps priority >= 1), the check script's
    interval, timeout, fall and rise, C(vrrp_garp_interval) and C(vrrp_gna_interval), the SMTP connect timeout.
  - Advertisement intervals for the VRRP version; authentication against version 3 and strict mode; strict
    mode against unicast, preempt_delay and IPv6 VIPs with version 2; preempt_delay against nopreempt; weights
    of the check script, tracked processes and interfaces that could never move a VIP; tracked interfaces equal to
    the instance's own; virtual routes; notify scripts; sync groups (existing instances, at least two, one group
    per instance, one master per group); SMTP alerts without server, recipients or sender; unicast members without
    an address of their own in each address family their instances use (IPv4, IPv6).
  - The password is never passed in (only whether it is set, its length and whether it can be quoted), so no
    message can contain it.
options:
  _input:
    description:
      - The settings, a dict with keys C(vrrp_version), C(advert_int), C(strict), C(accept), C(auth_pass_set),
        C(auth_pass_length), C(auth_pass_quotable), C(unicast), C(unicast_addresses), C(unicast_addresses6), C(nopreempt),
        C(preempt_delay), C(priority_top), C(priority_step), C(members), C(host), C(topology), C(interface),
        C(host_interfaces), C(check_enabled), C(check_weight), C(check_interval), C(check_timeout), C(check_fall),
        C(check_rise), C(track_process_enabled), C(track_process_name), C(track_process_weight),
        C(track_interfaces), C(notify_scripts), C(sync_groups), C(instances), C(router_id), C(script_user),
        C(check_service), C(state_log), C(install_method), C(prefix), C(build_dir), C(source_url), C(version),
        C(source_checksum), C(notification_email), C(notification_email_from), C(smtp_server),
        C(smtp_connect_timeout), C(smtp_alert), C(garp_interval), C(gna_interval); keys left out are not checked.
      - An instance's C(master) must be one of C(members); whether a sync group's instances have one master is
        checked on the member's resolved model (P(halb.nginx_keepalived.cluster_model#filter)).
    type: dict
    required: true
  hostvars:
    description:
      - The variables of every host (C(hostvars)). When given and C(unicast) is on, C(unicast_addresses) and
        C(unicast_addresses6) are the members' IPv4 and IPv6 addresses as P(halb.nginx_keepalived.keepalived_plan#filter)
        resolves them; the IPv6 ones are checked when an instance has IPv6 VIPs, the IPv4 ones when an instance has
        IPv4 VIPs (or none is given).
    type: dict
"""

EXAMPLES = r"""
- name: Refuse contradicting settings
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join(' | ') }}"
  vars:
    problems: "{{ {'vrrp_version': 3, 'advert_int': 0.1, 'auth_pass_set': false} | halb.nginx_keepalived.vrrp_setting_problems }}"

- name: Refuse unicast members without an address of their own
  ansible.builtin.assert:
    that: problems | length == 0
  vars:
    problems: "{{ {'unicast': true, 'members': groups['load_balancers']} | halb.nginx_keepalived.vrrp_setting_problems(hostvars) }}"
"""

RETURN = r"""
_value:
  description:
    - One sentence per problem, ending with its rule id in brackets (C([vrrp-advert-int])); empty when the settings are consistent.
  type: list
  elements: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_plan import (
    cluster_vips,
    member_addresses,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_validate import settings_problems


def _vrrp_setting_problems(settings, hostvars=None):
    settings = dict(settings)
    if hostvars is not None and settings.get("unicast"):
        members = list(settings.get("members") or [])
        settings["unicast_addresses"] = member_addresses(members, hostvars)
        settings["unicast_addresses6"] = member_addresses(members, hostvars, 6, cluster_vips(settings.get("instances")))
    return settings_problems(settings)


class FilterModule(object):
    def filters(self):
        return {"vrrp_setting_problems": _vrrp_setting_problems}
