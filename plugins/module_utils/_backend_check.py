# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backends a load balancer's backend check must reach, and what is wrong with a list of them.

A target is ``address:port`` (``[address]:port`` for IPv6): the check script of the keepalived role sends one
HTTP request to each and counts the load balancer healthy while at least one answers (any status).

A peer target is another cluster member's load-balanced service, also ``address:port``: a member that reaches no
backend asks its peers, and when one of them serves (a status below 500 through the peer's nginx) this member
is partitioned from the backends while a peer is not, and gives up its VIPs at once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._input_syntax import url_host
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._nginx_validate import (
    backend_host_address,
    backend_host_down,
    backend_host_port,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged

# Rule ids: each refusal below ends with its rule's id in brackets (module_utils/_rule_ids.py).
RULE_TARGETS = "keepalived-backend-check-targets"
RULE_TARGET_ADDRESS = "keepalived-backend-check-target-address"


def _target(address, port):
    return "%s:%s" % (url_host(address), port)


def backend_targets(hosts, hostvars, default_port):
    """``address:port`` of every host, as roles/nginx_lb builds its upstream from a backend group.

    The address is the host's ``nginx_lb_backend_address`` or its default IPv4 address (facts), the port its
    ``nginx_lb_backend_port``, its ``webserver_port`` or ``default_port`` (``backend_host_port``). A host without
    an address yields ``<host>:?`` so that the validation names it instead of the check silently skipping it. A
    host marked ``nginx_lb_backend_down`` (maintenance: nginx sends it nothing) is left out: reaching it does not
    make a load balancer useful.
    """
    targets = []
    for host in hosts or []:
        host_vars = hostvars.get(host) or {}
        if backend_host_down(host_vars) is True:
            continue
        address = backend_host_address(host_vars)
        port = backend_host_port(host_vars, default_port)
        targets.append(_target(address, port) if address else "%s:?" % host)
    return targets


def peer_targets(addresses, host, port):
    """``address:port`` of every member but ``host`` (``addresses``: member -> address, in member order; members
    without an address are left out)."""
    return [_target(address, port) for member, address in (addresses or {}).items() if member != host and address]


_TARGET = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.-]+)):(?P<port>[0-9]{1,5})$")


def target_problems(name, targets, allow_empty=False):
    """Problems of a list of backend check targets (``name`` is the variable shown in the messages)."""
    if allow_empty and targets in (None, []):
        return []
    if allow_empty and not isinstance(targets, list):
        return [tagged(RULE_TARGETS, "%s is %r; allowed: a list of 'address:port' (an empty list turns this check off)"
                       % (name, targets))]
    if not isinstance(targets, list) or not targets:
        return [tagged(RULE_TARGETS, "%s is %r; give at least one backend as 'address:port' (or turn the backend check "
                       "off)" % (name, targets))]
    problems = []
    for index, target in enumerate(targets):
        match = _TARGET.match(str(target))
        valid = bool(match) and 1 <= int(match.group("port")) <= 65535
        if valid and match.group("v6"):
            try:
                valid = ipaddress.ip_address(match.group("v6")).version == 6
            except ValueError:
                valid = False
        if not valid:
            problems.append(tagged(RULE_TARGET_ADDRESS, "%s[%d] is %r; allowed: 'address:port' or '[IPv6 "
                                   "address]:port' with a port 1..65535 (a backend host without "
                                   "nginx_lb_backend_address or gathered facts shows as 'host:?')"
                                   % (name, index, target)))
    return problems
