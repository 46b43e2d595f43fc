# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation of both filters lives next to this file: vrrp_plan.yml and vrrp_expected_owners.yml.

from ansible.errors import AnsibleFilterError

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import (
    PlanError,
    expected_owners,
    plan_host,
)


def _vrrp_plan(instances, members, host, topology="master_backup", top_priority=110, priority_step=10):
    try:
        return plan_host(instances, members, host, topology, int(top_priority), int(priority_step))
    except PlanError as exc:
        raise AnsibleFilterError(str(exc))


def _vrrp_expected_owners(instances, members, topology="master_backup"):
    try:
        return expected_owners(instances, members, topology)
    except PlanError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {
            "vrrp_plan": _vrrp_plan,
            "vrrp_expected_owners": _vrrp_expected_owners,
        }
