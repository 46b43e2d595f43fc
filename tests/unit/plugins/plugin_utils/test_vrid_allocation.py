# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""VRIDs for the instances that leave virtual_router_id out: from the names, kept from the members' records, and
moved (the newcomer only) when another instance on the segment uses them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.vrid_allocation import (
    RULE_VRID_PARTIAL, RULE_VRID_POOL, allocate, fill, hashed_vrid)

SEGMENT = "198.18.85.0/24"


def member(cluster, instances, recorded=None, segment=SEGMENT):
    return {"cluster": cluster, "recorded": recorded or {},
            "instances": [dict({"family": 4, "segment": segment}, **instance) for instance in instances]}


def colliding_names(vrid, count):
    """Cluster names whose instance VI_1 hashes to vrid (found by search: the hash is fixed)."""
    names = []
    index = 0
    while len(names) < count:
        name = "site%d" % index
        if hashed_vrid(name, "VI_1") == vrid:
            names.append(name)
        index += 1
    return names


def test_the_vrid_from_the_names_is_stable_and_in_range():
    assert hashed_vrid("site_a", "VI_1") == hashed_vrid("site_a", "VI_1")
    assert hashed_vrid("site_a", "VI_1") != hashed_vrid("site_a", "VI_2")
    assert all(1 <= hashed_vrid("c%d" % n, "VI_1") <= 255 for n in range(2000))


def test_instances_without_a_vrid_take_it_from_their_names_and_members_agree():
    inputs = {"lb1": member("site_a", [{"name": "VI_1"}, {"name": "VI_2", "virtual_router_id": 51}]),
              "lb2": member("site_a", [{"name": "VI_1"}, {"name": "VI_2", "virtual_router_id": 51}])}
    allocated, notes, problems = allocate(inputs)
    wanted = hashed_vrid("site_a", "VI_1")
    assert wanted != 51
    assert allocated == {"site_a": {"VI_1": wanted}} and problems == {}
    assert notes == ["cluster site_a: instance VI_1 took VRID %d (from its name)" % wanted]


def test_a_newcomer_whose_hash_collides_with_a_deployed_cluster_moves_and_says_so():
    deployed, newcomer = colliding_names(hashed_vrid("site0", "VI_1"), 2)
    vrid = hashed_vrid(deployed, "VI_1")
    inputs = {"lb1": member(deployed, [{"name": "VI_1"}], recorded={"VI_1": vrid}),
              "lb2": member(deployed, [{"name": "VI_1"}], recorded={"VI_1": vrid}),
              "lb3": member(newcomer, [{"name": "VI_1"}]), "lb4": member(newcomer, [{"name": "VI_1"}])}
    allocated, notes, problems = allocate(inputs)
    moved = vrid % 255 + 1
    assert allocated == {deployed: {"VI_1": vrid}, newcomer: {"VI_1": moved}} and problems == {}
    # The deployed cluster keeps its VRID silently; the newcomer names who holds its VRID, where, and what it took.
    assert notes == ["cluster %s: instance VI_1 took VRID %d (VRID %d, from its name, is used by cluster %s's "
                     "instance VI_1 on segment %s, IPv4)" % (newcomer, moved, vrid, deployed, SEGMENT)]


def test_a_deployed_cluster_keeps_its_recorded_vrid_whatever_its_name_gives():
    vrid = hashed_vrid("site_a", "VI_1") % 255 + 1
    inputs = {"lb1": member("site_a", [{"name": "VI_1"}], recorded={"VI_1": vrid})}
    assert allocate(inputs) == ({"site_a": {"VI_1": vrid}}, [], {})


def test_members_that_recorded_different_vrids_take_the_first_ones():
    inputs = {"lb1": member("site_a", [{"name": "VI_1"}], recorded={"VI_1": 40}),
              "lb2": member("site_a", [{"name": "VI_1"}], recorded={"VI_1": 41})}
    allocated, notes, problems = allocate(inputs)
    assert allocated == {"site_a": {"VI_1": 40}} and problems == {}
    assert notes == ["cluster site_a: instance VI_1 keeps VRID 40, recorded by lb1; lb2 recorded 41"]


def test_explicit_vrids_on_the_segment_are_avoided_and_other_segments_or_families_do_not_count():
    wanted = hashed_vrid("site_a", "VI_1")
    other = {"lb9": member("site_b", [{"name": "VI_9", "virtual_router_id": wanted}])}
    assert allocate(dict(other, lb1=member("site_a", [{"name": "VI_1"}])))[0]["site_a"]["VI_1"] == wanted % 255 + 1
    elsewhere = dict(other, lb1=member("site_a", [{"name": "VI_1"}], segment="198.18.86.0/24"))
    assert allocate(elsewhere)[0]["site_a"]["VI_1"] == wanted
    ipv6 = {"lb1": member("site_a", [{"name": "VI_1", "family": 6}])}
    assert allocate(dict(other, **ipv6))[0]["site_a"]["VI_1"] == wanted


def test_vrid_255_wraps_to_1():
    name = colliding_names(255, 1)[0]
    inputs = {"lb9": member("other", [{"name": "X", "virtual_router_id": 255}]), "lb1": member(name, [{"name": "VI_1"}])}
    assert allocate(inputs)[0][name]["VI_1"] == 1


def test_a_full_segment_and_a_partial_run_refuse_a_new_vrid():
    full = {"lb9": member("other", [{"name": "X%d" % n, "virtual_router_id": n} for n in range(1, 256)]),
            "lb1": member("site_a", [{"name": "VI_1"}])}
    allocated, dummy, problems = allocate(full)
    assert "site_a" not in allocated and [rule for rule, dummy in problems["site_a"]] == [RULE_VRID_POOL]
    assert list(problems) == ["site_a"]
    assert "every VRID 1..255 is used on its segment %s in IPv4" % SEGMENT in problems["site_a"][0][1]
    allocated, dummy, problems = allocate({"lb1": member("site_a", [{"name": "VI_1"}])}, missing=["lb7"])
    assert allocated == {} and [rule for rule, dummy in problems["site_a"]] == [RULE_VRID_PARTIAL]
    assert list(problems) == ["site_a"]
    assert "this run leaves out lb7" in problems["site_a"][0][1]
    # A VRID kept from the record needs nobody else's.
    kept = {"lb1": member("site_a", [{"name": "VI_1"}], recorded={"VI_1": 7})}
    assert allocate(kept, missing=["lb7"]) == ({"site_a": {"VI_1": 7}}, [], {})


def test_fill_sets_only_the_missing_vrids():
    instances = [{"name": "VI_1"}, {"name": "VI_2", "virtual_router_id": 52}, {"name": "VI_3", "virtual_router_id": None}]
    assert fill(instances, {"VI_1": 9, "VI_2": 99, "VI_3": 10}) == [
        {"name": "VI_1", "virtual_router_id": 9}, {"name": "VI_2", "virtual_router_id": 52},
        {"name": "VI_3", "virtual_router_id": 10}]
    assert instances[0] == {"name": "VI_1"}
