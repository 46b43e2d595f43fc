# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nginx_lb_plan
short_description: Resolve the upstreams and virtual hosts of the nginx load balancer into what nginx.conf renders
version_added: 1.0.0
description:
  - Applies every default, so the template only renders.
  - An upstream with C(backend_group) gets one server per host of that group, in inventory order, with the
    host's C(nginx_lb_backend_address) (or its default IPv4 address), C(nginx_lb_backend_port) (or the
    upstream's C(port)), C(nginx_lb_backend_weight), C(nginx_lb_backend_max_fails),
    C(nginx_lb_backend_fail_timeout) and C(nginx_lb_backend_down) (true marks it C(down) for maintenance).
  - The first virtual host of each listen address and port is its default server unless one sets
    C(default_server).
  - C(sysctls) lists the C(ip_nonlocal_bind) sysctls nginx needs to listen on addresses the host may not hold.
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
    description: The variables of every host (C(hostvars)).
    type: dict
    required: true
  defaults:
    description: As for P(halb.nginx_keepalived.nginx_lb_problems#filter).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Show the upstream servers nginx will use
  ansible.builtin.debug:
    msg: "{{ (nginx_lb_upstreams | halb.nginx_keepalived.nginx_lb_plan(nginx_lb_vhosts, groups, hostvars, defaults)).upstreams }}"
"""

RETURN = r"""
_value:
  description:
    - C(upstreams), C(vhosts) (each with every default applied) and C(sysctls); C(http) (the settings of the http
      block), C(stub_status) (null when off), C(health) (the health listener, with C(enabled)) and C(tls_dir).
    - What the nginx_lb role's templates render (the role's validate entry point sets it as C(__nginx_lb_model)).
  type: dict
"""

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.nginx_lb_member import resolve


def _nginx_lb_plan(upstreams, vhosts, groups, hostvars, defaults):
    return resolve(list(upstreams or []), list(vhosts or []), groups, hostvars, dict(defaults))


class FilterModule(object):
    def filters(self):
        return {"nginx_lb_plan": _nginx_lb_plan}
