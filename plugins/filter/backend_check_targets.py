# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation of the filter lives next to this file: backend_check_targets.yml.

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._backend_check import backend_targets


def _backend_check_targets(hosts, hostvars, default_port=80):
    return backend_targets(list(hosts or []), dict((h, hostvars[h]) for h in hosts or [] if h in hostvars), default_port)


class FilterModule(object):
    def filters(self):
        return {"backend_check_targets": _backend_check_targets}
