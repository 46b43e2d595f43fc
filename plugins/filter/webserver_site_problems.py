# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: webserver_site_problems
short_description: List what is wrong with the sites of the nginx web server
version_added: 1.0.0
description:
  - One sentence per problem in C(webserver_sites), naming the variable, the value and what is allowed.
  - Unique names; ports 1..65535; no two sites serve the same (port, server_name); each site has its own
    absolute document root; a given C(page_content) is not empty.
  - Server names are host names, wildcard names, C(_) or C(~) regular expressions (the template quotes them);
    C(worker_processes) is C(auto) or a whole number.
positional: settings
options:
  _input:
    description: The sites (C(webserver_sites)).
    type: list
    elements: dict
    required: true
  settings:
    description: Other settings of the role that land in nginx.conf; key C(worker_processes).
    type: dict
"""

EXAMPLES = r"""
- name: Refuse bad sites
  ansible.builtin.assert:
    that: problems | length == 0
    fail_msg: "{{ problems | join('; ') }}"
  vars:
    problems: "{{ webserver_sites | halb.nginx_keepalived.webserver_site_problems }}"
"""

RETURN = r"""
_value:
  description:
    - One sentence per problem, ending with its rule id in brackets (C([webserver-root-unique])); empty when the sites are valid.
  type: list
  elements: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._nginx_validate import site_problems


def _webserver_site_problems(sites, settings=None):
    return site_problems(list(sites or []), dict(settings or {}))


class FilterModule(object):
    def filters(self):
        return {"webserver_site_problems": _webserver_site_problems}
