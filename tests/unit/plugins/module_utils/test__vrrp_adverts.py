# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""vrrp_adverts' parser and summary, fed adverts captured with a packet socket on the molecule scenarios' load
balancers: master_backup (VRRPv2, PASS authentication, multicast, VRIDs 51 and 52), dual_master (VRRPv3 over IPv4 by
unicast) and dual_stack (VRRPv3 over IPv6). One hex-encoded packet per line, as the kernel hands it over (no
link-layer header). In the VRRPv2 adverts the run's password (generated per run) is replaced by ``lab-pass`` and the
checksum recomputed: nothing else is changed."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import binascii
import os

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_adverts import (
    MAX_SOURCES, checksum, count, listen_seconds, new_totals, parse, summarise)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_metrics import render_adverts

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "vrrp_adverts")


def packets(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return [binascii.unhexlify(line.strip()) for line in handle if line.strip()]


def test_vrrp_v2_adverts_with_a_password_over_ipv4():
    adverts = [parse(p) for p in packets("master_backup_v2.hex")]
    assert adverts and all(a is not None and a["problems"] == [] for a in adverts)
    assert set((a["family"], a["version"], a["auth_type"]) for a in adverts) == {(4, 2, 1)}
    assert set(a["vrid"] for a in adverts) == {51, 52}
    by_vrid = dict((a["vrid"], a) for a in adverts)
    assert by_vrid[51]["addresses"] == ["198.18.71.183"]
    assert by_vrid[52]["addresses"] == ["198.18.71.184"]
    assert by_vrid[51]["destination"] == "224.0.0.18"
    assert by_vrid[51]["advert_int"] == 1.0


def test_vrrp_v3_adverts_by_unicast_over_ipv4():
    adverts = [parse(p) for p in packets("dual_master_v3.hex")]
    assert adverts and all(a["problems"] == [] for a in adverts)
    assert set((a["family"], a["version"], a["auth_type"]) for a in adverts) == {(4, 3, None)}
    assert all(not a["destination"].startswith("224.") for a in adverts)


def test_vrrp_v3_adverts_over_ipv6():
    # keepalived's unicast IPv6 adverts carry hop limit 64, not 255: only the multicast group requires 255.
    adverts = [parse(p) for p in packets("dual_stack_v3_ipv6.hex")]
    assert adverts and all(a["problems"] == [] for a in adverts)
    assert set(packet[7] for packet in packets("dual_stack_v3_ipv6.hex")) == {64}
    assert set((a["family"], a["version"]) for a in adverts) == {(6, 3)}
    assert all(":" in address for a in adverts for address in a["addresses"])


def test_a_changed_byte_fails_the_checksum_and_a_wrong_ttl_is_reported():
    for name in ("master_backup_v2.hex", "dual_master_v3.hex", "dual_stack_v3_ipv6.hex"):
        packet = bytearray(packets(name)[0])
        header = 20 if packet[0] >> 4 == 4 else 40
        packet[header + 2] ^= 0x01  # the priority
        assert "bad checksum" in parse(bytes(packet))["problems"], name
    packet = bytearray(packets("master_backup_v2.hex")[0])
    packet[8] = 64
    assert parse(bytes(packet))["problems"] == ["TTL 64 (VRRP requires 255)"]


def test_a_truncated_advert_and_other_protocols():
    packet = packets("master_backup_v2.hex")[0]
    assert "shorter than a VRRP header" in parse(packet[:24])["problems"][-1]
    assert parse(packet[:20] + packet[20:30])["problems"][-1].startswith("1 addresses announced")
    tcp = bytearray(packet)
    tcp[9] = 6
    assert parse(bytes(tcp)) is None
    assert parse(b"") is None


def test_the_checksum_of_a_correct_message_is_zero():
    packet = packets("master_backup_v2.hex")[0]
    assert checksum(packet[20:]) == 0


def test_adverts_from_outside_the_cluster_for_its_vrids_are_foreign():
    adverts = [parse(p) for p in packets("master_backup_v2.hex")]
    members = sorted(set(a["source"] for a in adverts))
    foreign_source = dict(adverts[0], source="198.18.71.171", priority=50)
    other_vrid = dict(adverts[0], source="198.18.71.172", vrid=99)
    summary = summarise(adverts + [foreign_source, foreign_source, other_vrid], members, [51, 52])
    assert [(f["source"], f["vrid"], f["priority"], f["count"]) for f in summary["foreign"]] == [
        ("198.18.71.171", adverts[0]["vrid"], 50, 2)]
    assert [e["source"] for e in summary["adverts"] if not e["member"]] == ["198.18.71.171", "198.18.71.172"]
    assert summary["malformed"] == 0


def test_malformed_adverts_are_counted_with_their_problems():
    packet = bytearray(packets("master_backup_v2.hex")[0])
    packet[8] = 1
    advert = parse(bytes(packet))
    summary = summarise([advert, advert], [advert["source"]], [advert["vrid"]])
    assert summary["malformed"] == 2
    assert summary["adverts"][0]["problems"] == ["TTL 1 (VRRP requires 255)"]
    assert summary["foreign"] == []


def test_foreign_adverts_are_named_as_the_refusals_show_them():
    adverts = [parse(p) for p in packets("master_backup_v2.hex")]
    foreign = dict(adverts[0], source="198.18.71.171", priority=200)
    summary = summarise(adverts + [foreign] * 3, sorted(set(a["source"] for a in adverts)), [51, 52], "eth0")
    assert summary["foreign_text"] == ["198.18.71.171 VRID %d priority 200 (VRRPv2, 3 adverts on eth0)"
                                       % adverts[0]["vrid"]]


def _metric(text, name, **labels):
    """The value of one series of the rendered metrics (labels in the order the renderer writes them)."""
    wanted = "halb_keepalived_vrrp_%s{%s}" % (name, ",".join('%s="%s"' % item for item in labels.items()))
    values = [line.split(" ")[-1] for line in text.splitlines() if line.split(" ")[0] == wanted]
    assert len(values) == 1, (wanted, text)
    return values[0]


def test_the_listener_counts_foreign_and_malformed_adverts_across_windows():
    adverts = [parse(p) for p in packets("master_backup_v2.hex")]
    members = sorted(set(a["source"] for a in adverts))
    foreign = dict(adverts[0], source="198.18.71.171", priority=200, vrid=51)
    bad = bytearray(packets("master_backup_v2.hex")[0])
    bad[8] = 1  # TTL 1 on the multicast group
    malformed = parse(bytes(bad))
    totals = new_totals()
    count(totals, summarise(adverts + [foreign, foreign], members, [51, 52], "eth0"), "eth0", 100.0)
    count(totals, summarise([foreign, malformed], members, [51, 52], "eth0"), "eth0", 110.0)
    watched = [("eth0", 4, 51), ("eth0", 4, 52)]
    text = render_adverts(totals, watched, 110.5)
    assert _metric(text, "foreign_adverts_total", interface="eth0", family="ipv4", vrid=51) == "3"
    # A VRID nobody foreign used is exported at 0, so that the first foreign advert is an increase.
    assert _metric(text, "foreign_adverts_total", interface="eth0", family="ipv4", vrid=52) == "0"
    assert _metric(text, "malformed_adverts_total", interface="eth0", family="ipv4", vrid=malformed["vrid"]) == "1"
    labels = dict(interface="eth0", family="ipv4", vrid=51, source="198.18.71.171")
    assert _metric(text, "foreign_source_last_seen_timestamp_seconds", **labels) == "110.0"
    assert _metric(text, "foreign_source_priority", **labels) == "200"
    assert text.endswith("halb_keepalived_vrrp_listener_last_write_timestamp_seconds 110.5\n")
    # The members' own adverts are not counted anywhere, and no password reaches a metric.
    assert members[0] not in text and "lab-pass" not in text


def test_a_flood_from_many_sources_keeps_the_most_recent_ones_only():
    advert = parse(packets("master_backup_v2.hex")[0])
    totals = new_totals()
    for index in range(MAX_SOURCES + 4):
        flood = dict(advert, source="198.18.72.%d" % index)
        count(totals, summarise([flood], [], [advert["vrid"]], "eth0"), "eth0", float(index))
    sources = sorted(key[3] for key in totals["sources"])
    assert len(sources) == MAX_SOURCES and "198.18.72.0" not in sources and "198.18.72.19" in sources
    assert totals["foreign"][("eth0", 4, advert["vrid"])] == MAX_SOURCES + 4


def test_three_advert_intervals_and_half_a_second_between_1_and_60_seconds():
    assert listen_seconds(1) == 3.5
    assert listen_seconds(0.1) == 1.0
    assert listen_seconds(2.5) == 8.0
    assert listen_seconds(40) == 60.0
