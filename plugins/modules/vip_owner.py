#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: vip_owner
short_description: Find which load balancer answers for a virtual IP, as a client sees it
version_added: 1.0.0
description:
  - Runs where the clients are (a client host or the controller) on the VIP's layer-2 network.
  - Probes the VIP with one ping (C(ping -c1 -W1)), reads the neighbour entry
    (C(ip -j neigh show <vip>)) and matches its MAC with the O(candidates).
  - With O(http_port), sends one HTTP GET to the VIP and reads the header O(lb_header) in which
    the load balancer names itself.
  - With O(vrrp_states) (the results of M(halb.nginx_keepalived.vrrp_info) from every load balancer),
    counts the load balancers that hold the VIP, to catch a split brain.
  - Fails when nobody answers, when more than one load balancer holds the VIP, when the MAC belongs to
    no candidate, when the observations disagree, or when O(expected_owner) is set and differs.
  - Read-only.
author:
  - halb maintainers (@halb)
options:
  vip:
    description: The virtual IP address (a prefix such as C(/24) is ignored).
    type: str
    required: true
  candidates:
    description:
      - The load balancers that may hold the VIP.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Name reported as owner (usually the inventory hostname).
        type: str
        required: true
      mac:
        description: MAC address of the interface the VIP lives on.
        type: str
      hostname:
        description: Value the load balancer puts in O(lb_header), when it differs from O(candidates[].name).
        type: str
  http_port:
    description: Send one HTTP GET to C(http://<vip>:<http_port>/) and read O(lb_header).
    type: int
  lb_header:
    description: Response header in which the load balancer names itself.
    type: str
    default: X-Load-Balancer
  http_timeout:
    description: Seconds to wait for the HTTP response.
    type: float
    default: 3.0
  vrrp_states:
    description:
      - Results of M(halb.nginx_keepalived.vrrp_info), one per load balancer. The load balancer's name
        is read from the key C(host), else C(hostname).
    type: list
    elements: dict
  expected_owner:
    description: Fail unless this candidate owns the VIP.
    type: str
notes:
  - Supports check mode; the probes are read-only and also run in check mode.
  - When the VIP uses a VRRP virtual MAC (C(use_vmac)), the MAC names no host; the owner is then
    taken from O(lb_header) or O(vrrp_states).
seealso:
  - module: halb.nginx_keepalived.vrrp_info
  - module: halb.nginx_keepalived.lb_distribution
extends_documentation_fragment:
  - halb.nginx_keepalived.read_only
"""

EXAMPLES = r"""
- name: Check that lb1 holds the VIP and that no other load balancer claims it
  halb.nginx_keepalived.vip_owner:
    vip: 198.18.70.183
    candidates:
      - name: lb1
        mac: "02:42:c6:12:46:0b"
      - name: lb2
        mac: "02:42:c6:12:46:0c"
    http_port: 80
    vrrp_states: "{{ groups['load_balancers'] | map('extract', hostvars, 'vrrp') | list }}"
    expected_owner: lb1
  register: owner
"""

RETURN = r"""
vip:
  description: The VIP address probed.
  returned: always
  type: str
  sample: 198.18.70.183
owner:
  description: The candidate owning the VIP, or null.
  returned: always
  type: str
  sample: lb1
owner_by_mac:
  description: The candidate whose MAC the VIP resolves to.
  returned: always
  type: str
  sample: lb1
owner_by_http:
  description: The candidate named by O(lb_header).
  returned: always
  type: str
  sample: lb1
holders:
  description: Load balancers that report holding the VIP (null without O(vrrp_states)).
  returned: always
  type: list
  elements: str
  sample: [lb1]
instances:
  description: Per load balancer, the VRRP instance naming the VIP, its state and effective priority.
  returned: always
  type: list
  elements: dict
  sample: [{host: lb1, instance: VI_1, state: MASTER, effective_priority: 150, running: true}]
ping:
  description: Whether the single ping got a reply (null when C(ping) is not installed).
  returned: always
  type: bool
  sample: true
neighbor:
  description: The neighbour entry for the VIP, or null.
  returned: always
  type: dict
  sample: {address: 198.18.70.183, interface: eth0, mac: "02:42:c6:12:46:0b", state: [REACHABLE]}
mac:
  description: MAC the VIP resolves to, or null.
  returned: always
  type: str
  sample: "02:42:c6:12:46:0b"
vmac:
  description: Whether RV(mac) is a VRRP virtual MAC.
  returned: always
  type: bool
  sample: false
http:
  description: The HTTP probe (null without O(http_port)).
  returned: always
  type: dict
  sample: {status: 200, lb_header: lb1, error: null}
answered:
  description: Whether anything answered for the VIP (ping, neighbour MAC or HTTP).
  returned: always
  type: bool
  sample: true
problems:
  description: Everything found wrong; the module fails when it is not empty.
  returned: always
  type: list
  elements: str
  sample: []
"""

import http.client
import socket

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._input_syntax import url_host
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._ip_json import (
    IpOutputError,
    best_neighbor,
    parse_ip_neigh,
    parse_ip_neigh_text,
    split_address,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vip_owner import (
    decide,
    instance_summary,
)

SBIN_DIRS = ["/usr/sbin", "/sbin", "/usr/local/sbin"]


def probe_http(address, port, header, timeout):
    host = url_host(address)
    conn = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        conn.request("GET", "/", headers={"Host": "%s:%d" % (host, port), "Connection": "close",
                                          "User-Agent": "halb.nginx_keepalived.vip_owner"})
        resp = conn.getresponse()
        resp.read(65536)
        return {"status": resp.status, "lb_header": resp.getheader(header), "error": None}
    except (OSError, http.client.HTTPException) as exc:
        return {"status": None, "lb_header": None, "error": "%s: %s" % (type(exc).__name__, to_native(exc))}
    finally:
        conn.close()


def read_neighbor(module, address):
    ip_bin = module.get_bin_path("ip", opt_dirs=SBIN_DIRS)
    if not ip_bin:
        return None, "no 'ip' command"
    rc, out, err = module.run_command([ip_bin, "-j", "neigh", "show", address])
    try:
        if rc == 0:
            return best_neighbor(parse_ip_neigh(out, address)), None
        rc, out, err = module.run_command([ip_bin, "neigh", "show", address])
        if rc == 0:
            return best_neighbor(parse_ip_neigh_text(out, address)), None
        return None, "'ip neigh show %s' failed: %s" % (address, err.strip())
    except IpOutputError as exc:
        return None, to_native(exc)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            vip=dict(type="str", required=True),
            candidates=dict(type="list", elements="dict", default=[], options=dict(
                name=dict(type="str", required=True),
                mac=dict(type="str"),
                hostname=dict(type="str"),
            )),
            http_port=dict(type="int"),
            lb_header=dict(type="str", default="X-Load-Balancer"),
            http_timeout=dict(type="float", default=3.0),
            vrrp_states=dict(type="list", elements="dict"),
            expected_owner=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        address = split_address(params["vip"])[0]
    except ValueError as exc:
        module.fail_json(msg="vip %r is not an IP address: %s" % (params["vip"], to_native(exc)))
    if params["http_port"] is not None and not 0 < params["http_port"] < 65536:
        module.fail_json(msg="http_port must be within 1..65535, got %d" % params["http_port"])
    if not 0 < params["http_timeout"] <= 60:
        module.fail_json(msg="http_timeout must be greater than 0 and at most 60 seconds")
    names = [c["name"] for c in params["candidates"]]
    if params["expected_owner"] and params["expected_owner"] not in names:
        module.fail_json(msg="expected_owner %s is not one of the candidates (%s)"
                         % (params["expected_owner"], ", ".join(names) or "none given"))

    result = dict(changed=False, vip=address, ping=None, neighbor=None, http=None)
    notes = []

    ping_bin = module.get_bin_path("ping", opt_dirs=["/usr/bin", "/bin"] + SBIN_DIRS)
    if ping_bin:
        rc, out, err = module.run_command([ping_bin, "-c1", "-W1", address])
        result["ping"] = rc == 0
    else:
        notes.append("no ping command; relying on the neighbour table and HTTP")
        # Trigger neighbour resolution anyway with one datagram to the discard port.
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            sock.sendto(b"", (address, 9))
        except OSError:
            pass
        finally:
            sock.close()

    if params["http_port"]:
        result["http"] = probe_http(address, params["http_port"], params["lb_header"], params["http_timeout"])

    neighbor, neigh_error = read_neighbor(module, address)
    if neigh_error:
        notes.append(neigh_error)
    result["neighbor"] = neighbor
    mac = neighbor["mac"] if neighbor else None
    result["mac"] = mac

    http_ok = bool(result["http"]) and result["http"]["status"] is not None
    answered = bool(result["ping"]) or bool(mac) or http_ok
    result["answered"] = answered
    header_value = result["http"]["lb_header"] if result["http"] else None
    verdict = decide(address, answered, mac, header_value, params["candidates"], params["vrrp_states"],
                     params["expected_owner"])
    result.update(verdict)
    result["instances"] = instance_summary(address, params["vrrp_states"])
    result["notes"] = notes
    if result["http"] and result["http"]["error"] and answered:
        result["problems"].append("VIP %s answers but HTTP on port %d failed: %s"
                                  % (address, params["http_port"], result["http"]["error"]))
    if result["problems"]:
        module.fail_json(msg="; ".join(result["problems"]), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
