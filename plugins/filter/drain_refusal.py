# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation lives next to this file: drain_refusal.yml.

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drain import drain_refusal


class FilterModule(object):
    def filters(self):
        return {"drain_refusal": drain_refusal}
