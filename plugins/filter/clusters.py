# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

# The documentation of the filters lives next to this file: inventory_clusters.yml and roll_waves.yml.

from collections.abc import Mapping, Sequence
from typing import Any

LOAD_BALANCERS = "load_balancers"
WEBSERVERS = "webservers"


def inventory_clusters(groups: Mapping[str, Sequence[str]], hostvars: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every cluster of the inventory: its group, its load balancers, its backends."""
    clusters: dict[str, dict[str, Any]] = {}
    for host in groups.get(LOAD_BALANCERS) or []:
        host_vars = hostvars[host] if host in hostvars else {}
        name = str(host_vars.get("keepalived_cluster_group") or LOAD_BALANCERS)
        if name not in clusters:
            backend_group = str(host_vars.get("nginx_lb_backend_group") or WEBSERVERS)
            clusters[name] = {"name": name, "members": list(groups.get(name) or [host]),
                              "backends": list(groups.get(backend_group) or [])}
    return list(clusters.values())


def roll_waves(plans: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """The wave (1, 2, ...) of each member a rolling deploy interrupts; 0 for a member that only reloads.

    ``plans`` are the load balancers' run plans (the keepalived role's ``keepalived_run_plan``: ``host``,
    ``cluster``, ``interrupt_reasons``, ``self.vips``), in inventory order. Within a cluster, the members that hold
    no VIP roll first, then each holder, one per wave; the clusters roll side by side, so a wave never holds two
    members of one cluster and a roll over many clusters takes as many waves as its largest cluster has members to
    roll.
    """
    waves: dict[str, int] = {}
    taken: dict[str, int] = {}
    for holders in (False, True):
        for plan in plans:
            host, cluster = str(plan["host"]), str(plan["cluster"])
            if not plan.get("interrupt_reasons"):
                waves[host] = 0
            elif bool((plan.get("self") or {}).get("vips")) == holders:
                taken[cluster] = taken.get(cluster, 0) + 1
                waves[host] = taken[cluster]
    return waves


class FilterModule(object):
    def filters(self):
        return {"inventory_clusters": inventory_clusters, "roll_waves": roll_waves}
