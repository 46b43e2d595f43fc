# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The documentation of both filters lives next to this file: vrrp_setting_problems.yml and vrrp_setting_warnings.yml.

from ansible.utils.display import Display

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._vrrp_validate import (
    settings_problems,
    settings_warnings,
)


def _vrrp_setting_problems(settings):
    return settings_problems(dict(settings))


def _vrrp_setting_warnings(settings, host=None):
    warnings = settings_warnings(dict(settings))
    for warning in warnings:
        Display().warning("%s%s" % ("%s: " % host if host else "", warning))
    return warnings


class FilterModule(object):
    def filters(self):
        return {
            "vrrp_setting_problems": _vrrp_setting_problems,
            "vrrp_setting_warnings": _vrrp_setting_warnings,
        }
