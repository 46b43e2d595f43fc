# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One resolved model per cluster, and what its roles and its members must agree on.

A cluster is the group ``keepalived_cluster_group`` names. Each role's validation hands over its resolved model
in one shape (a fact per host: ``__webserver_model``, ``__nginx_lb_model``, ``__keepalived_model``, set once
that role's own rules pass); ``resolve`` builds every cluster's model from them in one pass and returns the
problems found while building it:

- the members must agree on the VRRP settings every advert carries (version, password, interval, unicast or
  multicast, strict mode), each member named with its value (a password never shown), on the keepalived build
  (install method, and version from source), and on the plan: each member renders the state and priority the
  cluster's plan gives it, so the planned master masters;
- clusters that share an L2 segment use VRIDs of their own in each address family (unless both advertise
  unicast);
- the members must agree on the ACME virtual hosts, their names and the ACME settings (one certificate per cluster);
- the roles must agree with each other: no upstream server is a VIP, every upstream server of a web server uses
  a port that web server listens on, the keepalived health check asks the health listener nginx_lb renders, the
  partition check asks the peers on a port their nginx listens on, and the backend check asks the upstream's
  servers.

Each problem is ``(rule id, sentence)``. Controller-side, stdlib only.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import ipaddress
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._numbers import number
from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.member_rules import directory_problems, member_problems

Problem = tuple[str, str]
Inputs = Mapping[str, Any]

RULE_MEMBER_SETTING = "cluster-member-setting"
RULE_BACKEND_IS_VIP = "cluster-backend-is-vip"
RULE_UPSTREAM_PORT = "cluster-upstream-port"
RULE_HEALTH_CHECK = "cluster-health-check"
RULE_PEER_PORT = "cluster-peer-port"
RULE_BACKEND_CHECK = "cluster-backend-check-target"
RULE_SOURCE_IS_VIP = "cluster-unicast-source-is-vip"
RULE_MEMBER_INSTALL = "cluster-member-install"
RULE_PLANNED_MASTER = "cluster-planned-master"
RULE_VRID_COLLISION = "cluster-vrid-collision"
RULE_ACME_AGREE = "cluster-acme-agree"

# What every advert carries, so every member must have the same: key of the member model's ``vrrp`` -> variable.
AGREED = (
    ("version", "keepalived_vrrp_version"),
    ("auth_pass_sha256", "keepalived_auth_pass"),
    ("advert_int", "keepalived_advert_int"),
    ("unicast", "keepalived_unicast"),
    ("strict", "keepalived_vrrp_strict"),
)
_SECRET = frozenset(("auth_pass_sha256",))
_NUMERIC = frozenset(("advert_int",))
# What a member's keepalived model holds that its entry in the cluster model leaves out: the password and the
# fingerprint of what the members agree on (the password is in it); the cluster-wide plan and the VRRP settings
# (shown once per cluster); the warnings (shown beside it).
_MEMBER_ONLY = frozenset(("auth_pass", "agreed_fingerprint", "plan", "warnings", "vrrp"))
_LOOPBACK_NAMES = frozenset(("localhost",))


def _canonical(address: Any) -> str | None:
    try:
        return str(ipaddress.ip_address(str(address).strip().strip("[]")))
    except ValueError:
        return None


def _split_target(target: Any) -> tuple[str | None, int | None]:
    """``address:port`` or ``[v6]:port`` -> (canonical address or the name, port)."""
    text = str(target)
    host, dummy, port = text.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        return None, None
    return (_canonical(host) or host.strip("[]")), number


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _disagreements(members: list[str], keepalived: Mapping[str, Inputs], section: str, key: str
                   ) -> list[tuple[Any, list[str]]]:
    """Each value the members give ``section.key`` in their models, with the members that give it (one entry when they
    agree). Numbers compare as numbers (``1`` and ``1.0`` agree); the value shown is the first member's spelling."""
    by_value: dict[str, tuple[Any, list[str]]] = {}
    for member in members:
        if member in keepalived:
            section_of = keepalived[member].get(section)
            value = section_of.get(key) if isinstance(section_of, Mapping) else None
            compared = number(value) if key in _NUMERIC and number(value) is not None else value
            by_value.setdefault(repr(compared), (value, []))[1].append(member)
    return list(by_value.values())


def _agreement_problems(name: str, members: list[str], keepalived: Mapping[str, Inputs]) -> list[Problem]:
    problems: list[Problem] = []
    for key, variable in AGREED:
        values = _disagreements(members, keepalived, "vrrp", key)
        if len(values) < 2:
            continue
        if key in _SECRET:
            shown = "; ".join("%s: password %d" % (", ".join(hosts), index + 1)
                              for index, (dummy, hosts) in enumerate(values))
        else:
            shown = "; ".join("%s: %s" % (", ".join(hosts), _shown(value)) for value, hosts in values)
        problems.append((RULE_MEMBER_SETTING, "cluster %s: the members disagree on %s (%s); every advert carries it, "
                         "so members that differ each see the other as absent and become master together. Set it once "
                         "for the cluster (group_vars), not per host" % (name, variable, shown)))
    # A roll upgrades every member to one build; members left apart would run different keepalived builds for good.
    methods = _disagreements(members, keepalived, "install", "method")
    from_source = [member for member in members if _install(keepalived.get(member) or {}).get("method") == "source"]
    versions = _disagreements(from_source, keepalived, "install", "version")
    for variable, values in (("keepalived_install_method", methods), ("keepalived_version", versions)):
        if len(values) > 1:
            problems.append((RULE_MEMBER_INSTALL, "cluster %s: the members disagree on %s (%s); a deploy rolls every "
                             "member to one keepalived build (the mixed window lasts only while the roll runs), and "
                             "members left apart differ for good. Set it once for the cluster (group_vars), not per "
                             "host" % (name, variable, "; ".join("%s: %s" % (", ".join(hosts), _shown(value))
                                                                 for value, hosts in values))))
    return problems


# What the members of a cluster must agree on for its ACME certificates: one certificate per virtual host and
# name set is ordered for the whole cluster and put on every member.
_ACME_AGREED = ("directory_url", "key_type", "renew_days")


def _acme_shape(nginx: Inputs) -> tuple[Any, ...]:
    acme = nginx.get("acme") or {}
    vhosts = tuple((str(vhost.get("name")), tuple(str(name) for name in (vhost.get("acme") or {}).get("names") or []))
                   for vhost in nginx.get("vhosts") or [] if vhost.get("acme"))
    return vhosts, tuple(_shown(acme.get(key)) for key in _ACME_AGREED)


def _acme_problems(name: str, members: list[str], nginx: Mapping[str, Inputs]) -> list[Problem]:
    """The members must agree on the ACME virtual hosts (name and names) and settings: the certificate is one."""
    shapes = [(member, _acme_shape(nginx[member])) for member in members if member in nginx]
    if not shapes or all(shape == shapes[0][1] for dummy, shape in shapes):
        return []
    first, (vhosts, settings) = shapes[0]
    problems: list[Problem] = []
    for member, (other_vhosts, other_settings) in shapes[1:]:
        if other_vhosts != vhosts:
            problems.append((RULE_ACME_AGREE, "cluster %s: %s's ACME virtual hosts (%s) differ from %s's (%s); the "
                             "cluster obtains one certificate per virtual host for every member, so every member must "
                             "list the same acme virtual hosts and acme_names" % (
                                 name, member, _acme_text(other_vhosts), first, _acme_text(vhosts))))
        for key, mine, theirs in zip(_ACME_AGREED, other_settings, settings, strict=True):
            if mine != theirs and vhosts and other_vhosts:
                problems.append((RULE_ACME_AGREE, "cluster %s: the members disagree on nginx_lb_acme_%s (%s: %s, %s: "
                                 "%s); the cluster's certificates are ordered once for every member"
                                 % (name, key, first, theirs, member, mine)))
    return problems


def _acme_text(vhosts: tuple[Any, ...]) -> str:
    return ", ".join("%s: %s" % (vhost, " ".join(names)) for vhost, names in vhosts) or "none"


def _master_problems(name: str, members: list[str], keepalived: Mapping[str, Inputs]) -> list[Problem]:
    """Every member renders the state and priority the cluster's plan gives it, so the planned master masters.

    Each member plans from its own topology and priorities; the cluster's plan is its first member's. A member that
    plans differently (its own keepalived_topology, keepalived_priority_top or keepalived_priority_step, or an
    instance's master) would claim VIPs the plan gives another member, or leave them to nobody.
    """
    problems: list[Problem] = []
    planned = dict((instance.get("name"), instance) for instance in
                   ((keepalived.get(members[0]) or {}).get("plan") or {}).get("instances") or [])
    for member in members[1:]:
        for instance in (keepalived.get(member) or {}).get("instances") or []:
            plan = planned.get(instance.get("name"))
            if plan is None:
                continue
            wanted = ((plan.get("states") or {}).get(member), (plan.get("priorities") or {}).get(member))
            if (instance.get("state"), instance.get("priority")) != wanted:
                problems.append((RULE_PLANNED_MASTER, "cluster %s: %s plans instance %s as %s priority %s (master %s), "
                                 "but the cluster's plan (%s's) gives it %s priority %s (master %s); the members "
                                 "disagree on keepalived_topology, keepalived_priority_top, keepalived_priority_step or "
                                 "the instance's master, so the member with the highest priority would not be the "
                                 "planned master. Set them once for the cluster (group_vars), not per host" % (
                                     name, member, instance.get("name"), instance.get("state"),
                                     instance.get("priority"), instance.get("master"), members[0], wanted[0],
                                     wanted[1], plan.get("master"))))
    return problems


def _vrid_problems(clusters: Mapping[str, list[str]], keepalived: Mapping[str, Inputs]) -> list[Problem]:
    """Two clusters whose members share an L2 segment may not use one VRID in one address family.

    A multicast advert reaches every host of the segment: the other cluster's members drop it every advert interval
    (a wrong password or address list) or, without authentication, take it for their own master's. Unicast adverts
    go to the members only, so two clusters that both advertise unicast may share a VRID.
    """
    # (family, segment, VRID) -> cluster -> [(instance, member, interface)], and each cluster's unicast flag.
    users: dict[tuple[int, str, Any], dict[str, list[tuple[str, str, str]]]] = {}
    unicast: dict[str, bool] = {}
    for name, members in clusters.items():
        for member in members:
            model = keepalived.get(member) or {}
            unicast[name] = unicast.get(name, True) and bool(_vrrp(model).get("unicast"))
            for instance in model.get("instances") or []:
                if instance.get("segment"):
                    key = (int(instance.get("family") or 4), str(instance["segment"]), instance.get("virtual_router_id"))
                    users.setdefault(key, {}).setdefault(name, []).append(
                        (str(instance.get("name")), member, str(instance.get("interface"))))
    problems: list[Problem] = []
    for (family, segment, vrid), by_cluster in sorted(users.items(), key=lambda item: repr(item[0])):
        if len(by_cluster) < 2 or all(unicast.get(name) for name in by_cluster):
            continue
        problems.append((RULE_VRID_COLLISION, "clusters %s use VRID %s for IPv%d on segment %s (%s); a multicast advert "
                         "reaches every member of the segment, where the other cluster drops it each advert interval "
                         "or, without authentication, takes it for its own master's. Give each cluster's instances "
                         "VRIDs of their own on a shared segment (only clusters that both advertise unicast may share "
                         "one)" % (" and ".join(sorted(by_cluster)), vrid, family, segment, "; ".join(
                             "%s: %s" % (name, ", ".join(sorted(set("%s on %s %s" % (instance, member, interface)
                                                                    for instance, member, interface in uses))))
                             for name, uses in sorted(by_cluster.items())))))
    return problems


def _install(keepalived: Inputs) -> Mapping[str, Any]:
    install = keepalived.get("install")
    return install if isinstance(install, Mapping) else {}


def _vrrp(keepalived: Inputs) -> Mapping[str, Any]:
    """What a member's adverts carry (its model's ``vrrp``)."""
    vrrp = keepalived.get("vrrp")
    return vrrp if isinstance(vrrp, Mapping) else {}


def _vips(keepalived: Inputs) -> list[str]:
    plan = keepalived.get("plan") or {}
    vips = []
    for instance in plan.get("instances") or []:
        for vip in instance.get("vips") or []:
            canonical = _canonical(vip)
            if canonical:
                vips.append(canonical)
    return vips


def _sites(web: Inputs) -> list[Mapping[str, Any]]:
    return [site for site in web.get("sites") or [] if isinstance(site, Mapping)]


def _web_ports(web: Inputs) -> list[int]:
    """The ports a web server's sites listen on, in order, each once."""
    ports: list[int] = []
    for site in _sites(web):
        try:
            port = int(site.get("port"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if port not in ports:
            ports.append(port)
    return ports


def _listen_ports(nginx: Inputs) -> list[int]:
    ports = []
    for listener in nginx.get("vhosts") or []:
        try:
            ports.append(int(listener.get("listen_port")))
        except (TypeError, ValueError):
            continue
    return sorted(set(ports))


def _server_problems(member: str, nginx: Inputs, vips: list[str], web: Mapping[str, Inputs]) -> list[Problem]:
    problems: list[Problem] = []
    for index, upstream in enumerate(nginx.get("upstreams") or []):
        where = "nginx_lb_upstreams[%d] (%s)" % (index, upstream.get("name"))
        for server in upstream.get("servers") or []:
            address = _canonical(server.get("address"))
            if address and address in vips:
                problems.append((RULE_BACKEND_IS_VIP, "%s: %s sends requests to %s (%s), which is a VIP of this "
                                 "cluster: the load balancer would proxy to itself. A backend must be a web server's "
                                 "own address" % (member, where, server.get("address"), server.get("label"))))
            label = server.get("label")
            if not server.get("from_host") or label not in web:
                continue
            ports = _web_ports(web[label])
            try:
                port = int(server.get("port"))
            except (TypeError, ValueError):
                continue
            if ports and port not in ports:
                problems.append((RULE_UPSTREAM_PORT, "%s: %s sends %s's requests to port %d, but %s listens on %s "
                                 "(webserver_port, webserver_sites); set %s's nginx_lb_backend_port, or the "
                                 "upstream's port, to a port it listens on" % (
                                     member, where, label, port, label, ", ".join(str(p) for p in ports), label)))
    return problems


def _health_problems(member: str, keepalived: Inputs, nginx: Inputs) -> list[Problem]:
    url = str((keepalived.get("check") or {}).get("url") or "")
    if not url:
        return []
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    canonical = _canonical(host)
    if host not in _LOOPBACK_NAMES and not (canonical and ipaddress.ip_address(canonical).is_loopback):
        return []
    health = nginx.get("health") or {}
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if not health.get("enabled"):
        return [(RULE_HEALTH_CHECK, "%s: keepalived_check_url %s asks the local nginx's health listener, but "
                 "nginx_lb_health_enabled is false, so nothing answers there and the check would always fail; "
                 "turn the listener on, or set keepalived_check_url to \"\" (ask systemd only)" % (member, url))]
    if port != int(health.get("port") or 0) or path != health.get("path"):
        return [(RULE_HEALTH_CHECK, "%s: keepalived_check_url %s does not ask the health listener nginx_lb renders "
                 "(http://%s:%s%s); leave keepalived_check_url unset, and it follows nginx_lb_health_port and "
                 "nginx_lb_health_path" % (member, url, health.get("address"), health.get("port"), health.get("path")))]
    return []


def _peer_problems(member: str, keepalived: Inputs, addresses: Mapping[str, str],
                   nginx: Mapping[str, Inputs]) -> list[Problem]:
    backend_check = keepalived.get("backend_check")
    if not backend_check:
        return []
    problems: list[Problem] = []
    by_address = dict((_canonical(address), peer) for peer, address in addresses.items() if address)
    for target in backend_check.get("peer_targets") or []:
        address, port = _split_target(target)
        peer = by_address.get(address)
        if peer is None or peer not in nginx or port is None:
            continue
        ports = _listen_ports(nginx[peer])
        if ports and port not in ports:
            problems.append((RULE_PEER_PORT, "%s: the partition check asks %s on %s, but %s's nginx listens on %s "
                             "(nginx_lb_listen_port, nginx_lb_vhosts); leave keepalived_backend_check_peer_port "
                             "unset, and it follows nginx_lb_listen_port" % (
                                 member, peer, target, peer, ", ".join(str(p) for p in ports))))
    return problems


def _backend_check_problems(member: str, keepalived: Inputs, nginx: Inputs) -> list[Problem]:
    backend_check = keepalived.get("backend_check")
    if not backend_check:
        return []
    servers = []
    for upstream in nginx.get("upstreams") or []:
        for server in upstream.get("servers") or []:
            if server.get("address") and server.get("port") is not None:
                servers.append((_canonical(server.get("address")) or str(server.get("address")), int(server["port"])))
    if not servers:
        return []
    problems: list[Problem] = []
    for index, target in enumerate(backend_check.get("targets") or []):
        if _split_target(target) not in servers:
            problems.append((RULE_BACKEND_CHECK, "%s: keepalived_backend_check_targets[%d] is %s, which is no server "
                             "of this load balancer's upstreams (%s): the backend check would judge backends nginx "
                             "does not use" % (member, index, target, ", ".join(
                                 "%s:%d" % (address if ":" not in address else "[%s]" % address, port)
                                 for address, port in servers))))
    return problems


def _source_problems(member: str, keepalived: Inputs, addresses: Mapping[str, Any], addresses6: Mapping[str, Any],
                     vips: list[str]) -> list[Problem]:
    """A member's VRRP source address (its unicast_src_ip, or the address its adverts come from) is no VIP: the
    VIP moves, and adverts would then come from a peer's address or from nowhere."""
    problems: list[Problem] = []
    if not _vrrp(keepalived).get("unicast"):
        return problems
    for variable, table in (("keepalived_unicast_src_ip", addresses), ("keepalived_unicast_src_ip6", addresses6)):
        address = _canonical(table.get(member))
        if address and address in vips:
            problems.append((RULE_SOURCE_IS_VIP, "%s: its unicast source address %s (%s) is a VIP of this cluster; "
                             "the VIP moves between members, the source must stay: use the member's own address" % (
                                 member, address, variable)))
    return problems


def _member(member: str, plan: Mapping[str, Any], keepalived: Inputs, nginx: Inputs) -> dict[str, Any]:
    """One member in the cluster model: its addresses, its nginx listeners and health listener, and its keepalived
    model without the password and without the cluster-wide plan (the cluster's ``instances`` and ``owners``)."""
    check, backend_check = keepalived.get("check") or {}, keepalived.get("backend_check") or {}
    return {
        "host": member,
        "address": (plan.get("addresses") or {}).get(member),
        "address6": (plan.get("addresses6") or {}).get(member),
        "listeners": nginx.get("vhosts") or [],
        "health": nginx.get("health") or {},
        "warnings": keepalived.get("warnings") or [],
        "checks": {
            "service_url": check.get("url") or "",
            "backend_targets": backend_check.get("targets") or [],
            "peer_targets": backend_check.get("peer_targets") or [],
        },
        "keepalived": dict((key, value) for key, value in keepalived.items() if key not in _MEMBER_ONLY),
    }


def _model(name: str, members: list[str], keepalived: Mapping[str, Inputs], nginx: Mapping[str, Inputs],
           web: Mapping[str, Inputs]) -> dict[str, Any]:
    first = keepalived.get(members[0]) or {} if members else {}
    plan = first.get("plan") or {}
    return {
        "name": name,
        "members": [_member(member, plan, keepalived.get(member) or {}, nginx.get(member) or {})
                    for member in members],
        "vrrp": dict((key, _vrrp(first).get(key)) for key, dummy in AGREED if key not in _SECRET),
        "instances": plan.get("instances") or [],
        "owners": plan.get("owners") or {},
        "upstreams": (nginx.get(members[0]) or {}).get("upstreams") or [] if members else [],
        # The cluster's ACME certificates (one per virtual host with acme, for every member): playbooks/acme.yml.
        "certificates": [{"vhost": vhost["name"], "names": list(vhost["acme"]["names"]),
                          "key_type": ((nginx.get(members[0]) or {}).get("acme") or {}).get("key_type")}
                         for vhost in ((nginx.get(members[0]) or {}).get("vhosts") or [] if members else [])
                         if vhost.get("acme")],
        "backends": dict((host, {"ports": _web_ports(web.get(host) or {})}) for host in sorted(web)),
    }


def resolve(load_balancers: Mapping[str, Mapping[str, Any]], webservers: Mapping[str, Mapping[str, Any]]
            ) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Every cluster's model and the problems found while building them.

    ``load_balancers`` maps each load balancer to its handed-over inputs (``keepalived`` and ``nginx_lb``, either
    missing when that role's own rules refused the host); ``webservers`` maps each web server to its ``webserver``
    inputs. A cluster is named by its members' ``cluster_group``.
    """
    keepalived = dict((host, inputs["keepalived"]) for host, inputs in load_balancers.items()
                      if isinstance(inputs.get("keepalived"), Mapping))
    nginx = dict((host, inputs["nginx_lb"]) for host, inputs in load_balancers.items()
                 if isinstance(inputs.get("nginx_lb"), Mapping))
    web = dict((host, inputs["webserver"]) for host, inputs in webservers.items()
               if isinstance(inputs.get("webserver"), Mapping))
    # A cluster is named by its group; its members come from the plan of the first member that handed it over.
    clusters: dict[str, list[str]] = {}
    for inputs in keepalived.values():
        name = str(inputs.get("cluster_group"))
        if name not in clusters:
            members = (inputs.get("plan") or {}).get("members") or []
            clusters[name] = [member for member in members if member in keepalived]
    models: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for host in sorted(web):
        problems += directory_problems(host, dict(
            ("webserver_sites[%d].root" % index, site.get("root")) for index, site in enumerate(_sites(web[host]))))
    for name, members in sorted(clusters.items()):
        problems += _agreement_problems(name, members, keepalived) + _master_problems(name, members, keepalived)
        problems += _acme_problems(name, members, nginx)
        plan = (keepalived[members[0]].get("plan") or {}) if members else {}
        addresses, addresses6 = plan.get("addresses") or {}, plan.get("addresses6") or {}
        for member in members:
            vips = _vips(keepalived[member])
            problems += member_problems(member, keepalived[member], nginx.get(member))
            problems += _source_problems(member, keepalived[member], addresses, addresses6, vips)
            if member in nginx:
                problems += _server_problems(member, nginx[member], vips, web)
                problems += _health_problems(member, keepalived[member], nginx[member])
                problems += _backend_check_problems(member, keepalived[member], nginx[member])
            problems += _peer_problems(member, keepalived[member], addresses, nginx)
        models[name] = _model(name, members, keepalived, nginx, web)
    return models, problems + _vrid_problems(clusters, keepalived)
