# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parse real keepalived 2.2.7 (Debian 12) and 2.3.3 (Debian 13) state dumps."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_dump import (
    DumpError,
    instance_vip_addresses,
    parse_data_dump,
    parse_data_scripts,
    parse_dump,
    parse_json_dump,
    parse_signum,
    parse_version,
    parse_vip,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "keepalived")
VERSIONS = ["keepalived-2.2.7-debian12", "keepalived-2.3.3-debian13"]
FORMATS = ["data", "json"]


def load(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def by_name(instances):
    return dict((i["name"], i) for i in instances)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version", VERSIONS)
def test_master_backup_fault(version, fmt):
    instances = by_name(parse_dump(load("%s-master-fault.%s" % (version, fmt)), fmt))
    assert list(instances) == ["VI_1", "VI_2", "VI_3"]
    assert instances["VI_1"]["state"] == "MASTER"
    assert instances["VI_2"]["state"] == "BACKUP"
    assert instances["VI_3"]["state"] == "FAULT"
    assert [i["effective_priority"] for i in instances.values()] == [150, 100, 90]
    assert [i["base_priority"] for i in instances.values()] == [150, 100, 90]
    assert all(i["interface"] == "eth0" for i in instances.values())
    vrid_base = 100 if "2.2.7" in version else 110
    assert [i["virtual_router_id"] for i in instances.values()] == [vrid_base + 1, vrid_base + 2, vrid_base + 3]
    vi1 = instances["VI_1"]["vips"]
    assert vi1 == [{"address": "198.19.201.%d" % (vrid_base + 1), "prefix": 24, "interface": "eth0", "set": True}]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version", VERSIONS)
def test_two_vips_in_backup_instance(version, fmt):
    instances = by_name(parse_dump(load("%s-master-fault.%s" % (version, fmt)), fmt))
    vips = instances["VI_2"]["vips"]
    base = 100 if "2.2.7" in version else 110
    assert [(v["address"], v["prefix"], v["set"]) for v in vips] == [
        ("198.19.201.%d" % (base + 2), 24, False),
        ("198.19.201.%d" % (base + 4), 32, False),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version", VERSIONS)
def test_effective_priority_lowered_by_track_script(version, fmt):
    # nginx stopped on the peer: chk_nginx (weight -20) lowers both instances' priority.
    instances = by_name(parse_dump(load("%s-nginx-down.%s" % (version, fmt)), fmt))
    assert instances["VI_1"]["state"] == "BACKUP"
    assert instances["VI_1"]["effective_priority"] == 80
    assert instances["VI_1"]["base_priority"] == 100
    assert instances["VI_2"]["state"] == "MASTER"
    assert instances["VI_2"]["effective_priority"] == 130
    assert all(v["set"] for v in instances["VI_2"]["vips"])


@pytest.mark.parametrize("version", VERSIONS)
def test_data_and_json_agree(version):
    for scenario in ("master-fault", "backup", "nginx-down"):
        data = parse_data_dump(load("%s-%s.data" % (version, scenario)))
        js = parse_json_dump(load("%s-%s.json" % (version, scenario)))
        keys = ("name", "state", "interface", "virtual_router_id", "base_priority", "effective_priority", "vips")
        assert [[i[k] for k in keys] for i in data] == [[i[k] for k in keys] for i in js]


@pytest.mark.parametrize("version", VERSIONS)
def test_data_dump_master_router_of_backup(version):
    instances = by_name(parse_data_dump(load("%s-backup.data" % version)))
    assert instances["VI_1"]["state"] == "BACKUP"
    assert instances["VI_1"]["master_router"] in ("198.19.201.11", "198.19.201.13")
    assert instances["VI_1"]["master_priority"] == 150
    assert instances["VI_2"]["master_router"] is None


def test_instance_without_vip_is_reported_with_empty_list():
    text = load("keepalived-2.3.3-debian13-backup.data")
    # A real dump with VI_1's "Virtual IP" block removed: an instance without a VIP.
    lines = text.splitlines()
    start = lines.index("   Virtual IP (1):")
    del lines[start:start + 2]
    instances = by_name(parse_data_dump("\n".join(lines)))
    assert instances["VI_1"]["vips"] == []
    assert instance_vip_addresses(instances.values()) == ["198.19.201.112", "198.19.201.114"]


@pytest.mark.parametrize("version", VERSIONS)
def test_truncated_data_dump(version):
    text = load("%s-master-fault.data" % version)
    cut = text.index("------< VRRP Sockpool >------")
    with pytest.raises(DumpError, match="truncated"):
        parse_data_dump(text[:cut])
    # Cut inside the VIP list of VI_2 (announces 2 VIPs, lists 1) with a later section kept.
    lines = text[:cut].splitlines()
    second_vip = [i for i, line in enumerate(lines) if line.strip().startswith("198.19.201.1") and "/" not in line.split()[0]][0]
    with pytest.raises(DumpError, match="truncated"):
        parse_data_dump("\n".join(lines[:second_vip]) + "\n------< VRRP Sockpool >------\n")
    # Cut before the VRRP topology.
    with pytest.raises(DumpError, match="VRRP Topology"):
        parse_data_dump(text[:text.index("------< VRRP Topology >------")])


@pytest.mark.parametrize("version", VERSIONS)
def test_truncated_json_dump(version):
    text = load("%s-master-fault.json" % version)
    with pytest.raises(DumpError, match="cannot be parsed"):
        parse_json_dump(text[:len(text) // 2])


@pytest.mark.parametrize("text", ["", "   \n", "hello world\n"])
def test_not_a_dump(text):
    with pytest.raises(DumpError):
        parse_data_dump(text)


def test_json_unknown_state():
    with pytest.raises(DumpError, match="unknown state"):
        parse_json_dump('[{"data": {"iname": "VI_1", "state": 42, "vrid": 1, "effective_priority": 1}}]')


def test_json_not_a_list():
    with pytest.raises(DumpError, match="not a list"):
        parse_json_dump('{"data": {}}')


def test_parse_vip():
    assert parse_vip("198.19.201.104 dev eth0 scope global") == {
        "address": "198.19.201.104", "prefix": 32, "interface": "eth0", "set": False}
    assert parse_vip("2001:db8::1/64 dev eth0 scope global set")["prefix"] == 64
    assert parse_vip("2001:db8::1 dev eth0")["prefix"] == 128


def test_parse_version_and_signum():
    assert parse_version("Keepalived v2.2.7 (01/16,2022)\n\nCopyright(C) 2001-2022") == "2.2.7"
    assert parse_version("Keepalived v2.3.3 (03/30,2025)") == "2.3.3"
    assert parse_version("bash: keepalived: not found") is None
    assert parse_signum("36\n") == 36
    assert parse_signum("Unknown sigfunc JSON\n") is None


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version", VERSIONS)
def test_timers_of_each_instance(version, fmt):
    instances = by_name(parse_dump(load("%s-backup.%s" % (version, fmt)), fmt))
    for inst in instances.values():
        assert inst["vrrp_version"] == 2
        assert inst["advert_int"] == 1
        assert inst["nopreempt"] is False


@pytest.mark.parametrize("version", VERSIONS)
def test_scripts_of_the_text_dump(version):
    scripts = parse_data_scripts(load("%s-nginx-down.data" % version))
    assert scripts == [{"name": "chk_nginx", "interval": 1.0, "fall": 2, "rise": 2, "weight": -20}]
    assert parse_data_scripts(load("%s-backup.json" % version)) == []


def test_sub_second_advert_and_nopreempt():
    text = load("keepalived-2.2.7-debian12-backup.data").replace(
        "   Advert interval = 1 sec", "   Advert interval = 100 milli-sec", 1).replace(
        "   Preempt = enabled", "   Preempt = disabled", 1)
    vi_1 = by_name(parse_data_dump(text))["VI_1"]
    assert vi_1["advert_int"] == 0.1
    assert vi_1["nopreempt"] is True
