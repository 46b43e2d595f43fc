# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: webserver_plan
short_description: Resolve the web server's sites into what nginx.conf and the document roots need
version_added: 1.0.0
description:
  - Applies every default of C(webserver_sites), so the template and the tasks only render.
  - A site's C(root) defaults to C(/var/www/<name>), its C(server_names) to C(['_']); its C(port) becomes a number.
  - The first site of each port is its default server unless one of them sets C(default_server), the same rule as
    the virtual hosts of P(halb.nginx_keepalived.nginx_lb_plan#filter).
options:
  _input:
    description: The sites (C(webserver_sites)).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Show the document roots of the sites
  ansible.builtin.debug:
    msg: "{{ webserver_sites | halb.nginx_keepalived.webserver_plan | map(attribute='root') }}"
"""

RETURN = r"""
_value:
  description:
    - One entry per site with C(name), C(port), C(server_names), C(root), C(default_server), and C(page_content)
      when the site gives one (otherwise its index page is left alone).
  type: list
  elements: dict
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._nginx_validate import resolve_sites


def _webserver_plan(sites):
    return resolve_sites(list(sites or []))


class FilterModule(object):
    def filters(self):
        return {"webserver_plan": _webserver_plan}
