# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nginx_lb_problems
short_description: List what is wrong with the upstreams and virtual hosts of the nginx load balancer
version_added: 1.0.0
description:
  - Checks the rules that an argument spec cannot express and returns one sentence per problem naming
    the variable, the value and what is allowed.
  - Upstreams (C(nginx_lb_upstreams)) need a unique name and at least one server (a C(backend_group) with
    hosts or a non-empty C(servers) list); weights are whole numbers >= 1; C(backup) is refused with
    C(ip_hash) and C(hash) (nginx refuses it too); C(hash) needs a C(hash_key).
  - Virtual hosts (C(nginx_lb_vhosts)) name a defined upstream, listen on a port 1..65535 and an IP address;
    no two serve the same (listen address, port, server_name); TLS needs both a certificate and a key, and
    every virtual host on one address and port agrees on TLS.
  - The stub_status listener has a valid port and address of its own.
  - Every value that lands in nginx.conf has nginx's syntax there (names, server names, hash keys, addresses,
    sizes, times, the served-by header, paths), so that none can end a directive or open a block.
positional: vhosts, groups, hostvars, defaults
options:
  _input:
    description: The upstreams (C(nginx_lb_upstreams)).
    type: list
    elements: dict
    required: true
  vhosts:
    description: The virtual hosts (C(nginx_lb_vhosts)).
    type: list
    elements: dict
    required: true
  groups:
    description: The inventory groups (C(groups)).
    type: dict
    required: true
  hostvars:
    description: The variables of every host (C(hostvars)); per-backend C(nginx_lb_backend_*) and facts.
    type: dict
    required: true
  defaults:
    description:
      - Values for what an upstream or server leaves out, and the stub_status settings; keys
        C(backend_port), C(weight), C(max_fails), C(fail_timeout), C(keepalive), C(zone_size),
        C(stub_status_enabled), C(stub_status_address), C(stub_status_port), C(nonlocal_bind), C(served_by_header),
        C(proxy_connect_timeout), C(worker_processes), C(tls_dir), C(acme_challenge_dir), C(stub_status_path).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Refuse bad upstreams and virtual hosts
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ nginx_lb_upstreams | halb.nginx_keepalived.nginx_lb_problems(nginx_lb_vhosts, groups, hostvars, defaults) }}"
"""

RETURN = r"""
_value:
  description:
    - One sentence per problem, ending with its rule id in brackets (C([nginx-port-range])); empty when the inputs are valid.
  type: list
  elements: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._nginx_validate import lb_problems


def _nginx_lb_problems(upstreams, vhosts, groups, hostvars, defaults):
    return lb_problems(list(upstreams or []), list(vhosts or []), groups, hostvars, dict(defaults))


class FilterModule(object):
    def filters(self):
        return {"nginx_lb_problems": _nginx_lb_problems}
