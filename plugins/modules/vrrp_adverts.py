#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: vrrp_adverts
short_description: Listen on an interface for VRRP adverts and report those that come from outside the cluster
version_added: 1.3.0
description:
  - Captures, for O(seconds), every IPv4 and IPv6 packet of protocol 112 (VRRP) that arrives on O(interface), with a
    packet socket - it sees what arrives on the interface before netfilter, so a VRRP firewall that drops an advert
    does not hide it. The host's own outgoing adverts are not counted.
  - Reports each (family, source, VRID) heard with its count, version and last priority; the C(foreign) ones are for
    one of O(vrids) from an address that is not one of O(members); C(malformed) counts adverts with a TTL or hop
    limit other than 255 on the multicast group, a bad checksum, an unknown version or type, or fewer bytes than
    their address count needs.
  - Needs root (C(CAP_NET_RAW)). Never changes anything.
  - A switch that filters multicast (IGMP/MLD snooping) forwards VRRP's group (224.0.0.18, ff02::12) to every port in
    practice (link-local groups are flooded); unicast adverts reach only their peers, so a foreign unicast speaker is
    heard only where it sends.
author:
  - halb maintainers (@halb)
options:
  interface:
    description: The interface to listen on (the VRRP instances' interface).
    type: str
    required: true
  seconds:
    description:
      - How long to listen (0.1 to 60).
      - Without it, three advert intervals of O(advert_int) plus half a second, at least 1 and at most 60 (3.5 with
        the default O(advert_int)).
    type: float
  advert_int:
    description: The slowest advert interval of the instances listened for (seconds), when O(seconds) is not given.
    type: float
    default: 1.0
  members:
    description: The cluster members' addresses (IPv4 and IPv6); adverts from them are not foreign.
    type: list
    elements: str
    default: []
  vrids:
    description: The cluster's VRIDs; an advert for another VRID is reported, never foreign.
    type: list
    elements: int
    default: []
  max_packets:
    description: Stop after this many VRRP packets (bounds the work on a flooded segment).
    type: int
    default: 10000
notes:
  - Supports check mode (it never changes anything).
seealso:
  - module: halb.nginx_keepalived.vrrp_info
extends_documentation_fragment:
  - halb.nginx_keepalived.read_only
"""

EXAMPLES = r"""
- name: Listen for adverts of this cluster's VRIDs from outside it
  halb.nginx_keepalived.vrrp_adverts:
    interface: eth0
    seconds: 3.5
    members: [198.18.70.181, 198.18.70.182]
    vrids: [51, 52]
  register: adverts

- name: Refuse a foreign speaker
  ansible.builtin.assert:
    that: adverts.foreign | length == 0
"""

RETURN = r"""
adverts:
  description:
    - Each (family, source, VRID) heard - C(family), C(source), C(vrid), C(version), C(priority) (the last one heard),
      C(count), C(malformed), C(problems) and C(member) (whether the source is one of O(members)).
  returned: always
  type: list
  elements: dict
  sample:
    - {family: 4, source: 198.18.70.181, vrid: 51, version: 2, priority: 110, count: 4, malformed: 0, problems: [],
       member: true}
foreign:
  description: The entries of RV(adverts) for one of O(vrids) whose source is not one of O(members).
  returned: always
  type: list
  elements: dict
  sample:
    - {family: 4, source: 198.18.70.171, vrid: 51, version: 2, priority: 50, count: 4, malformed: 0, problems: [],
       member: false}
foreign_text:
  description: Each entry of RV(foreign) as refusals name it - source, VRID, priority, version, count and interface.
  returned: always
  type: list
  elements: str
  sample:
    - 198.18.70.171 VRID 51 priority 50 (VRRPv2, 4 adverts on eth0)
malformed:
  description: How many adverts were malformed.
  returned: always
  type: int
  sample: 0
packets:
  description: How many VRRP packets were captured.
  returned: always
  type: int
  sample: 8
seconds:
  description: How long the module listened.
  returned: always
  type: float
  sample: 3.5
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_adverts import capture, listen_seconds, summarise


def main():
    module = AnsibleModule(
        argument_spec=dict(
            interface=dict(type="str", required=True),
            seconds=dict(type="float"),
            advert_int=dict(type="float", default=1.0),
            members=dict(type="list", elements="str", default=[]),
            vrids=dict(type="list", elements="int", default=[]),
            max_packets=dict(type="int", default=10000),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params["seconds"] is None:
        params["seconds"] = listen_seconds(params["advert_int"])
    if not 0.1 <= params["seconds"] <= 60:
        module.fail_json(msg="vrrp_adverts: seconds must be between 0.1 and 60, got %s" % params["seconds"])
    start = time.monotonic()
    try:
        adverts = capture(params["interface"], params["seconds"], params["max_packets"])
        result = summarise(adverts, params["members"], params["vrids"], params["interface"])
    except (OSError, ValueError) as exc:
        module.fail_json(msg="vrrp_adverts: cannot listen on %s: %s" % (params["interface"], to_native(exc)))
    module.exit_json(changed=False, packets=len(adverts), seconds=round(time.monotonic() - start, 2), **result)


if __name__ == "__main__":
    main()
