# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real keepalived 2.2.7 (Debian 12) and 2.3.3 (Debian 13) dumps and ip addr outputs -> Prometheus metrics."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._ip_json import parse_ip_addr
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_dump import parse_dump
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._keepalived_metrics import (
    MetricsError,
    escape_label,
    json_last_transitions,
    merge_configured,
    parse_state_log,
    render,
    render_certificates,
    write_atomically,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")
VERSIONS = ["keepalived-2.2.7-debian12", "keepalived-2.3.3-debian13"]
SAMPLE = re.compile(r'^(?P<name>[a-z_]+)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)$')

STATE_LOG = """\
1795549530.100200 INSTANCE "VI_1" BACKUP 150
1795549533.500100 INSTANCE "VI_1" MASTER 150
1795549533.500300 GROUP "VG_1" MASTER
1795549534.000000 INSTANCE "VI_3" FAULT 0
partial line without a tim
1795549540.250000 INSTANCE "VI_1" BACKUP 150
"""


def load(*parts):
    with open(os.path.join(FIXTURES, *parts)) as handle:
        return handle.read()


def samples(text):
    """Parse the exposition text back into {(name, frozenset(labels)): value}; fails on any bad line."""
    result = {}
    for line in text.splitlines():
        if line.startswith("#"):
            assert re.match(r"^# (HELP|TYPE) halb_keepalived_[a-z_]+ \S", line), line
            continue
        match = SAMPLE.match(line)
        assert match, "not a metric line: %r" % line
        labels = frozenset(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', match.group("labels") or ""))
        key = (match.group("name"), labels)
        assert key not in result, "duplicate series %r" % (key,)
        result[key] = float(match.group("value"))
    return result


def value(metrics, name, **labels):
    return metrics[(name, frozenset(labels.items()))]


def metrics_for(version, scenario, state_log=""):
    text = load("keepalived", "%s-%s.json" % (version, scenario))
    instances = parse_dump(text, "json")
    addresses = parse_ip_addr(load("ip", "%s-%s.addr.json" % (version, scenario)))
    return samples(render(instances, addresses, parse_state_log(state_log), True, 1795549600.5,
                          json_last_transitions(text)))


@pytest.mark.parametrize("version", VERSIONS)
def test_master_backup_fault_node(version):
    metrics = metrics_for(version, "master-fault", STATE_LOG)
    assert value(metrics, "halb_keepalived_up") == 1
    assert value(metrics, "halb_keepalived_collector_last_run_timestamp_seconds") == 1795549600.5
    for name, state in (("VI_1", "MASTER"), ("VI_2", "BACKUP"), ("VI_3", "FAULT")):
        flags = dict((s, value(metrics, "halb_keepalived_vrrp_state", vrrp_instance=name, state=s))
                     for s in ("INIT", "BACKUP", "MASTER", "FAULT", "STOP"))
        assert flags == dict((s, 1 if s == state else 0) for s in flags), name
    assert [value(metrics, "halb_keepalived_vrrp_priority_effective", vrrp_instance=n)
            for n in ("VI_1", "VI_2", "VI_3")] == [150, 100, 90]
    assert [value(metrics, "halb_keepalived_vrrp_priority_configured", vrrp_instance=n)
            for n in ("VI_1", "VI_2", "VI_3")] == [150, 100, 90]
    base = 100 if "2.2.7" in version else 110
    # The master holds VI_1's VIP (it is on eth0 in the captured ip addr); the backup and fault ones not.
    assert value(metrics, "halb_keepalived_vrrp_vip_held", vrrp_instance="VI_1", vip="198.19.201.%d" % (base + 1)) == 1
    held = dict((dict(k[1])["vip"], v) for k, v in metrics.items() if k[0] == "halb_keepalived_vrrp_vip_held")
    assert sum(held.values()) == 1, held
    # Transitions from the state log: VI_1 three times (the GROUP and the partial line are skipped),
    # VI_3 once, VI_2 never (0, not absent, so that increase() works from the first scrape).
    assert value(metrics, "halb_keepalived_vrrp_transitions_total", vrrp_instance="VI_1") == 3
    assert value(metrics, "halb_keepalived_vrrp_transitions_total", vrrp_instance="VI_2") == 0
    assert value(metrics, "halb_keepalived_vrrp_transitions_total", vrrp_instance="VI_3") == 1
    assert value(metrics, "halb_keepalived_vrrp_last_transition_timestamp_seconds", vrrp_instance="VI_1") == 1795549540.25


@pytest.mark.parametrize("version", VERSIONS)
def test_backup_node_holds_nothing_and_last_transition_from_the_dump(version):
    metrics = metrics_for(version, "backup")
    held = [v for k, v in metrics.items() if k[0] == "halb_keepalived_vrrp_vip_held"]
    text = load("keepalived", "%s-backup.json" % version)
    instances = parse_dump(text, "json")
    expected_held = sum(1 for i in instances for vip in i["vips"] if i["state"] == "MASTER")
    assert len(held) == sum(len(set(v["address"] for v in i["vips"])) for i in instances)
    assert sum(held) == expected_held
    dump_times = json_last_transitions(text)
    assert dump_times and all(t > 1.7e9 for t in dump_times.values())
    for name, when in dump_times.items():
        assert value(metrics, "halb_keepalived_vrrp_last_transition_timestamp_seconds", vrrp_instance=name) == when


@pytest.mark.parametrize("version", VERSIONS)
def test_nginx_down_node_below_configured_priority_or_fault(version):
    instances = parse_dump(load("keepalived", "%s-nginx-down.json" % version), "json")
    metrics = samples(render(instances, [], {}, True, 1.0))
    assert any(i["effective_priority"] != i["base_priority"] or i["state"] == "FAULT" for i in instances)
    for inst in instances:
        assert value(metrics, "halb_keepalived_vrrp_priority_effective", vrrp_instance=inst["name"]) == inst["effective_priority"]
        assert value(metrics, "halb_keepalived_vrrp_state", vrrp_instance=inst["name"], state=inst["state"]) == 1


def test_keepalived_down_still_reports_configured_vips_as_not_held():
    instances = merge_configured([], {"VI_1": ["198.18.81.183/24"], "VI_2": ["198.18.81.184"]})
    metrics = samples(render(instances, [{"address": "198.18.81.181"}], {}, False, 10))
    assert value(metrics, "halb_keepalived_up") == 0
    assert value(metrics, "halb_keepalived_vrrp_vip_held", vrrp_instance="VI_1", vip="198.18.81.183") == 0
    assert value(metrics, "halb_keepalived_vrrp_vip_held", vrrp_instance="VI_2", vip="198.18.81.184") == 0
    assert not [k for k in metrics if k[0] in ("halb_keepalived_vrrp_state", "halb_keepalived_vrrp_priority_effective")]


def test_configured_vips_merge_without_duplicates():
    dumped = parse_dump(load("keepalived", "keepalived-2.2.7-debian12-master-fault.json"), "json")
    merged = merge_configured(dumped, {"VI_1": ["198.19.201.101/24", "198.18.81.200/24"], "VI_9": []})
    vi1 = [i for i in merged if i["name"] == "VI_1"][0]
    assert [v["address"] for v in vi1["vips"]] == ["198.19.201.101", "198.18.81.200"]
    assert [i["name"] for i in merged][-1] == "VI_9"
    assert dumped[0]["vips"] != vi1["vips"], "the parsed dump must not be changed in place"


@pytest.mark.parametrize("bad, message", [
    (["VI_1"], "must be a mapping"),
    ({"VI_1": "198.18.81.183"}, "VIPs of configured instance VI_1 must be a list"),
])
def test_bad_configured_instances_are_refused(bad, message):
    with pytest.raises(MetricsError, match=message):
        merge_configured([], bad)


def test_no_secret_reaches_the_metrics():
    """keepalived's JSON dump carries the VRRP password (auth_data, captured from molecule/monitoring's master with
    the password replaced by s3cr3tPW); it never reaches a metric or a label."""
    text = load("keepalived", "keepalived-2.2.7-debian12-auth-master.json")
    assert '"auth_data":"s3cr3tPW"' in text
    addresses = parse_ip_addr(load("ip", "keepalived-2.2.7-debian12-auth-master.addr.json"))
    out = render(parse_dump(text, "json"), addresses, parse_state_log(STATE_LOG), True, 1, json_last_transitions(text))
    assert "s3cr3tPW" not in out
    metrics = samples(out)
    assert value(metrics, "halb_keepalived_vrrp_vip_held", vrrp_instance="VI_1", vip="198.18.81.183") == 1
    assert value(metrics, "halb_keepalived_vrrp_state", vrrp_instance="VI_1", state="MASTER") == 1


def test_label_values_are_escaped():
    assert escape_label('a"b\\c\nd') == 'a\\"b\\\\c\\nd'
    out = render([{"name": 'V"1', "state": "MASTER", "vips": []}], [], {}, True, 1)
    assert 'vrrp_instance="V\\"1"' in out


def test_state_log_is_robust_to_garbage():
    assert parse_state_log("") == {}
    assert parse_state_log(None) == {}
    summary = parse_state_log(STATE_LOG)
    assert summary["VI_1"] == {"transitions": 3, "last_time": 1795549540.25, "state": "BACKUP"}
    assert "VG_1" not in summary
    assert json_last_transitions("{truncated") == {}


def test_a_metrics_file_is_replaced_whole_and_readable_by_node_exporter(tmp_path):
    target = tmp_path / "halb_vrrp_adverts.prom"
    target.write_text("old\n")
    write_atomically(str(target), "new 1\n")
    assert target.read_text() == "new 1\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    # No temporary file is left beside it (node_exporter reads every *.prom there).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["halb_vrrp_adverts.prom"]


# What the nginx_lb role's ACME run wrote on dm-lb1 in molecule/dual_master (2026-12-08), then a refusal.
ACME_RECORD = """{
    "certificates": {
        "shop": {
            "failures": 0,
            "last_attempt": 1796697649,
            "last_error": "",
            "names": [
                "shop.halb.test"
            ],
            "not_after": 1954464056,
            "renewed": 1796697649,
            "retry_after": null
        }
    }
}
"""


def test_the_acme_record_as_metrics():
    text = render_certificates(ACME_RECORD)
    labels = '{vhost="shop",name="shop.halb.test"}'
    assert "halb_acme_certificate_not_after_timestamp_seconds%s 1954464056" % labels in text
    assert "halb_acme_certificate_renewed_timestamp_seconds%s 1796697649" % labels in text
    assert "halb_acme_certificate_renewal_failures%s 0" % labels in text
    assert "retry_after" not in text
    assert text.endswith("halb_acme_certificate_record_valid 1\n")
    refused = ACME_RECORD.replace('"failures": 0', '"failures": 2').replace('"retry_after": null', '"retry_after": 1796705000')
    text = render_certificates(refused)
    assert "halb_acme_certificate_renewal_failures%s 2" % labels in text
    assert "halb_acme_certificate_retry_after_timestamp_seconds%s 1796705000" % labels in text
    # One series per name.
    two = ACME_RECORD.replace('"shop.halb.test"', '"shop.halb.test", "www.halb.test"')
    assert render_certificates(two).count("halb_acme_certificate_renewal_failures{") == 2
    assert 'halb_acme_certificate_not_after_timestamp_seconds{vhost="shop",name="www.halb.test"} 1954464056' in \
        render_certificates(two)
    # No record (a member without ACME): nothing; an unreadable one: said so.
    assert render_certificates("") == ""
    for broken in ("{", '{"certificates": []}', '{"certificates": {"shop": 1}}'):
        assert render_certificates(broken).endswith("halb_acme_certificate_record_valid 0\n"), broken
