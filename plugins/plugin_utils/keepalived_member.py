# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One member's resolved keepalived model: what its keepalived.conf, scripts and units render.

``resolve`` takes the keepalived role's settings (``__keepalived_settings``: every input, each once), this member's
part of the cluster plan (filter ``keepalived_plan``) and the password, and applies every default once: each
instance's interface, advert interval, preemption and tracked interfaces; the trackers every instance carries; the
initial state keepalived needs for ``nopreempt`` and ``preempt_delay``; the scripts and their intervals. The role's
templates render the result and nothing else (tests/unit/test_templates_read_the_model.py), and the cluster model
(``cluster_model``) is built from it, without the password.

Values keep the type and spelling the inventory gave (``advert_int: 0.1`` renders ``0.1``); a number that switches a
directive off (``0``) becomes ``None``. Controller-side, stdlib only.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import hashlib
import ipaddress
import json
from collections.abc import Mapping
from typing import Any

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._backend_check import peer_targets
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._numbers import flag, number

Settings = Mapping[str, Any]

# The cluster-wide part of the plan the cluster model reads (the rest is this member's view of it).
PLAN_KEYS = ("members", "addresses", "addresses6", "instances", "owners")


def _given(instance: Mapping[str, Any], key: str, default: Any) -> Any:
    """An instance's own value, or the role-wide default when the instance leaves it out (or gives null)."""
    value = instance.get(key)
    return default if value is None else value


def _positive(value: Any) -> Any:
    """The value when it is a number above 0, else None (0 leaves a keepalived directive out)."""
    parsed = number(value)
    return value if parsed is not None and parsed > 0 else None


def _tracked(items: list[Any]) -> list[dict[str, Any]]:
    """Tracked interfaces, each ``{name, weight}`` (weight None: a down interface means FAULT)."""
    tracked = []
    for item in items:
        if isinstance(item, Mapping):
            tracked.append({"name": item.get("name"), "weight": item.get("weight")})
        else:
            tracked.append({"name": item, "weight": None})
    return tracked


def _checks(settings: Settings, peers: list[str]) -> dict[str, Any]:
    check_enabled = flag(settings.get("check_enabled"))
    backend_enabled = flag(settings.get("backend_check_enabled"))
    service = settings.get("check_service")
    return {
        "check": {
            "service": service,
            "interval": settings.get("check_interval"),
            "timeout": settings.get("check_timeout"),
            "weight": settings.get("check_weight"),
            "fall": settings.get("check_fall"),
            "rise": settings.get("check_rise"),
            "url": settings.get("check_url") or "",
            "http_timeout": settings.get("check_http_timeout"),
            "state_file": flag(settings.get("check_state_file_enabled")),
            "restart_sec": settings.get("check_restart_sec"),
        } if check_enabled else None,
        "backend_check": {
            "interval": settings.get("backend_check_interval"),
            "timeout": settings.get("check_timeout"),
            "weight": settings.get("backend_check_weight"),
            "fall": settings.get("check_fall"),
            "rise": settings.get("check_rise"),
            "http_timeout": settings.get("check_http_timeout"),
            "targets": list(settings.get("backend_check_targets") or []),
            "peer_targets": list(peers),
        } if backend_enabled else None,
        "track_process": {
            "name": settings.get("track_process_name"),
            "weight": settings.get("track_process_weight"),
            "delay": settings.get("track_process_delay"),
        } if flag(settings.get("track_process_enabled")) else None,
    }


def _global(settings: Settings) -> dict[str, Any]:
    smtp_server = settings.get("smtp_server") or ""
    return {
        "router_id": settings.get("router_id"),
        "notification_email": list(settings.get("notification_email") or []),
        "notification_email_from": settings.get("notification_email_from") or "",
        "smtp": {
            "server": smtp_server,
            "connect_timeout": settings.get("smtp_connect_timeout"),
            "alert": flag(settings.get("smtp_alert")),
        } if smtp_server else None,
        "skip_check_adv_addr": flag(settings.get("skip_check_adv_addr")),
        "garp_interval": _positive(settings.get("garp_interval")),
        "gna_interval": _positive(settings.get("gna_interval")),
        "script_user": settings.get("script_user"),
        "higher_prio_send_advert": flag(settings.get("higher_prio_send_advert")),
        "garp_master_delay": settings.get("garp_master_delay"),
        "garp_lower_prio_repeat": _positive(settings.get("garp_lower_prio_repeat")),
        "garp_master_refresh": _positive(settings.get("garp_master_refresh")),
        "notify_fifo": flag(settings.get("notify_fifo_enabled")),
    }


