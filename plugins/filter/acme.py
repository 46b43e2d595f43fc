# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation lives next to this file: acme_plan.yml and acme_records.yml.

import time

from ansible.errors import AnsibleFilterError

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils import acme


def acme_plan(clusters, host, reachable, hostvars, renew_days, renew_now=False, now=None):
    try:
        return acme.cluster_plan(clusters, host, list(reachable), hostvars, int(renew_days), bool(renew_now),
                                 time.time() if now is None else float(now))
    except ValueError as error:
        raise AnsibleFilterError(str(error))


def acme_records(planned, issued=None, failed=None, now=None):
    return acme.records(list(planned), dict(issued or {}), dict(failed or {}),
                        time.time() if now is None else float(now))


class FilterModule(object):
    def filters(self):
        return {"acme_plan": acme_plan, "acme_records": acme_records}
