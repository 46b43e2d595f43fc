# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of the monitoring role's inputs that an argument spec cannot express (the only place they live).

``monitoring_problems`` returns one sentence per problem, naming the variable, its value and what is allowed, so
that playbooks/monitoring_validate.yml refuses the inventory before any host is changed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._numbers import whole
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged

# Rule ids: each refusal below ends with its rule's id in brackets (module_utils/_rule_ids.py).
RULE_HOST_GROUP = "monitoring-host-group"
RULE_GROUPS_EMPTY = "monitoring-groups-empty"
RULE_DURATION = "monitoring-duration"
RULE_COUNT = "monitoring-count"
RULE_STALE_AFTER = "monitoring-stale-after"
RULE_INSTANCES = "monitoring-instances"

# A Prometheus duration as the role writes it (one unit): 500ms, 15s, 10m, 4h, 15d.
_DURATION = re.compile(r"\A[0-9]+(ms|s|m|h|d)\Z")
# The duration variables, in the order they are reported.
DURATIONS = (
    "monitoring_scrape_interval",
    "monitoring_evaluation_interval",
    "monitoring_probe_timeout",
    "monitoring_alert_for_split_brain",
    "monitoring_alert_for",
    "monitoring_flap_window",
    "monitoring_alertmanager_group_wait",
    "monitoring_alertmanager_repeat_interval",
    "monitoring_prometheus_retention",
)


def monitoring_problems(settings):
    """Problems of one host's monitoring settings.

    ``settings`` holds ``host``, ``lb_group``, ``server_group`` (the group names), ``lb_members`` and
    ``server_members`` (their hosts), every variable of ``DURATIONS`` by its name, ``flap_transitions``,
    ``collector_interval``, ``stale_after``, ``instances`` (the monitored VRRP instances) and ``instances_of``
    (whose instances they are, for the message).
    """
    problems = []
    lbs = list(settings.get("lb_members") or [])
    servers = list(settings.get("server_members") or [])
    if settings.get("host") not in lbs + servers:
        problems.append(tagged(RULE_HOST_GROUP, "%s is in neither monitoring_lb_group '%s' nor monitoring_server_group "
                               "'%s': run the monitoring role on those groups only."
                               % (settings.get("host"), settings.get("lb_group"), settings.get("server_group"))))
    if not servers or not lbs:
        problems.append(tagged(RULE_GROUPS_EMPTY, "monitoring_server_group '%s' has %d host(s) and monitoring_lb_group "
                               "'%s' %d: both need at least one."
                               % (settings.get("server_group"), len(servers), settings.get("lb_group"), len(lbs))))
    for variable in DURATIONS:
        if variable in settings and not _DURATION.match(str(settings.get(variable))):
            problems.append(tagged(RULE_DURATION, "%s is '%s': a Prometheus duration such as 500ms, 15s, 10m or 4h is "
                                   "required." % (variable, settings.get(variable))))
    for variable, key in (("monitoring_flap_transitions", "flap_transitions"),
                          ("monitoring_collector_interval", "collector_interval")):
        number = whole(settings.get(key))
        if key in settings and (number is None or number < 1):
            problems.append(tagged(RULE_COUNT, "%s is %s; allowed: a whole number >= 1."
                                   % (variable, settings.get(key))))
    interval = whole(settings.get("collector_interval"))
    stale = whole(settings.get("stale_after"))
    if "stale_after" in settings and (stale is None or (interval is not None and stale <= interval)):
        problems.append(tagged(RULE_STALE_AFTER, "monitoring_stale_after is %s; allowed: a whole number of seconds "
                               "greater than monitoring_collector_interval (%s)."
                               % (settings.get("stale_after"), settings.get("collector_interval"))))
    if "instances" in settings:
        instances = settings.get("instances")
        instances = instances if isinstance(instances, list) else []
        if not instances or any(not isinstance(i, dict) or "virtual_ipaddresses" not in i for i in instances):
            problems.append(tagged(RULE_INSTANCES, "monitoring_keepalived_instances (by default keepalived_instances "
                                   "of %s) must list instances with name and virtual_ipaddresses; got %s."
                                   % (settings.get("instances_of") or "?",
                                      [i.get("name", "?") if isinstance(i, dict) else "?" for i in instances])))
    return problems
