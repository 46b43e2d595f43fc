# -*- coding: utf-8 -*-
"""The ACME plan: which certificate the cluster keeps, what it orders, where it installs, what it records.

Fed the chain Pebble issued in molecule/dual_master and the placeholder tls.yml makes (tests/unit/fixtures/acme).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.acme import (
    certificate_facts,
    cluster_plan,
    plan,
    records,
    retry_delay,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "acme")
NOT_AFTER = 1954464056  # 2031-12-08 02:40:56 UTC, Pebble's five years
DAY = 86400
SHOP = [{"vhost": "shop", "names": ["shop.halb.test"]}]


def _pem(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


ISSUED = _pem("pebble-shop-fullchain.pem")
PLACEHOLDER = _pem("placeholder.pem")


def _held(**members):
    """Each member's {vhost: {cert, key_sha256}} from (cert, key checksum) pairs."""
    return dict((host, {"shop": {"cert": cert, "key_sha256": key}}) for host, (cert, key) in members.items())


def test_certificate_facts_of_a_real_chain_and_the_placeholder():
    facts = certificate_facts(ISSUED)
    assert facts == {"names": ["shop.halb.test"], "key_type": "ecdsa-p256", "not_after": NOT_AFTER, "placeholder": False,
                     "sha256": "54af8cd1344e42b5a6536c65e19490636c58f107cfa5876a47b8c654f4dd7503"}
    placeholder = certificate_facts(PLACEHOLDER)
    assert placeholder["placeholder"] is True and placeholder["names"] == []
    assert certificate_facts("") is None
    assert certificate_facts("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n") is None


def test_nothing_is_ordered_while_every_member_holds_the_valid_pair():
    now = NOT_AFTER - 100 * DAY
    [item] = plan(SHOP, ["lb1", "lb2"], _held(lb1=(ISSUED, "k1"), lb2=(ISSUED, "k1")), {}, 30, False, now)
    assert item["order"] is False and item["install"] == [] and item["source"] == "lb1"
    assert item["reason"] == "valid until 2031-12-08 02:40:56Z" and item["not_after"] == NOT_AFTER


@pytest.mark.parametrize("lb2, why", [
    (("", ""), "lacks the certificate"),
    ((ISSUED, "other"), "has another key"),
    ((PLACEHOLDER, "p"), "serves the placeholder"),
])
def test_the_kept_pair_goes_to_a_member_whose_pair_differs(lb2, why):
    [item] = plan(SHOP, ["lb1", "lb2"], _held(lb1=(ISSUED, "k1"), lb2=lb2), {}, 30, False, NOT_AFTER - 100 * DAY)
    assert (item["order"], item["source"], item["install"]) == (False, "lb1", ["lb2"]), why


def test_the_latest_valid_certificate_wins_and_a_member_without_its_key_holds_none():
    now = NOT_AFTER - 100 * DAY
    [item] = plan(SHOP, ["lb1", "lb2"], _held(lb1=(ISSUED, ""), lb2=(ISSUED, "k2")), {}, 30, False, now)
    assert (item["source"], item["install"]) == ("lb2", ["lb1"])


@pytest.mark.parametrize("held, now, renew_now, reason", [
    (_held(lb1=("", ""), lb2=("", "")), NOT_AFTER - 100 * DAY, False, "no member holds a valid certificate for shop.halb.test"),
    (_held(lb1=(PLACEHOLDER, "p1"), lb2=(PLACEHOLDER, "p2")), NOT_AFTER - 100 * DAY, False,
     "no member holds a valid certificate for shop.halb.test"),
    (_held(lb1=(ISSUED, "k"), lb2=(ISSUED, "k")), NOT_AFTER + 1, False,
     "no member holds a valid certificate for shop.halb.test"),
    (_held(lb1=(ISSUED, "k"), lb2=(ISSUED, "k")), NOT_AFTER - 10 * DAY, False, "10.0 days left (renewed below 30)"),
    (_held(lb1=(ISSUED, "k"), lb2=(ISSUED, "k")), NOT_AFTER - 100 * DAY, True, "nginx_lb_acme_renew_now is true"),
])
def test_an_order_when_none_is_kept_when_it_is_due_or_when_asked(held, now, renew_now, reason):
    [item] = plan(SHOP, ["lb1", "lb2"], held, {}, 30, renew_now, now)
    assert (item["order"], item["reason"], item["install"]) == (True, reason, ["lb1", "lb2"])


def test_another_key_type_than_asked_orders_a_new_one():
    now = NOT_AFTER - 100 * DAY
    wanted = [dict(SHOP[0], key_type="rsa-2048")]
    [item] = plan(wanted, ["lb1"], _held(lb1=(ISSUED, "k")), {}, 30, False, now)
    assert (item["order"], item["reason"]) == (True, "its key is ecdsa-p256, nginx_lb_acme_key_type asks rsa-2048")
    assert plan([dict(SHOP[0], key_type="ecdsa-p256")], ["lb1"], _held(lb1=(ISSUED, "k")), {}, 30, False,
                now)[0]["order"] is False


