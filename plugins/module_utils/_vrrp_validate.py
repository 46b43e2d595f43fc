# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster-wide checks of keepalived instances that no argument spec can express.

Each function returns a list of problems, each a sentence naming the variable, the value and the rule,
so that a playbook can refuse the whole inventory before any host is changed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._input_syntax import (
    RULE_SYNTAX_PATH,
    address_family_problems,
    is_ip,
    matches,
    syntax_problem,
    syntax_problems,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_plan import (
    ADDRESS_SOURCES,
    address_family,
    canonical_address,
    instance_family,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._numbers import number, whole
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_plan import (
    master_problems,
    priority_problems,
)

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._backend_check import target_problems

# Rule ids: each refusal below ends with its rule's id in brackets (module_utils/_rule_ids.py).
RULE_INSTANCE_NAME_UNIQUE = "vrrp-instance-name-unique"
RULE_VRID_RANGE = "vrrp-vrid-range"
RULE_VRID_UNIQUE = "vrrp-vrid-unique"
RULE_VIPS_EMPTY = "vrrp-vips-empty"
RULE_VIP_ADDRESS = "vrrp-vip-address"
RULE_VIP_UNIQUE = "vrrp-vip-unique"
RULE_VIP_NOT_OWN_ADDRESS = "vrrp-vip-not-own-address"
RULE_INSTANCES_AGREE = "vrrp-instances-agree"
RULE_INSTANCES_EMPTY = "vrrp-instances-empty"
RULE_CLUSTER_GROUP = "keepalived-cluster-group"
RULE_MEMBERS_LEAVING = "keepalived-members-leaving"
RULE_ADVERT_INT = "vrrp-advert-int"
RULE_WEIGHT_RANGE = "vrrp-weight-range"
RULE_WEIGHT_MOVES_VIP = "vrrp-weight-moves-vip"
RULE_AUTH_PASS_UNUSED = "vrrp-auth-pass-unused"
RULE_AUTH_PASS_LENGTH = "vrrp-auth-pass-length"
RULE_AUTH_PASS_CHARACTERS = "vrrp-auth-pass-characters"
RULE_STRICT_UNICAST = "vrrp-strict-unicast"
RULE_STRICT_IPV6 = "vrrp-strict-ipv6"
RULE_VIRTUAL_ROUTE = "vrrp-virtual-route-syntax"
RULE_VIRTUAL_ROUTE_DESTINATION = "vrrp-virtual-route-destination"
RULE_TRACK_INTERFACE_NAME = "vrrp-track-interface-name"
RULE_TRACK_INTERFACE_OWN = "vrrp-track-interface-own"
RULE_INTERFACE_EXISTS = "keepalived-interface-exists"
RULE_PREEMPT_DELAY_RANGE = "vrrp-preempt-delay-range"
RULE_PREEMPT_DELAY_STRICT = "vrrp-preempt-delay-strict"
RULE_PREEMPT_DELAY_NOPREEMPT = "vrrp-preempt-delay-nopreempt"
RULE_NOTIFY_EVENT = "keepalived-notify-event"
RULE_NOTIFY_SCRIPT_EXISTS = "keepalived-notify-script-exists"
RULE_NOTIFY_SCRIPT_OWNER = "keepalived-notify-script-owner"
RULE_CHECK_HTTP_TIMEOUT = "keepalived-check-http-timeout"
RULE_CHECK_URL = "keepalived-check-url"
RULE_CHECK_RANGE = "keepalived-check-range"
RULE_BACKEND_CHECK_WEIGHT = "keepalived-backend-check-weight"
RULE_TRACK_PROCESS_NAMESPACE = "keepalived-track-process-namespace"
RULE_GARP_INTERVAL = "vrrp-garp-interval"
RULE_SMTP_SERVER = "keepalived-smtp-server"
RULE_SMTP_CONNECT_TIMEOUT = "keepalived-smtp-connect-timeout"
RULE_SMTP_ALERT = "keepalived-smtp-alert"
RULE_VERSION = "keepalived-version"
RULE_SOURCE_CHECKSUM = "keepalived-source-checksum"
RULE_UNICAST_ADDRESS = "vrrp-unicast-address"
RULE_UNICAST_ADDRESS_UNIQUE = "vrrp-unicast-address-unique"
RULE_SYNC_GROUP_NAME_UNIQUE = "vrrp-sync-group-name-unique"
RULE_SYNC_GROUP_SIZE = "vrrp-sync-group-size"
RULE_SYNC_GROUP_INSTANCE = "vrrp-sync-group-instance"
RULE_SYNC_GROUP_INSTANCE_UNIQUE = "vrrp-sync-group-instance-unique"


def _vip_address(vip):
    """The address part of a VIP written as ``address[/prefix]`` (None when it is not an address)."""
    try:
        return str(ipaddress.ip_interface(str(vip).strip()).ip)
    except ValueError:
        return None


def instance_problems(instances):
    """Problems inside one host's list of instances."""
    problems = []
    seen_names = {}
    seen_vrids = {}
    seen_vips = {}
    for index, instance in enumerate(instances):
        where = "keepalived_instances[%d] (%s)" % (index, instance.get("name"))
        name = instance.get("name")
        problem = syntax_problem("keepalived_instances[%d].name" % index, name, "keepalived_name")
        if problem:
            problems.append(problem)
        if instance.get("interface") is not None:
            problem = syntax_problem(where + ".interface", instance.get("interface"), "interface")
            if problem:
                problems.append(problem)
        if name in seen_names:
            problems.append(tagged(RULE_INSTANCE_NAME_UNIQUE, "%s: name %r is already used by "
                                   "keepalived_instances[%d]; names must be unique" % (where, name, seen_names[name])))
        seen_names.setdefault(name, index)
        vrid = instance.get("virtual_router_id")
        key = (instance.get("interface"), vrid)
        if vrid is None:
            pass  # allocated (plugins/plugin_utils/vrid_allocation.py), unique on its segment
        elif not isinstance(vrid, int) or isinstance(vrid, bool) or not 1 <= vrid <= 255:
            problems.append(tagged(RULE_VRID_RANGE, "%s: virtual_router_id is %r; allowed: a whole number 1..255"
                                   % (where, vrid)))
        elif key in seen_vrids:
            problems.append(tagged(RULE_VRID_UNIQUE, "%s: virtual_router_id %d is already used by %s on the same "
                                   "interface; a VRID must be unique per segment" % (where, vrid, seen_vrids[key])))
        if vrid is not None:
            seen_vrids.setdefault(key, name)
        vips = instance.get("virtual_ipaddresses") or []
        if not vips:
            problems.append(tagged(RULE_VIPS_EMPTY, "%s: virtual_ipaddresses is empty; give at least one address/prefix"
                                   % where))
        problems.extend(address_family_problems(where, vips))
        for vip in vips:
            address = _vip_address(vip)
            if address is None:
                problems.append(tagged(RULE_VIP_ADDRESS, "%s: virtual_ipaddresses entry %r is not an IP address with "
                                       "an optional /prefix" % (where, vip)))
                continue
            if address in seen_vips:
                problems.append(tagged(RULE_VIP_UNIQUE, "%s: VIP %s is already used by %s; each VIP belongs to one "
                                       "instance" % (where, address, seen_vips[address])))
            seen_vips.setdefault(address, name)
    return problems


def _signature(instances):
    return dict(
        (i.get("name"), (i.get("virtual_router_id"), sorted(_vip_address(v) or str(v) for v in i.get("virtual_ipaddresses") or [])))
        for i in instances
    )


def cluster_problems(members, instances_by_host, addresses_by_host):
    """Problems across the members of one VRRP cluster.

    ``instances_by_host`` maps each member to its keepalived_instances, ``addresses_by_host`` to the
    IP addresses the host owns (its facts). Every member must describe the same instances (same names,
    VRIDs and VIPs), and no VIP may be a member's own address.
    """
    problems = []
    if not members:
        return [tagged(RULE_CLUSTER_GROUP, "the keepalived cluster group has no members")]
    first = members[0]
    reference = _signature(instances_by_host.get(first) or [])
    for host in members[1:]:
        mine = _signature(instances_by_host.get(host) or [])
        for name in sorted(set(reference) | set(mine), key=str):
            if reference.get(name) != mine.get(name):
                problems.append(
                    tagged(RULE_INSTANCES_AGREE, "keepalived_instances differ between %s and %s for instance %s: %s on "
                           "%s, %s on %s (virtual_router_id and VIPs must be the same on every member)"
                           % (first, host, name, _describe(reference.get(name)), first, _describe(mine.get(name)),
                              host))
                )
    owners = {}
    for host in members:
        for address in addresses_by_host.get(host) or []:
            owners.setdefault(str(address), host)
    for instance in instances_by_host.get(first) or []:
        for vip in instance.get("virtual_ipaddresses") or []:
            address = _vip_address(vip)
            if address in owners:
                problems.append(
                    tagged(RULE_VIP_NOT_OWN_ADDRESS, "keepalived_instances (%s): VIP %s is the own address of %s; a "
                           "VIP must be an address no member owns" % (instance.get("name"), address, owners[address]))
                )
    return problems


def _describe(signature):
    if signature is None:
        return "missing"
    return "virtual_router_id %s, VIPs %s" % (signature[0], ", ".join(signature[1]))


def advert_int_problem(name, value, version):
    """The problem with one advert_int for the VRRP version, or None."""
    seconds = number(value)
    if version == 3:
        if seconds is None or not 0.01 <= seconds <= 40.95 or abs(round(seconds * 100) - seconds * 100) > 1e-6:
            return (tagged(RULE_ADVERT_INT, "%s is %r; allowed with VRRP version 3: 0.01..40.95 seconds in steps of "
                           "0.01 (centiseconds)" % (name, value)))
        return None
    if seconds is None or not 1 <= seconds <= 255 or seconds != int(seconds):
        return (tagged(RULE_ADVERT_INT, "%s is %r; allowed with VRRP version 2: a whole number of seconds 1..255 "
                       "(sub-second adverts need keepalived_vrrp_version 3)" % (name, value)))
    return None


def _weight_problem(name, weight, gap, failure="a failure"):
    """A weight must be 0 (FAULT) or move the VIP: |weight| greater than the priority gap to the next member."""
    if not isinstance(weight, int) or isinstance(weight, bool) or not -253 <= weight <= 253:
        return tagged(RULE_WEIGHT_RANGE, "%s is %r; allowed: a whole number -253..253" % (name, weight))
    if weight != 0 and abs(weight) <= gap:
        return (tagged(RULE_WEIGHT_MOVES_VIP, "%s is %d but the priority gap to the next member "
                       "(keepalived_priority_step) is %d: %s would never move the VIP. Use a weight whose absolute "
                       "value is greater than %d, or 0 for FAULT" % (name, weight, gap, failure, gap)))
    return None


NOTIFY_EVENTS = ("master", "backup", "fault", "stop", "notify")


def settings_problems(settings):
    """Problems of one host's keepalived settings that combine several variables.

    ``settings`` holds: vrrp_version, advert_int, strict, accept, auth_pass_set, auth_pass_length, unicast,
    nopreempt, preempt_delay, priority_step, interface, check_enabled, check_weight, track_process_enabled, track_process_weight,
    track_interfaces, notify_scripts, sync_groups and instances; optionally notify_reads (the notify scripts as read on the host, see notify_script_problems).
    The password itself is never passed in, so no message can contain it.
    """
    problems = input_problems(settings)
    problems.extend(notify_script_problems(settings.get("host"), settings.get("notify_reads")))
    # An instance whose master is no member: a problem now, not a PlanError when the model is resolved.
    if settings.get("members"):
        problems.extend(master_problems(settings.get("instances"), settings["members"], settings.get("cluster_group")))
    version = int(settings.get("vrrp_version") or 2)
    strict = bool(settings.get("strict"))
    gap = int(settings.get("priority_step") or 0)
    problem = advert_int_problem("keepalived_advert_int", settings.get("advert_int"), version)
    if problem:
        problems.append(problem)

    if version == 3 or strict:
        if settings.get("auth_pass_set"):
            why = "keepalived_vrrp_version is 3" if version == 3 else "keepalived_vrrp_strict is on"
            problems.append(tagged(RULE_AUTH_PASS_UNUSED, "keepalived_auth_pass is set, but %s: VRRP %s carries no "
                                   "authentication and keepalived would silently drop the password. Remove "
                                   "keepalived_auth_pass (or use VRRP version 2 without strict mode)"
                                   % (why, "version 3" if version == 3 else "in strict mode")))
    elif not settings.get("auth_pass_set") or not 1 <= int(settings.get("auth_pass_length") or 0) <= 8:
        problems.append(tagged(RULE_AUTH_PASS_LENGTH, "keepalived_auth_pass must be set to a string of 1 to 8 "
                               "characters (VRRP PASS authentication keeps only 8); there is no default password. Put "
                               "it in an encrypted group_vars file (ansible-vault)"))

    if strict:
        if settings.get("unicast"):
            problems.append(tagged(RULE_STRICT_UNICAST, "keepalived_vrrp_strict is on and keepalived_unicast is true: "
                                   "strict mode forbids unicast peers; turn one of them off"))
    instances = settings.get("instances") or []
    preempt_delays = [("keepalived_preempt_delay", settings.get("preempt_delay"), settings.get("nopreempt"))]
    for index, instance in enumerate(instances):
        where = "keepalived_instances[%d] (%s)" % (index, instance.get("name"))
        if instance.get("advert_int") is not None:
            problem = advert_int_problem(where + ".advert_int", instance.get("advert_int"), version)
            if problem:
                problems.append(problem)
        if instance.get("preempt_delay") is not None:
            nopreempt = instance.get("nopreempt")
            preempt_delays.append((where + ".preempt_delay", instance.get("preempt_delay"),
                                   settings.get("nopreempt") if nopreempt is None else nopreempt))
        if version == 2 and strict:
            for vip in instance.get("virtual_ipaddresses") or []:
                address = _vip_address(vip)
                if address and ":" in address:
                    problems.append(tagged(RULE_STRICT_IPV6, "%s: VIP %s is IPv6, which strict mode forbids with VRRP "
                                           "version 2; use keepalived_vrrp_version 3" % (where, address)))
        for route in instance.get("virtual_routes") or []:
            if not isinstance(route, str) or not re.match(r"\A[A-Za-z0-9_.:/ -]+\Z", route):
                problems.append(tagged(RULE_VIRTUAL_ROUTE, "%s: virtual_routes entry %r; allowed: letters, digits, "
                                       "'_', '.', ':', '/', '-' and single spaces (one route, e.g. '198.18.90.0/24 via "
                                       "198.18.71.1')" % (where, route)))
            elif not _route_destination_ok(route):
                problems.append(tagged(RULE_VIRTUAL_ROUTE_DESTINATION, "%s: virtual_routes entry %r does not name a "
                                       "destination network (e.g. '198.18.90.0/24 via 198.18.71.1 dev eth0')"
                                       % (where, route)))
        own = instance.get("interface") or settings.get("interface")
        tracked = list(settings.get("track_interfaces") or []) + list(instance.get("track_interfaces") or [])
        for item in tracked:
            name = item.get("name") if isinstance(item, dict) else item
            if not isinstance(name, str) or not name.strip():
                problems.append(tagged(RULE_TRACK_INTERFACE_NAME, "%s: track_interfaces entry %r has no interface name"
                                       % (where, item)))
                continue
            if name == own:
                problems.append(tagged(RULE_TRACK_INTERFACE_OWN, "%s: track_interfaces entry %s is the instance's own "
                                       "interface, which keepalived always tracks and ignores here; list other "
                                       "interfaces only" % (where, name)))
            if isinstance(item, dict) and item.get("weight") is not None:
                problem = _weight_problem("%s: weight of tracked interface %s" % (where, name), item.get("weight"), gap)
                if problem:
                    problems.append(problem)
    for name, delay, nopreempt in preempt_delays:
        if delay is None or delay == 0:
            continue
        if not isinstance(delay, int) or isinstance(delay, bool) or not 0 <= delay <= 1000:
            problems.append(tagged(RULE_PREEMPT_DELAY_RANGE, "%s is %r; allowed: a whole number of seconds 0..1000"
                                   % (name, delay)))
        elif strict:
            problems.append(tagged(RULE_PREEMPT_DELAY_STRICT, "%s is %d, but keepalived_vrrp_strict is on: strict mode "
                                   "forbids preempt_delay" % (name, delay)))
        elif nopreempt:
            problems.append(tagged(RULE_PREEMPT_DELAY_NOPREEMPT, "%s is %d, but nopreempt is on: a node that never "
                                   "preempts has nothing to delay; use one of them" % (name, delay)))

    if settings.get("check_enabled", True):
        problem = _weight_problem("keepalived_check_weight", settings.get("check_weight", 0), gap, "a failing check")
        if problem:
            problems.append(problem)
    if settings.get("track_process_enabled"):
        problem = _weight_problem("keepalived_track_process_weight", settings.get("track_process_weight"), gap)
        if problem:
            problems.append(problem)
    problems.extend(_http_check_problems(settings))

    for event, script in sorted((settings.get("notify_scripts") or {}).items()):
        if event not in NOTIFY_EVENTS:
            problems.append(tagged(RULE_NOTIFY_EVENT, "keepalived_notify_scripts has event %r; allowed: %s"
                                   % (event, ", ".join(NOTIFY_EVENTS))))
        if not matches("path", script):
            problems.append(tagged(RULE_SYNTAX_PATH, "keepalived_notify_scripts.%s is %r; allowed: an absolute path "
                                   "without spaces, of letters, digits, '_', '.', '@', '+', '-' separated by '/'"
                                   % (event, script)))

    problems.extend(_sync_group_problems(settings.get("sync_groups") or [], instances))
    return problems


def _http_check_problems(settings):
    """The HTTP health request and the backend check: timeouts, a weight that moves the VIP, the targets."""
    problems = []
    timeout = number(settings.get("check_http_timeout"))
    limit = number(settings.get("check_timeout"))
    uses_http = (settings.get("check_enabled", True) and settings.get("check_url")) or settings.get("backend_check_enabled")
    if uses_http and (timeout is None or not 0 < timeout <= 10 or (limit is not None and timeout >= limit)):
        problems.append(tagged(RULE_CHECK_HTTP_TIMEOUT, "keepalived_check_http_timeout is %r; allowed: more than 0 and "
                               "at most 10 seconds, and less than keepalived_check_timeout (%s), after which "
                               "keepalived counts the whole check as failed"
                               % (settings.get("check_http_timeout"), settings.get("check_timeout"))))
    url = settings.get("check_url")
    if settings.get("check_enabled", True) and url and (
            not isinstance(url, str) or not url.startswith(("http://", "https://")) or any(c.isspace() or c in "'\"" for c in url)):
        problems.append(tagged(RULE_CHECK_URL, "keepalived_check_url is %r; allowed: an http:// or https:// URL "
                               "without spaces or quotes (roles/nginx_lb's health location, e.g. "
                               "http://127.0.0.1:8082/halb-health), or empty to only ask systemd" % (url,)))
    if settings.get("backend_check_enabled"):
        weight = settings.get("backend_check_weight")
        if weight == 0 and not isinstance(weight, bool):
            problems.append(tagged(RULE_BACKEND_CHECK_WEIGHT, "keepalived_backend_check_weight is 0, which would put "
                                   "every load balancer in FAULT when all backends are down everywhere and nobody "
                                   "would hold the VIPs; use a weight whose absolute value is greater than the "
                                   "priority gap (%d)" % int(settings.get("priority_step") or 0)))
        else:
            problem = _weight_problem("keepalived_backend_check_weight", weight, int(settings.get("priority_step") or 0),
                                      "a load balancer that reaches no backend")
            if problem:
                problems.append(problem)
        problems.extend(target_problems("keepalived_backend_check_targets", settings.get("backend_check_targets")))
        problems.extend(target_problems("keepalived_backend_check_peer_targets",
                                        settings.get("backend_check_peer_targets", []), allow_empty=True))
        interval = whole(settings.get("backend_check_interval", 1))
        if interval is None or not 1 <= interval <= 3600:
            problems.append(tagged(RULE_CHECK_RANGE, "keepalived_backend_check_interval is %r; allowed: a whole number "
                                   "of seconds 1..3600" % (settings.get("backend_check_interval"),)))
    return problems


# Whole-number settings of the check script: (variable, key, lowest, highest).
CHECK_RANGES = (
    ("keepalived_check_interval", "check_interval", 1, 3600),
    ("keepalived_check_timeout", "check_timeout", 1, 3600),
    ("keepalived_check_fall", "check_fall", 1, 255),
    ("keepalived_check_rise", "check_rise", 1, 255),
)
# Seconds between gratuitous ARPs / unsolicited NAs keepalived accepts (vrrp_garp_interval, vrrp_gna_interval).
GARP_INTERVAL_MAX = 1000


def notify_script_problems(host, reads):
    """keepalived runs its notify scripts as root: each must exist on the host, be root's file, writable by root only
    and executable. ``reads``: the results of ansible.builtin.stat looped over keepalived_notify_scripts' items."""
    problems = []
    for read in reads or []:
        stat = read.get("stat") if isinstance(read, dict) else None
        if not isinstance(stat, dict):
            continue
        item = read.get("item") or {}
        where = "keepalived_notify_scripts.%s on %s: %s" % (item.get("key"), host, item.get("value"))
        if not stat.get("exists"):
            problems.append(tagged(RULE_NOTIFY_SCRIPT_EXISTS, "%s does not exist (keepalived runs it as root: install "
                                   "it before the deploy)" % where))
        elif stat.get("pw_name") != "root" or stat.get("woth") or stat.get("wgrp") or not stat.get("xusr"):
            problems.append(tagged(RULE_NOTIFY_SCRIPT_OWNER, "%s is owned by %s with mode %s (allowed: a file of root, "
                                   "writable by root only, executable)"
                                   % (where, stat.get("pw_name"), stat.get("mode"))))
    return problems


def _range_problems(settings):
    problems = []
    if "priority_top" in settings:
        problems.extend(priority_problems(int(settings.get("priority_top")), int(settings.get("priority_step") or 0),
                                          len(settings.get("members") or [None])))
    for variable, key, lowest, highest in CHECK_RANGES:
        if key not in settings or not settings.get("check_enabled", True):
            continue
        given = whole(settings.get(key))
        if given is None or not lowest <= given <= highest:
            problems.append(tagged(RULE_CHECK_RANGE, "%s is %r; allowed: a whole number of %s %d..%d"
                                   % (variable, settings.get(key),
                                      "seconds" if key in ("check_interval", "check_timeout") else "checks", lowest,
                                      highest)))
    for variable, key in (("keepalived_garp_interval", "garp_interval"), ("keepalived_gna_interval", "gna_interval")):
        value = settings.get(key)
        if value is None:
            continue
        seconds = number(value)
        if seconds is None or not 0 <= seconds <= GARP_INTERVAL_MAX or abs(round(seconds * 1e6) - seconds * 1e6) > 1e-3:
            problems.append(tagged(RULE_GARP_INTERVAL, "%s is %r; allowed: seconds 0..%d with at most 6 decimals (0: "
                                   "no delay between gratuitous messages)" % (variable, value, GARP_INTERVAL_MAX)))
    return problems


def _smtp_problems(settings):
    problems = []
    emails = settings.get("notification_email")
    # Anything but a list is refused by its type (rule input-type) before these rules run.
    if isinstance(emails, list):
        problems.extend(syntax_problems(("keepalived_notification_email[%d]" % index, email, "email")
                                        for index, email in enumerate(emails)))
    problems.extend(syntax_problems([("keepalived_notification_email_from", settings.get("notification_email_from"),
                                      "email")]))
    server = settings.get("smtp_server")
    if server not in (None, ""):
        words = str(server).split()
        if len(words) not in (1, 2) or not (is_ip(words[0]) or syntax_problem("x", words[0], "host") is None) or (
                len(words) == 2 and not (words[1].isdigit() and 1 <= int(words[1]) <= 65535)):
            problems.append(tagged(RULE_SMTP_SERVER, "keepalived_smtp_server is %r; allowed: an IP address or host "
                                   "name, optionally followed by a space and a port 1..65535 (e.g. '198.18.72.171 25')"
                                   % (server,)))
    timeout = settings.get("smtp_connect_timeout")
    if timeout is not None:
        number = whole(timeout)
        if number is None or not 1 <= number <= 3600:
            problems.append(tagged(RULE_SMTP_CONNECT_TIMEOUT, "keepalived_smtp_connect_timeout is %r; allowed: a whole "
                                   "number of seconds 1..3600" % (timeout,)))
    alerting = [("keepalived_smtp_alert", settings.get("smtp_alert"))] + [
        ("keepalived_instances[%d] (%s).smtp_alert" % (index, i.get("name")), i.get("smtp_alert"))
        for index, i in enumerate(settings.get("instances") or [])]
    wanted = [name for name, value in alerting if value is True or str(value).lower() in ("true", "yes", "on", "1")]
    if wanted:
        missing = [name for name, key in (("keepalived_smtp_server", "smtp_server"),
                                          ("keepalived_notification_email", "notification_email"),
                                          ("keepalived_notification_email_from", "notification_email_from"))
                   if not settings.get(key)]
        if missing:
            problems.append(tagged(RULE_SMTP_ALERT, "%s is on, but %s %s empty; SMTP alerts need a server, recipients "
                                   "and a sender"
                                   % (wanted[0], " and ".join(missing), "is" if len(missing) == 1 else "are")))
    return problems


def _interface_problems(settings):
    """Interface names (syntax) and, when the host's facts list its interfaces, that the host has them."""
    problems = []
    known = settings.get("host_interfaces")
    named = [("keepalived_interface", settings.get("interface"))]
    for item in settings.get("track_interfaces") or []:
        named.append(("keepalived_track_interfaces entry", item.get("name") if isinstance(item, dict) else item))
    for index, instance in enumerate(settings.get("instances") or []):
        where = "keepalived_instances[%d] (%s)" % (index, instance.get("name"))
        if instance.get("interface") is not None:
            named.append((where + ".interface", instance.get("interface")))
        for item in instance.get("track_interfaces") or []:
            named.append((where + ".track_interfaces entry", item.get("name") if isinstance(item, dict) else item))
    reported = set()
    for variable, name in named:
        if not isinstance(name, str) or not name.strip() or (variable, name) in reported:
            continue
        reported.add((variable, name))
        problem = syntax_problem(variable, name, "interface")
        if problem:
            if not variable.startswith("keepalived_instances["):  # instance_problems reports those
                problems.append(problem)
        elif known is not None and name not in known:
            shown = sorted(known, key=lambda n: (n.startswith(("veth", "br-")), n))
            problems.append(tagged(RULE_INTERFACE_EXISTS, "%s is %r, which %s does not have; allowed: one of its "
                                   "interfaces (%s%s)"
                                   % (variable, name, settings.get("host") or "this host", ", ".join(shown[:8]),
                                      ", ..." if len(shown) > 8 else "")))
    return problems


def _secret_problems(settings):
    """The password's characters, without ever naming it: it is rendered quoted in keepalived.conf."""
    if settings.get("auth_pass_quotable", True):
        return []
    return [tagged(RULE_AUTH_PASS_CHARACTERS, "keepalived_auth_pass contains a double quote, a backslash or a "
                   'character that is not printable ASCII; allowed: printable ASCII without \'"\' and \'\\\' (the '
                   "password is not shown)")]


# The PID namespace of a host's init (/proc/self/ns/pid): process events reach this namespace only.
INITIAL_PID_NAMESPACE = "pid:[4026531836]"


def _membership_problems(settings):
    """This host in the cluster group, at least one instance, and process tracking only where it can work."""
    problems = []
    if "cluster_group" in settings and settings.get("host") not in (settings.get("members") or []):
        problems.append(tagged(RULE_CLUSTER_GROUP, "keepalived_cluster_group is '%s', but %s is not in that group "
                               "(groups: %s). Run the role on the members of that group."
                               % (settings.get("cluster_group"), settings.get("host"),
                                  ", ".join(settings.get("groups") or []))))
    members = settings.get("members") or []
    for index, name in enumerate(settings.get("members_leaving") or []):
        if name in members:
            problems.append(tagged(RULE_MEMBERS_LEAVING, "keepalived_members_leaving[%d] is %s, which is still in the group "
                                   "%s: a member leaves the cluster by leaving that group in the inventory; name it here "
                                   "in the run that deploys the inventory without it."
                                   % (index, name, settings.get("cluster_group"))))
    if "instances" in settings and not settings.get("instances"):
        problems.append(tagged(RULE_INSTANCES_EMPTY, "keepalived_instances is empty: define at least one instance with "
                               "name, virtual_router_id and virtual_ipaddresses."))
    namespace = settings.get("pid_namespace")
    if settings.get("track_process_enabled") and namespace is not None and namespace != INITIAL_PID_NAMESPACE:
        problems.append(tagged(RULE_TRACK_PROCESS_NAMESPACE, "keepalived_track_process_enabled is true, but %s runs in "
                               "a PID namespace of its own (%s, a container): the kernel sends process events only to "
                               "the initial PID namespace, so vrrp_track_process would count %s as missing forever and "
                               "demote this node. Set keepalived_track_process_enabled to false here; the check script "
                               "still tracks %s."
                               % (settings.get("host"), namespace, settings.get("track_process_name"),
                                  settings.get("check_service"))))
    return problems


def input_problems(settings):
    """Membership, syntax of every value the role writes into keepalived.conf, scripts, the sudo rule and unit files,
    the range rules of the numeric settings, and the SMTP alert settings."""
    problems = _membership_problems(settings)
    problems += syntax_problems([
        ("keepalived_router_id", settings.get("router_id"), "router_id"),
        ("keepalived_script_user", settings.get("script_user"), "user"),
        ("keepalived_check_service", settings.get("check_service"), "unit"),
        ("keepalived_track_process_name",
         settings.get("track_process_name") if settings.get("track_process_enabled") else None, "process"),
        ("keepalived_state_log", settings.get("state_log"), "path"),
    ])
    if settings.get("install_method") == "source":
        problems.extend(syntax_problems([
            ("keepalived_prefix", settings.get("prefix"), "path"),
            ("keepalived_build_dir", settings.get("build_dir"), "path"),
            ("keepalived_source_url", settings.get("source_url"), "url"),
        ]))
        if not re.match(r"\A[0-9]+\.[0-9]+\.[0-9]+\Z", str(settings.get("version"))):
            problems.append(tagged(RULE_VERSION, "keepalived_version is %r; allowed: a release X.Y.Z such as 2.2.7"
                                   % (settings.get("version"),)))
        if not re.match(r"\A(md5:[0-9a-fA-F]{32}|sha256:[0-9a-fA-F]{64})\Z", str(settings.get("source_checksum"))):
            problems.append(tagged(RULE_SOURCE_CHECKSUM, "keepalived_source_checksum is %r; allowed: md5:<32 hex "
                                   "digits> or sha256:<64 hex digits>" % (settings.get("source_checksum"),)))
    for index, group in enumerate(settings.get("sync_groups") or []):
        problem = syntax_problem("keepalived_sync_groups[%d].name" % index, (group or {}).get("name"), "keepalived_name")
        if problem:
            problems.append(problem)
    problems.extend(_interface_problems(settings))
    problems.extend(_range_problems(settings))
    problems.extend(_smtp_problems(settings))
    problems.extend(_secret_problems(settings))
    if settings.get("unicast"):
        families = set(instance_family(instance) for instance in settings.get("instances") or []) or set([4])
        for family, key in ((4, "unicast_addresses"), (6, "unicast_addresses6")):
            if family in families and settings.get(key) is not None:
                problems.extend(unicast_address_problems(settings[key], family))
    return problems


def unicast_address_problems(addresses, family):
    """Every member (``addresses``: member -> its address of ``family``, as the plan resolves it) needs an address
    of that family of its own for unicast adverts: no prefix, no zone, not link-local, no other member's."""
    variable, fact = ADDRESS_SOURCES[family]
    problems = []
    owners = {}
    for member, address in sorted(addresses.items()):
        canonical = canonical_address(address) if address_family(address) == family else None
        if canonical is None or "/" in str(address) or "%" in str(address) \
                or ipaddress.ip_address(canonical).is_link_local:
            if family == 4:
                problems.append(tagged(RULE_UNICAST_ADDRESS, "%s of %s is %r; keepalived_unicast is on, so every "
                                       "member needs its own IP address (%s or a default IPv4 address fact)"
                                       % (variable, member, address, variable)))
            else:
                problems.append(tagged(RULE_UNICAST_ADDRESS, "%s of %s is %r; keepalived_unicast is on and an instance "
                                       "has IPv6 VIPs, so every member needs its own global IPv6 address without a "
                                       "prefix (%s or a default IPv6 address fact %s)"
                                       % (variable, member, address, variable, fact)))
            continue
        if canonical in owners:
            problems.append(tagged(RULE_UNICAST_ADDRESS_UNIQUE, "%s of %s is %s, the same as %s's; every member needs "
                                   "its own unicast address" % (variable, member, address, owners[canonical])))
        owners.setdefault(canonical, member)
    return problems


def _route_destination_ok(route):
    words = route.split()
    while words and words[0] in ("src", "to", "blackhole", "unreachable", "prohibit"):
        words = words[2:] if words[0] == "src" else words[1:]
    if not words:
        return False
    if words[0] == "default":
        return True
    try:
        ipaddress.ip_network(words[0], strict=False)
    except ValueError:
        return False
    return True


def _sync_group_problems(groups, instances):
    problems = []
    names = [i.get("name") for i in instances]
    member_of = {}
    seen = set()
    for index, group in enumerate(groups):
        where = "keepalived_sync_groups[%d] (%s)" % (index, group.get("name"))
        if group.get("name") in seen:
            problems.append(tagged(RULE_SYNC_GROUP_NAME_UNIQUE, "%s: name is already used by another sync group"
                                   % where))
        seen.add(group.get("name"))
        members = group.get("instances") or []
        if len(members) < 2:
            problems.append(tagged(RULE_SYNC_GROUP_SIZE, "%s: instances is %r; a sync group needs at least two "
                                   "instances" % (where, members)))
        for name in members:
            if name not in names:
                problems.append(tagged(RULE_SYNC_GROUP_INSTANCE, "%s: instance %r is not in keepalived_instances (%s)"
                                       % (where, name, ", ".join(str(n) for n in names))))
            elif name in member_of:
                problems.append(tagged(RULE_SYNC_GROUP_INSTANCE_UNIQUE, "%s: instance %s is already in sync group %s; "
                                       "an instance belongs to one group" % (where, name, member_of[name])))
            else:
                member_of[name] = group.get("name")
    return problems


def settings_warnings(settings):
    """Settings that keepalived accepts but that are probably not what the operator wants."""
    warnings = []
    if settings.get("strict") and not settings.get("accept"):
        warnings.append("keepalived_vrrp_strict is on without keepalived_vrrp_accept: keepalived then drops traffic "
                        "addressed to the VIPs on the master, so nginx on the VIP is unreachable. Set "
                        "keepalived_vrrp_accept: true unless that is what you want")
    return warnings