def segment(facts: Mapping[str, Any], interface: Any, family: int) -> str | None:
    """The network (``198.18.71.0/24``) of ``interface`` in ``family`` from the host's gathered facts: the L2 segment
    an instance's adverts reach. None when the facts do not name it."""
    gathered = facts.get(str(interface).replace("-", "_").replace(".", "_")) or {}
    entries: list[Mapping[str, Any]] = []
    if family == 4 and isinstance(gathered.get("ipv4"), Mapping):
        ipv4 = gathered["ipv4"]
        entries = [{"address": ipv4.get("address"), "prefix": ipv4.get("prefix") or ipv4.get("netmask")}]
    elif family == 6:
        entries = [e for e in gathered.get("ipv6") or [] if isinstance(e, Mapping) and e.get("scope") == "global"]
    for entry in entries:
        try:
            return str(ipaddress.ip_interface("%s/%s" % (entry.get("address"), entry.get("prefix"))).network)
        except ValueError:
            continue
    return None


def _instance(settings: Settings, vrrp: Mapping[str, Any], instance: Mapping[str, Any],
              checks: Mapping[str, Any], authenticate: bool, facts: Mapping[str, Any]) -> dict[str, Any]:
    """One vrrp_instance of this member, every default applied."""
    nopreempt = flag(_given(instance, "nopreempt", settings.get("nopreempt")))
    preempt_delay = int(number(_given(instance, "preempt_delay", settings.get("preempt_delay"))) or 0)
    family = 6 if instance.get("family") == 6 else 4
    interface = _given(instance, "interface", settings.get("interface"))
    check, backend = checks["check"], checks["backend_check"]
    scripts = (["chk_%s" % check["service"]] if check else []) + (
        (["chk_backends"] + (["chk_backends_peer"] if backend["peer_targets"] else [])) if backend else [])
    files: list[dict[str, Any]] = [{"name": "halb_drain", "weight": None}]
    if check and check["state_file"]:
        files.append({"name": "halb_%s" % check["service"], "weight": 0})
    notify = sorted((settings.get("notify_scripts") or {}).items(), key=lambda item: str(item[0]).lower())
    return {
        "name": instance.get("name"),
        "master": instance.get("master"),
        "state": instance.get("state"),
        # keepalived honours nopreempt and preempt_delay only with initial state BACKUP: every node starts as BACKUP.
        "initial_state": "BACKUP" if nopreempt or preempt_delay > 0 else instance.get("state"),
        "interface": interface,
        # The L2 segment its adverts reach (the interface's network, from the facts): VRIDs are unique per segment.
        "segment": segment(facts, interface, family),
        "virtual_router_id": instance.get("virtual_router_id"),
        "priority": instance.get("priority"),
        "advert_int": _given(instance, "advert_int", vrrp["advert_int"]),
        "family": family,
        # VRRP version 2 has no IPv6: keepalived runs an IPv6 instance as version 3 (no authentication) anyway.
        "version3": family == 6 and vrrp["version"] == 2,
        "smtp_alert": None if instance.get("smtp_alert") is None else flag(instance.get("smtp_alert")),
        # The plan gives each instance the source and peers of its own address family.
        "unicast": {"source": instance.get("unicast_src_ip"), "peers": list(instance.get("unicast_peers") or [])}
        if vrrp["unicast"] else None,
        "nopreempt": nopreempt,
        "preempt_delay": preempt_delay,
        "authentication": authenticate and family == 4,
        "virtual_ipaddresses": list(instance.get("virtual_ipaddresses") or []),
        "virtual_routes": list(instance.get("virtual_routes") or []),
        "track_interfaces": _tracked(list(settings.get("track_interfaces") or [])
                                     + list(instance.get("track_interfaces") or [])),
        "track_scripts": scripts,
        "track_files": files,
        "track_processes": ["trk_%s" % checks["track_process"]["name"]] if checks["track_process"] else [],
        "notify": [{"directive": "notify" if event == "notify" else "notify_%s" % event, "script": script}
                   for event, script in notify],
    }


