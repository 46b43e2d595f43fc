# -*- coding: utf-8 -*-
"""The backends of the keepalived backend check (filter backend_check_targets)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._backend_check import (
    backend_targets,
    peer_targets,
    target_problems,
)

# As the lab's inventory and facts give them: web1 by its default IPv4 address, web2 with an own address and port.
HOSTVARS = {
    "web1": {"ansible_facts": {"default_ipv4": {"address": "198.18.71.191"}}},
    "web2": {"nginx_lb_backend_address": "2001:2:0:71::192", "nginx_lb_backend_port": 8080,
             "ansible_facts": {"default_ipv4": {"address": "198.18.71.192"}}},
    "web3": {},
}


def test_targets_follow_the_upstream():
    assert backend_targets(["web1", "web2"], HOSTVARS, 80) == ["198.18.71.191:80", "[2001:2:0:71::192]:8080"]
    assert target_problems("t", backend_targets(["web1", "web2"], HOSTVARS, 80)) == []


def test_a_host_without_address_is_named():
    assert backend_targets(["web3"], HOSTVARS, 80) == ["web3:?"]
    assert target_problems("t", ["web3:?"])[0].startswith("t[0] is 'web3:?'; allowed: 'address:port'")


def test_bad_targets():
    assert target_problems("t", []) == [
        "t is []; give at least one backend as 'address:port' (or turn the backend check off) [keepalived-backend-check-targets]"]
    assert target_problems("t", "198.18.71.191:80") != []
    assert len(target_problems("t", ["198.18.71.191", "[::1]:0", "[198.18.71.1]:80", "a b:80"])) == 4
    assert target_problems("t", ["[::1]:65535", "lb.example:1"]) == []


def test_a_backend_marked_down_is_not_a_check_target():
    down = dict(HOSTVARS, web2=dict(HOSTVARS["web2"], nginx_lb_backend_down=True))
    assert backend_targets(["web1", "web2"], down, 80) == ["198.18.71.191:80"]
    both = dict(down, web1=dict(HOSTVARS["web1"], nginx_lb_backend_down="yes"))
    assert backend_targets(["web1", "web2"], both, 80) == []


def test_peer_targets_are_the_other_members_with_an_address():
    addresses = {"lb1": "198.18.71.181", "lb2": "2001:2:0:71::182", "lb3": ""}
    assert peer_targets(addresses, "lb1", 80) == ["[2001:2:0:71::182]:80"]
    assert peer_targets(addresses, "lb2", 8080) == ["198.18.71.181:8080"]
    assert peer_targets(addresses, "lb9", 80) == ["198.18.71.181:80", "[2001:2:0:71::182]:80"]
    assert peer_targets(None, "lb1", 80) == []


def test_peer_targets_may_be_empty_but_not_malformed():
    assert target_problems("p", [], allow_empty=True) == []
    assert target_problems("p", ["198.18.71.182:80"], allow_empty=True) == []
    assert target_problems("p", "lb2:80", allow_empty=True) == [
        "p is 'lb2:80'; allowed: a list of 'address:port' (an empty list turns this check off) [keepalived-backend-check-targets]"]
    assert target_problems("p", ["lb2"], allow_empty=True)[0].startswith("p[0] is 'lb2'; allowed: 'address:port'")


def test_peer_targets_from_the_plans_ipv6_addresses_are_bracketed_and_valid():
    """The keepalived plan's addresses6 on molecule/dual_stack (the role uses its IPv4 addresses by default)."""
    addresses6 = {"ds-lb1": "2001:2:0:83::181", "ds-lb2": "2001:2:0:83::182"}
    targets = peer_targets(addresses6, "ds-lb1", 8081)
    assert targets == ["[2001:2:0:83::182]:8081"]
    assert target_problems("keepalived_backend_check_peer_targets", targets, allow_empty=True) == []
