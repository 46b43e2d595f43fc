#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: probe_summary
short_description: Summarize a drill probe log (failed requests, error window, who served)
version_added: 1.0.0
description:
  - Reads the JSON-lines log that the drill probe (C(roles/drill/files/halb_probe.py)) writes on the
    client, one line per request, and reports counts, failed requests by reason, the client-observed
    error window (first failed request sent to the last one ended) and which load balancers and
    backends served.
  - With O(since) (the fault time) the same is reported per phase, C(baseline) before O(since),
    C(fault) from O(since) to O(recover), C(recovery) after O(recover).
  - Never changes anything.
author:
  - halb maintainers (@halb)
options:
  log:
    description: The probe log on the host the module runs on.
    type: path
    required: true
  since:
    description: Fault time, seconds since the epoch.
    type: float
  recover:
    description: Recovery time, seconds since the epoch (with O(since)).
    type: float
notes:
  - Supports check mode.
seealso:
  - module: halb.nginx_keepalived.lb_distribution
extends_documentation_fragment:
  - halb.nginx_keepalived.read_only
"""

EXAMPLES = r"""
- name: Summarize the probe log of a drill
  halb.nginx_keepalived.probe_summary:
    log: /var/tmp/halb-drill/graceful.probe.jsonl
    since: 1796140335.1076
    recover: 1796140342.0274
  register: probe
"""

RETURN = r"""
summary:
  description: Counts for the whole log and, with O(since), per phase.
  returned: always
  type: dict
  sample:
    requests: 1006
    succeeded: 999
    failed: 7
    error_reasons: {timeout: 7}
    error_window_s: 3.518
    load_balancers: {lb1: 843, lb2: 156}
    phases:
      fault: {requests: 163, failed: 7, error_window_s: 3.518, error_reasons: {timeout: 7}, load_balancers: {lb2: 156}}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._drill_probe import (
    parse_log,
    summarize,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            log=dict(type="path", required=True),
            since=dict(type="float"),
            recover=dict(type="float"),
        ),
        required_by={"recover": "since"},
        supports_check_mode=True,
    )
    try:
        with open(module.params["log"], "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except (IOError, OSError) as exc:
        module.fail_json(msg="Cannot read the probe log %s: %s" % (module.params["log"], to_native(exc)))
    records = parse_log(text)
    if not records:
        module.fail_json(msg="The probe log %s holds no request (did the probe run?)" % module.params["log"])
    module.exit_json(changed=False, summary=summarize(records, module.params["since"], module.params["recover"]))


if __name__ == "__main__":
    main()