def test_other_names_than_the_certificate_holds_order_a_new_one():
    wanted = [{"vhost": "shop", "names": ["shop.halb.test", "www.halb.test"]}]
    [item] = plan(wanted, ["lb1"], _held(lb1=(ISSUED, "k")), {}, 30, False, NOT_AFTER - 100 * DAY)
    assert item["order"] is True and item["source"] is None


def test_a_refusing_ca_is_asked_again_only_after_its_retry_time():
    now = NOT_AFTER - 10 * DAY
    held = _held(lb1=(ISSUED, "k"), lb2=(ISSUED, "k"))
    refused = {"failures": 2, "last_error": "rateLimited", "last_attempt": now - 60, "retry_after": now + 7140}
    [item] = plan(SHOP, ["lb1", "lb2"], held, {"lb2": {"shop": refused}}, 30, False, now)
    assert item["order"] is False and item["waiting_until"] == now + 7140 and item["install"] == []
    assert item["reason"] == ("10.0 days left (renewed below 30), but the CA refused 2 time(s) in a row (last: "
                              "rateLimited); next attempt after 2031-11-28 04:39:56Z")
    # The retry time has come; or the operator asks now.
    assert plan(SHOP, ["lb1", "lb2"], held, {"lb2": {"shop": refused}}, 30, False, now + 7140)[0]["order"] is True
    assert plan(SHOP, ["lb1", "lb2"], held, {"lb2": {"shop": refused}}, 30, True, now)[0]["order"] is True


def test_the_newest_record_among_the_members_counts():
    now = NOT_AFTER - 10 * DAY
    old = {"failures": 3, "last_attempt": now - 9000, "retry_after": now + 1000}
    new = {"failures": 0, "last_attempt": now - 60, "retry_after": None}
    [item] = plan(SHOP, ["lb1", "lb2"], _held(lb1=(ISSUED, "k")), {"lb1": {"shop": old}, "lb2": {"shop": new}}, 30,
                  False, now)
    assert item["order"] is True and item["record"] == new


def test_records_after_an_issue_and_after_refusals():
    planned = plan(SHOP, ["lb1"], _held(lb1=(PLACEHOLDER, "p")), {}, 30, False, 1000)
    issued = records(planned, {"shop": ISSUED}, {}, 1000)
    assert issued == {"shop": {"names": ["shop.halb.test"], "not_after": NOT_AFTER, "renewed": 1000, "failures": 0,
                               "last_error": "", "last_attempt": 1000, "retry_after": None}}
    failed = records(planned, {}, {"shop": "urn:ietf:params:acme:error:rateLimited\n  too many"}, 1000)["shop"]
    assert (failed["failures"], failed["retry_after"], failed["not_after"]) == (1, 1000 + 3600, None)
    assert failed["last_error"] == "urn:ietf:params:acme:error:rateLimited too many"
    planned[0]["record"] = failed
    again = records(planned, {}, {"shop": "refused"}, 9000)["shop"]
    assert (again["failures"], again["retry_after"]) == (2, 9000 + 7200)
    # A run that neither issued nor failed keeps the record, with the kept certificate's expiry.
    kept = plan(SHOP, ["lb1"], _held(lb1=(ISSUED, "k")), {"lb1": {"shop": issued["shop"]}}, 30, False, 2000)
    assert records(kept, {}, {}, 2000)["shop"] == issued["shop"]


def test_retry_delay_doubles_up_to_a_day():
    assert [retry_delay(n) for n in (1, 2, 3, 5, 6, 40)] == [3600, 7200, 14400, 57600, 86400, 86400]


class _HostVars(dict):
    pass


def test_cluster_plan_finds_the_cluster_and_its_first_reachable_member():
    clusters = {"edge": {"members": [{"host": "lb1"}, {"host": "lb2"}], "certificates": SHOP},
                "other": {"members": [{"host": "lb3"}], "certificates": []}}
    hostvars = _HostVars(lb1={}, lb2={"__nginx_lb_acme_found": {"shop": {"cert": ISSUED, "key_sha256": "k"}},
                                      "__nginx_lb_acme_record": {}}, lb3={})
    result = cluster_plan(clusters, "lb2", ["lb2", "lb3"], hostvars, 30, False, NOT_AFTER - 100 * DAY)
    assert (result["cluster"], result["members"], result["orderer"]) == ("edge", ["lb2"], "lb2")
    assert result["certificates"][0]["source"] == "lb2"
    with pytest.raises(ValueError, match="lb9 is in no cluster of the model"):
        cluster_plan(clusters, "lb9", ["lb9"], hostvars, 30, False, 0)
