# -*- coding: utf-8 -*-
"""One member's keepalived model (plugin_utils/keepalived_member.py), fed the settings and plans of real runs.

The fixtures (tests/unit/fixtures/member_models/keepalived_*.json) were captured from the keepalived role's validate
entry point on the corpus inventory with three sets of inputs: the defaults (base); sync groups, nopreempt,
preempt_delay, tracked interfaces, SMTP, GARP and notify scripts (rich); the fast profile, VRRP version 3, two
instances in dual_master and no backend check (fast). ``model`` is what that run resolved and what its templates
rendered byte for byte as before the model existed.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import json
import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.keepalived_member import resolve, segment

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "member_models")


def _captured(name):
    with open(os.path.join(FIXTURES, "keepalived_%s.json" % name)) as handle:
        return json.load(handle)


def _resolve(captured, **settings):
    return resolve(dict(captured["settings"], **settings), captured["plan"], "Corpus42", [], captured["facts"])


@pytest.mark.parametrize("name", ["base_lb1", "rich_lb2", "fast_lb1"])
def test_resolves_what_the_real_run_resolved(name):
    captured = _captured(name)
    model = _resolve(captured)
    # The run resolved the same (its password is the inventory's, or none with VRRP version 3).
    expected = copy.deepcopy(captured["model"])
    if not expected["auth_pass"]:
        model["vrrp"]["auth_pass_sha256"] = expected["vrrp"]["auth_pass_sha256"]
        model["agreed_fingerprint"] = expected["agreed_fingerprint"]
    assert model == expected


def test_instance_defaults_are_applied_once():
    model = _resolve(_captured("rich_lb2"))
    first, second = model["instances"]
    # nopreempt and preempt_delay need initial state BACKUP; the planned state is kept beside it.
    assert (first["nopreempt"], first["initial_state"], first["state"]) == (True, "BACKUP", "BACKUP")
    assert (second["preempt_delay"], second["initial_state"]) == (5, "BACKUP")
    # The role-wide tracked interfaces come first, then the instance's own; a bare name has no weight.
    assert first["track_interfaces"] == [{"name": "lo", "weight": 20}, {"name": "lo", "weight": None},
                                         {"name": "lo", "weight": 20}]
    assert second["track_interfaces"] == [{"name": "lo", "weight": 20}]
    # An instance's advert interval wins; without one, the role's.
    assert (first["advert_int"], second["advert_int"]) == (1, 2)
    assert [n["directive"] for n in first["notify"]] == ["notify_master", "notify"]
    # Without the state file, only the drain switch is tracked; smtp_alert only where the instance sets it.
    assert first["track_files"] == [{"name": "halb_drain", "weight": None}]
    assert (first["smtp_alert"], second["smtp_alert"]) == (True, None)
    assert model["global"]["smtp"] == {"server": "198.18.99.25", "connect_timeout": 30, "alert": False}


def test_authentication_and_the_password():
    captured = _captured("base_lb1")
    model = _resolve(captured)
    assert model["instances"][0]["authentication"] and model["auth_pass"] == "Corpus42"
    assert model["vrrp"]["auth_pass_sha256"] == hashlib.sha256(b"Corpus42").hexdigest()
    # Strict mode (or VRRP version 3) carries no password: the model keeps none.
    strict = _resolve(captured, strict=True)
    assert not strict["instances"][0]["authentication"] and strict["auth_pass"] == ""
    assert strict["agreed_fingerprint"] != model["agreed_fingerprint"]
    # An IPv6 instance under VRRP version 2 runs as version 3, without authentication.
    plan = copy.deepcopy(captured["plan"])
    plan["host_instances"][0]["family"] = 6
    six = resolve(captured["settings"], plan, "Corpus42", [], captured["facts"])
    assert six["instances"][0]["version3"] and not six["instances"][0]["authentication"] and six["auth_pass"] == ""


def test_checks_follow_their_switches():
    captured = _captured("base_lb1")
    model = _resolve(captured)
    assert model["check"]["url"] == "http://127.0.0.1:8082/halb-health"
    assert model["instances"][0]["track_scripts"] == ["chk_nginx", "chk_backends", "chk_backends_peer"]
    off = _resolve(captured, check_enabled="no", backend_check_enabled=False)
    assert off["check"] is None and off["backend_check"] is None
    assert off["instances"][0]["track_scripts"] == [] and off["instances"][0]["track_files"] == [
        {"name": "halb_drain", "weight": None}]
    # The partition check asks the other members on the peer port, unless the inventory lists its peers; none, none.
    assert model["backend_check"]["peer_targets"] == ["192.0.2.2:80"]
    assert _resolve(captured, backend_check_peer_port=8080)["backend_check"]["peer_targets"] == ["192.0.2.2:8080"]
    none = _resolve(captured, backend_check_peer_targets=[])
    assert none["instances"][0]["track_scripts"] == ["chk_nginx", "chk_backends"]


def test_the_firewall_admits_the_members():
    model = _resolve(_captured("base_lb1"))
    assert model["firewall"] == {"sources": ["192.0.2.2", "192.0.2.2"], "sources6": []}


def test_zero_switches_a_directive_off():
    model = _resolve(_captured("base_lb1"), garp_interval=0, garp_master_refresh="0", gna_interval="0.5")
    assert (model["global"]["garp_interval"], model["global"]["garp_master_refresh"]) == (None, None)
    assert model["global"]["gna_interval"] == "0.5"


def test_each_instance_knows_its_segment():
    captured = _captured("base_lb1")
    assert _resolve(captured)["instances"][0]["segment"] == "192.0.2.0/24"
    ipv6 = {"eth0": {"ipv6": [{"address": "fe80::1", "prefix": "64", "scope": "link"},
                              {"address": "2001:2:0:71::11", "prefix": "64", "scope": "global"}]}}
    assert segment(ipv6, "eth0", 6) == "2001:2:0:71::/64"
    assert segment({"br_lab": {"ipv4": {"address": "198.18.71.11", "netmask": "255.255.255.0"}}}, "br-lab", 4) == \
        "198.18.71.0/24"
    # Facts that do not name the interface (or no facts): unknown, and no segment is compared.
    assert segment({}, "eth0", 4) is None and segment(ipv6, "eth0", 4) is None
