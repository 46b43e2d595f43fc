# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VRIDs for the instances that leave ``virtual_router_id`` out: from the cluster and instance names, never one that
another instance on the same L2 segment uses in the same address family.

Every member of every cluster in the run hands over what it knows (``inputs``: its cluster, each instance's name,
explicit VRID or none, interface, address family and segment, and the VRIDs its last deploy recorded); ``allocate``
returns the same answer on every host, in three passes:

1. explicit VRIDs are taken as given (a clash between two of them is refused by the cluster model's
   ``cluster-vrid-collision`` rule, naming both clusters);
2. an instance without one keeps the VRID its cluster's members recorded at their last deploy, so a deployed
   cluster never changes its VRIDs when other clusters are added;
3. the others, in the order of their cluster and instance names, take ``sha256("<cluster>/<instance>") % 255 + 1``,
   or, when that VRID is used on one of their segments in their family, the next free one (wrapping after 255): the
   newcomer moves, and its note says from which VRID, because of whom, to which.

Controller-side, stdlib only.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import hashlib
from collections.abc import Mapping
from typing import Any

Problem = tuple[str, str]

RULE_VRID_POOL = "cluster-vrid-pool-exhausted"
RULE_VRID_PARTIAL = "cluster-vrid-partial-run"

FIRST_VRID, LAST_VRID = 1, 255


