# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Address families of VRRP instances and the members' unicast addresses per family (dual-stack VIP pairs)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_family import (
    address_family,
    instance_family,
    instance_vrrp_version,
    member_unicast_address,
    unicast_plan,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import plan_host

VI_4 = {"name": "VI_4", "virtual_router_id": 83, "virtual_ipaddresses": ["198.18.83.183/24"]}
VI_6 = {"name": "VI_6", "virtual_router_id": 84, "virtual_ipaddresses": ["2001:2:0:83::183/64"]}
LBS = ["ds-lb1", "ds-lb2"]


def facts(v4, v6):
    """Host variables as the setup module leaves them on the molecule/dual_stack containers."""
    return {"ansible_facts": {"default_ipv4": {"address": v4} if v4 else {},
                              "default_ipv6": {"address": v6} if v6 else {}}}


MEMBERS = {"ds-lb1": facts("198.18.83.181", "2001:2:0:83::181"), "ds-lb2": facts("198.18.83.182", "2001:2:0:83::182")}


@pytest.mark.parametrize("value, family", [
    ("198.18.83.183/24", 4), ("2001:2:0:83::183/64", 6), ("2001:2:0:83::183", 6), ("198.18.83.183 dev eth0", 4),
    ("not-an-address", None), ("", None), (None, None),
])
def test_address_family(value, family):
    assert address_family(value) == family


def test_instance_family_is_that_of_the_first_address():
    assert instance_family(VI_4) == 4
    assert instance_family(VI_6) == 6
    assert instance_family({"virtual_ipaddresses": ["junk", "2001:2:0:83::184/64"]}) == 6
    assert instance_family({"virtual_ipaddresses": []}) == 4


def test_ipv6_instances_run_vrrp_version_3():
    assert instance_vrrp_version(6, 2) == 3
    assert instance_vrrp_version(6, "3") == 3
    assert instance_vrrp_version(4, "2") == 2


def test_plan_carries_the_family_of_each_instance():
    planned = plan_host([VI_4, VI_6], LBS, "ds-lb2")
    assert [(i["name"], i["family"], i["state"], i["priority"]) for i in planned] == [
        ("VI_4", 4, "BACKUP", 100), ("VI_6", 6, "BACKUP", 100)]


def test_member_address_prefers_the_variable_over_the_fact():
    member = dict(facts("198.18.83.181", "2001:2:0:83::181"), keepalived_unicast_src_ip6="2001:2:0:83::a")
    assert member_unicast_address(member, 6) == "2001:2:0:83::a"
    assert member_unicast_address(member, 4) == "198.18.83.181"
    assert member_unicast_address({}, 6) == ""


def test_unicast_plan_per_family():
    plan, problems = unicast_plan(LBS, "ds-lb1", MEMBERS, [6, 4, 6])
    assert problems == []
    assert plan == {"ipv4": {"src": "198.18.83.181", "peers": ["198.18.83.182"]},
                    "ipv6": {"src": "2001:2:0:83::181", "peers": ["2001:2:0:83::182"]}}


def test_unicast_plan_names_a_member_without_an_ipv6_address():
    members = dict(MEMBERS, **{"ds-lb2": facts("198.18.83.182", None)})
    plan, problems = unicast_plan(LBS, "ds-lb1", members, [6])
    assert plan["ipv6"]["peers"] == []
    assert problems == [
        "keepalived_unicast_src_ip6 of ds-lb2 is ''; keepalived_unicast is on and an instance has IPv6 VIPs, so every "
        "member needs its own IPv6 address, not link-local and without a prefix (set keepalived_unicast_src_ip6 or give the host a default IPv6 route, "
        "fact default_ipv6)"]


@pytest.mark.parametrize("value", ["198.18.83.182", "2001:2:0:83::182/64", "fe80::1%eth0", "fe80::42:c6ff:fe12:53b6"])
def test_unicast_plan_refuses_an_ipv6_variable_of_the_wrong_form(value):
    members = dict(MEMBERS, **{"ds-lb2": dict(MEMBERS["ds-lb2"], keepalived_unicast_src_ip6=value)})
    _plan, problems = unicast_plan(LBS, "ds-lb1", members, [6])
    assert len(problems) == 1 and problems[0].startswith("keepalived_unicast_src_ip6 of ds-lb2 is %r;" % value)


def test_unicast_plan_refuses_a_shared_address_however_written():
    members = dict(MEMBERS, **{"ds-lb2": dict(MEMBERS["ds-lb2"], keepalived_unicast_src_ip6="2001:2:0:83:0:0:0:181")})
    _plan, problems = unicast_plan(LBS, "ds-lb1", members, [6])
    assert problems == ["keepalived_unicast_src_ip6 of ds-lb2 is 2001:2:0:83:0:0:0:181, the same as ds-lb1's; every "
                        "member needs its own unicast address"]


def test_the_masters_default_ipv6_fact_is_its_vip_and_is_replaced_by_its_own_address():
    """Facts of ds-lb1 holding the IPv6 VIP (molecule/dual_stack, second run): the kernel lists the VIP first, so
    setup's default_ipv6 is the VIP; the unicast source must stay the host's own address."""
    master = {"ansible_facts": {
        "default_ipv6": {"address": "2001:2:0:83::183", "interface": "eth0", "prefix": "64"},
        "eth0": {"ipv6": [{"address": "2001:2:0:83::183", "prefix": "64", "scope": "global"},
                          {"address": "2001:2:0:83::181", "prefix": "64", "scope": "global"},
                          {"address": "fe80::42:c6ff:fe12:53b5", "prefix": "64", "scope": "link"}]}}}
    vips = ["198.18.83.183/24", "2001:2:0:83::183/64"]
    assert member_unicast_address(master, 6, vips) == "2001:2:0:83::181"
    assert member_unicast_address(master, 6) == "2001:2:0:83::183"
    plan, problems = unicast_plan(LBS, "ds-lb2", dict(MEMBERS, **{"ds-lb1": master}), [6], vips)
    assert problems == [] and plan["ipv6"] == {"src": "2001:2:0:83::182", "peers": ["2001:2:0:83::181"]}
