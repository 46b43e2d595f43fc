# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: monitoring_problems
short_description: List what is wrong with a host's monitoring settings
version_added: 1.0.0
description:
  - The rules of the monitoring role that an argument spec cannot express, in one call; one sentence per problem,
    naming the variable, its value and what is allowed.
  - The host is a load balancer or a monitor host; both groups have hosts; every duration is a Prometheus duration
    (C(500ms), C(15s), C(10m), C(4h), C(15d)); C(monitoring_flap_transitions) and C(monitoring_collector_interval)
    are at least 1 and C(monitoring_stale_after) longer than the collector interval; the monitored instances name
    their VIPs.
options:
  _input:
    description:
      - The settings, a dict with keys C(host), C(lb_group), C(server_group), C(lb_members), C(server_members),
        every duration variable by its name (C(monitoring_scrape_interval), ...), C(flap_transitions),
        C(collector_interval), C(stale_after), C(instances) and C(instances_of); keys left out are not checked.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse bad monitoring settings
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join(' | ') }}"
  vars:
    problems: "{{ {'monitoring_scrape_interval': '15 seconds'} | halb.nginx_keepalived.monitoring_problems }}"
"""

RETURN = r"""
_value:
  description:
    - One sentence per problem, ending with its rule id in brackets (C([monitoring-duration])); empty when the settings are valid.
  type: list
  elements: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._monitoring_validate import monitoring_problems


def _monitoring_problems(settings):
    return monitoring_problems(dict(settings))


class FilterModule(object):
    def filters(self):
        return {"monitoring_problems": _monitoring_problems}
