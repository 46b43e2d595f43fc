# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: url_host
short_description: An address as the host part of a URL or an nginx listen
version_added: 1.2.0
description:
  - An IPv6 address in brackets (C(2001:2::183) becomes C([2001:2::183])); an IPv4 address, a name or an address
    already in brackets unchanged.
  - The one place the collection brackets IPv6 addresses, for probe and verify URLs, nginx C(listen) and
    C(server) lines and backend check targets.
options:
  _input:
    description: The address.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Request the page through each VIP, IPv4 or IPv6
  ansible.builtin.uri:
    url: "http://{{ item | halb.nginx_keepalived.url_host }}:80/"
  loop: ["198.18.70.183", "2001:2:0:70::183"]
"""

RETURN = r"""
_value:
  description: The address, in brackets when it is an IPv6 address.
  type: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._input_syntax import url_host


class FilterModule(object):
    def filters(self):
        return {"url_host": url_host}
