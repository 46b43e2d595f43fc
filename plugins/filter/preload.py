# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: preload
short_description: Its input unchanged; named in a playbook's first play, it loads the collection's filters once
version_added: 1.4.0
description:
  - Returns its input unchanged.
  - ansible-core finds a collection's filter by importing every filter file of the collection (and the code they
    import), and each task runs in a worker process forked from the controller's main process. A worker that
    templates one of this collection's filters imports all of them again, compiled from source, unless the main
    process did before it forked. The main process templates a play's C(hosts) itself, so the first play of every
    playbook of the collection names this filter there; its workers then find the filters loaded.
  - Measured on a validation corpus run (site.yml on four local hosts) on 2 cores, 7.4 to 5.4 CPU seconds.
    tests/unit/test_playbooks_preload.py checks that every playbook's first play names it.
options:
  _input:
    description: Anything (the play's host pattern).
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Choose the clusters this run acts on
  hosts: "{{ 'localhost' | halb.nginx_keepalived.preload }}"
  gather_facts: false
  tasks: []
"""

RETURN = r"""
_value:
  description: The input.
  type: raw
"""


def preload(value):
    return value


class FilterModule(object):
    def filters(self):
        return {"preload": preload}