def hashed_vrid(cluster: str, instance: str) -> int:
    """The VRID an instance takes from its names when nothing else uses it: 1..255."""
    digest = hashlib.sha256(("%s/%s" % (cluster, instance)).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % (LAST_VRID - FIRST_VRID + 1) + FIRST_VRID


def _vrid(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        vrid = int(value)
    except (TypeError, ValueError):
        return None
    return vrid if FIRST_VRID <= vrid <= LAST_VRID and str(value).strip() == str(vrid) else None


def _instances(inputs: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(cluster, instance) -> its explicit VRID, family, the segments its members put it on, and the VRIDs its
    members recorded (member -> VRID)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for host in sorted(inputs):
        given = inputs[host]
        if not isinstance(given, Mapping):
            continue
        cluster = str(given.get("cluster"))
        given_record = given.get("recorded")
        recorded: Mapping[str, Any] = given_record if isinstance(given_record, Mapping) else {}
        for instance in given.get("instances") or []:
            if not isinstance(instance, Mapping) or instance.get("name") is None:
                continue
            entry = found.setdefault((cluster, str(instance["name"])), {
                "explicit": instance.get("virtual_router_id") is not None,
                "vrid": _vrid(instance.get("virtual_router_id")),
                "family": 6 if instance.get("family") == 6 else 4,
                "segments": set(), "recorded": {}})
            if instance.get("segment"):
                entry["segments"].add(str(instance["segment"]))
            kept = _vrid(recorded.get(str(instance["name"])))
            if kept is not None:
                entry["recorded"][host] = kept
    return found


def allocate(inputs: Mapping[str, Mapping[str, Any]], missing: list[str] | None = None
             ) -> tuple[dict[str, dict[str, int]], list[str], dict[str, list[Problem]]]:
    """Each cluster's allocated VRIDs (cluster -> instance -> VRID, only instances without an explicit one), a note
    for each VRID taken in this run (not kept from a record), and each cluster's problems (cluster -> [(rule id,
    sentence)]: only its first member in the run reports them).

    ``missing`` names the load balancers of the inventory this run leaves out (``--limit``): their VRIDs are unknown
    here, so no VRID is taken new in such a run (one kept from a record is fine)."""
    found = _instances(inputs)
    used: dict[tuple[int, str, int], tuple[str, str]] = {}

    def take(key: tuple[str, str], vrid: int) -> None:
        for segment in found[key]["segments"]:
            used.setdefault((found[key]["family"], segment, vrid), key)

    def holder(key: tuple[str, str], vrid: int) -> tuple[tuple[str, str], str] | None:
        for segment in sorted(found[key]["segments"]):
            other = used.get((found[key]["family"], segment, vrid))
            if other is not None and other != key:
                return other, segment
        return None

    allocated: dict[str, dict[str, int]] = {}
    notes: list[str] = []
    problems: dict[str, list[Problem]] = {}
    for key in sorted(found):
        if found[key]["explicit"] and found[key]["vrid"] is not None:
            take(key, found[key]["vrid"])
    # Kept: what the members recorded. Members that recorded different VRIDs (a deploy interrupted half way) all take
    # the first one's, and the note says so: the next deploy rolls the others to it.
    for key in sorted(found):
        entry = found[key]
        if entry["explicit"] or not entry["recorded"]:
            continue
        hosts = sorted(entry["recorded"])
        vrid = entry["recorded"][hosts[0]]
        if len(set(entry["recorded"].values())) > 1:
            notes.append("cluster %s: instance %s keeps VRID %d, recorded by %s; %s" % (
                key[0], key[1], vrid, hosts[0], ", ".join("%s recorded %d" % (host, entry["recorded"][host])
                                                          for host in hosts[1:] if entry["recorded"][host] != vrid)))
        entry["vrid"] = vrid
        allocated.setdefault(key[0], {})[key[1]] = vrid
        take(key, vrid)
    # New: from the names, or the next VRID free on every segment of the instance.
    for key in sorted(found):
        entry = found[key]
        if entry["explicit"] or entry["vrid"] is not None or key[1] in allocated.get(key[0], {}):
            continue
        if missing:
            problems.setdefault(key[0], []).append((
                RULE_VRID_PARTIAL, "cluster %s: instance %s has no virtual_router_id and none recorded, but this run "
                "leaves out %s: a new VRID is taken only in a run that sees every load balancer (their VRIDs), or the "
                "new one could collide. Run without --limit once, or give the instance its virtual_router_id"
                % (key[0], key[1], ", ".join(sorted(missing)))))
            continue
        first = hashed_vrid(*key)
        span = LAST_VRID - FIRST_VRID + 1
        candidates = [FIRST_VRID + (first - FIRST_VRID + step) % span for step in range(span)]
        vrid = next((candidate for candidate in candidates if holder(key, candidate) is None), None)
        if vrid is None:
            segments = ", ".join(sorted(entry["segments"]))
            problems.setdefault(key[0], []).append((
                RULE_VRID_POOL, "cluster %s: instance %s has no virtual_router_id, and every VRID 1..255 is used on "
                "its segment %s in IPv%d; give it one in the inventory, or move clusters to other segments"
                % (key[0], key[1], segments, entry["family"])))
            continue
        entry["vrid"] = vrid
        allocated.setdefault(key[0], {})[key[1]] = vrid
        take(key, vrid)
        clash = holder(key, first) if vrid != first else None
        if clash:
            (other_cluster, other_instance), segment = clash
            notes.append("cluster %s: instance %s took VRID %d (VRID %d, from its name, is used by cluster %s's "
                         "instance %s on segment %s, IPv%d)"
                         % (key[0], key[1], vrid, first, other_cluster, other_instance, segment, entry["family"]))
        else:
            notes.append("cluster %s: instance %s took VRID %d (from its name)" % (key[0], key[1], vrid))
    return allocated, notes, problems


def fill(instances: list[Mapping[str, Any]], allocated: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``instances`` with each missing ``virtual_router_id`` set from this cluster's ``allocated`` VRIDs (an instance
    the allocation left out keeps none: its problem is already reported)."""
    filled = []
    for instance in instances or []:
        copy = dict(instance) if isinstance(instance, Mapping) else instance
        if isinstance(copy, dict) and copy.get("virtual_router_id") is None and copy.get("name") in allocated:
            copy["virtual_router_id"] = allocated[copy["name"]]
        filled.append(copy)
    return filled
