# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation of the filter lives next to this file: backend_check_peer_targets.yml.

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._backend_check import peer_targets


def _backend_check_peer_targets(addresses, host, port=80):
    return peer_targets(dict(addresses or {}), host, port)


class FilterModule(object):
    def filters(self):
        return {"backend_check_peer_targets": _backend_check_peer_targets}