def resolve(settings: Settings, plan: Mapping[str, Any], auth_pass: str, warnings: list[str],
            facts: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """This member's keepalived model (see the module's docstring for the sections).

    ``plan`` is the cluster plan as this member sees it (filter ``keepalived_plan`` with ``host``); the model keeps
    its cluster-wide part (``members``, ``addresses``, ``addresses6``, ``instances``, ``owners``) for the cluster
    model. ``auth_pass`` is kept only when an instance authenticates (VRRP version 2 without strict mode), else
    ``""``; ``vrrp.auth_pass_sha256`` lets the members be compared without it, and ``agreed_fingerprint`` is what
    each member records of what the members must agree on.
    """
    glob = _global(settings)
    vrrp = {
        "version": int(number(settings.get("vrrp_version")) or 2),
        "advert_int": settings.get("advert_int"),
        "unicast": flag(settings.get("unicast")),
        "strict": flag(settings.get("strict")),
        "accept": flag(settings.get("accept")),
        "auth_pass_sha256": hashlib.sha256(auth_pass.encode("utf-8")).hexdigest(),
    }
    authenticate = vrrp["version"] == 2 and not vrrp["strict"]
    given = settings.get("backend_check_peer_targets")
    # The partition check asks the other members' load-balanced service unless the inventory lists its peers.
    if given is None:
        given = peer_targets(dict(plan.get("addresses") or {}), settings.get("host"), settings.get("backend_check_peer_port"))
    checks = _checks(settings, list(given))
    instances = [_instance(settings, vrrp, instance, checks, authenticate, facts or {})
                 for instance in plan.get("host_instances") or []]
    agreed = {
        "vrrp_version": vrrp["version"],
        "auth_pass": auth_pass if authenticate else "",
        "members": list(plan.get("members") or []),
        "instances": [[instance["name"], instance["virtual_router_id"], str(instance["advert_int"]),
                       instance["virtual_ipaddresses"]] for instance in instances],
    }
    return dict(
        checks,
        host=settings.get("host"),
        topology=settings.get("topology"),
        cluster_group=settings.get("cluster_group"),
        script_user=settings.get("script_user"),
        state_log=settings.get("state_log"),
        check_service=settings.get("check_service"),
        install={"method": settings.get("install_method"), "version": settings.get("version"),
                 "prefix": settings.get("prefix"),
                 "build_dir": settings.get("build_dir"),
                 "configure_options": list(settings.get("configure_options") or [])},
        vrrp=vrrp,
        sync_groups=[{"name": group.get("name"), "instances": list(group.get("instances") or [])}
                     for group in settings.get("sync_groups") or []],
        instances=instances,
        plan=dict((key, plan.get(key)) for key in PLAN_KEYS),
        # The VRRP firewall admits adverts from the members only: their IPv4 addresses, and with IPv6 instances the
        # IPv6 sources of their adverts (unicast addresses and link-locals).
        firewall={"sources": [address for address in (plan.get("addresses") or {}).values() if address],
                  "sources6": list(plan.get("vrrp_sources6") or [])},
        # What every member must agree on, as a fingerprint (the password is in it): each member keeps it
        # (tasks/configure.yml), so a run that leaves members out (--limit) can tell whether it would change them
        # for only part of the cluster (tasks/agreed_check.yml). The same JSON as Ansible's to_json gives.
        agreed_fingerprint=hashlib.sha256(json.dumps(agreed).encode("utf-8")).hexdigest(),
        warnings=list(warnings),
        auth_pass=auth_pass if any(instance["authentication"] for instance in instances) else "",
        **{"global": glob},
    )
