# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation lives next to this file: drill_result.yml.

from ansible.errors import AnsibleFilterError

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_outcome import (
    DrillError,
    evaluate,
)


def _drill_result(inputs):
    try:
        return evaluate(inputs)
    except (DrillError, KeyError, TypeError, ValueError) as exc:
        raise AnsibleFilterError("drill_result: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"drill_result": _drill_result}
