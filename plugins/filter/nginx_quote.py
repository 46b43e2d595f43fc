# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: nginx_quote
short_description: Quote a value as one nginx word
version_added: 1.1.0
description:
  - Wraps the value in double quotes and escapes C(\) and C("), which nginx's parser unescapes again, so the
    word nginx reads is exactly the value (a wildcard C(*.example.com) or a regular expression C(~^www\d+\.)).
  - The validation refuses what cannot be a server name; this filter makes sure that what is accepted is one word.
options:
  _input:
    description: The value.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Render the server names of a virtual host
  ansible.builtin.debug:
    msg: "server_name {{ ['*.halb.test', '~^re[0-9]+\\.halb\\.test$'] | map('halb.nginx_keepalived.nginx_quote') | join(' ') }};"
  # => server_name "*.halb.test" "~^re[0-9]+\\.halb\\.test$";
"""

RETURN = r"""
_value:
  description: The value in double quotes, with C(\) and C(") escaped.
  type: str
"""

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._input_syntax import quote_nginx


class FilterModule(object):
    def filters(self):
        return {"nginx_quote": quote_nginx}
