# -*- coding: utf-8 -*-
"""One model per cluster and what its roles and members must agree on (plugin_utils/cluster_model.py).

Fed the models the roles' validate entry points resolved for the bad-input corpus's baseline inventory (captured
from a real run of playbooks/validate.yml: tests/unit/fixtures/cluster_model/corpus_models.json; every corpus host
is one machine, so both load balancers have its address).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.cluster_model import resolve

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "cluster_model", "corpus_models.json")


def _inputs():
    with open(FIXTURE) as handle:
        captured = json.load(handle)
    lbs = dict((host, {"keepalived": hv["__keepalived_model"], "nginx_lb": hv["__nginx_lb_model"]})
               for host, hv in captured["load_balancers"].items())
    web = dict((host, {"webserver": hv["__webserver_model"]}) for host, hv in captured["webservers"].items())
    return lbs, web


def _rules(problems):
    return sorted(set(rule for rule, dummy in problems))


def test_the_baseline_resolves_without_problems():
    lbs, web = _inputs()
    models, problems = resolve(lbs, web)
    assert problems == []
    model = models["load_balancers"]
    assert [m["host"] for m in model["members"]] == ["lb1", "lb2"]
    assert model["owners"] == {"198.18.99.183": "lb1"}
    assert model["instances"][0]["states"] == {"lb1": "MASTER", "lb2": "BACKUP"}
    assert model["members"][0]["health"]["port"] == 8082
    assert model["members"][0]["checks"]["service_url"] == "http://127.0.0.1:8082/halb-health"
    assert model["backends"] == {"web1": {"ports": [80]}, "web2": {"ports": [80]}}
    assert [s["address"] for s in model["upstreams"][0]["servers"]] == ["198.18.99.191", "198.18.99.192"]
    text = json.dumps(model)
    assert "auth_pass" not in text and "Corpus42" not in text
    assert model["vrrp"] == {"version": 2, "advert_int": 1, "unicast": False, "strict": False}
    # Each member's keepalived model, as its keepalived.conf renders it (without the password).
    assert model["members"][1]["keepalived"]["instances"][0]["priority"] == 100
    assert model["members"][0]["keepalived"]["check"]["url"] == "http://127.0.0.1:8082/halb-health"


def test_members_disagree_password_never_shown():
    lbs, web = _inputs()
    lbs["lb2"]["keepalived"]["vrrp"]["auth_pass_sha256"] = "0" * 64
    lbs["lb2"]["keepalived"]["vrrp"]["advert_int"] = 2
    dummy, problems = resolve(lbs, web)
    assert _rules(problems) == ["cluster-member-setting"]
    text = " ".join(sentence for dummy, sentence in problems)
    assert "keepalived_auth_pass (lb1: password 1; lb2: password 2)" in text
    assert "keepalived_advert_int (lb1: 1; lb2: 2)" in text
    assert "2f30b77a" not in text and "0000" not in text


def test_advert_int_compared_as_a_number():
    lbs, web = _inputs()
    lbs["lb2"]["keepalived"]["vrrp"]["advert_int"] = "1.0"
    assert resolve(lbs, web)[1] == []


def test_a_backend_that_is_a_vip():
    lbs, web = _inputs()
    for lb in lbs.values():
        lb["nginx_lb"]["upstreams"][0]["servers"][1]["address"] = "198.18.99.183"
    problems = resolve(lbs, web)[1]
    assert ("cluster-backend-is-vip", "lb1: nginx_lb_upstreams[0] (backend) sends requests to 198.18.99.183 (web2), "
            "which is a VIP of this cluster: the load balancer would proxy to itself. A backend must be a web "
            "server's own address") in problems
    # The backend check asked the old address of web2: it is no server any more.
    assert _rules(problems) == ["cluster-backend-check-target", "cluster-backend-is-vip"]


def test_upstream_port_must_be_a_port_the_webserver_listens_on():
    lbs, web = _inputs()
    web["web1"]["webserver"]["sites"] = [dict(web["web1"]["webserver"]["sites"][0], port=port) for port in (8080, 8443)]
    problems = resolve(lbs, web)[1]
    assert _rules(problems) == ["cluster-upstream-port"]
    assert "lb2: nginx_lb_upstreams[0] (backend) sends web1's requests to port 80, but web1 listens on 8080, 8443" \
        in problems[1][1]
    # A listed server (not from the backend group) is not compared with any web server.
    for lb in lbs.values():
        lb["nginx_lb"]["upstreams"][0]["servers"][0]["from_host"] = False
    assert resolve(lbs, web)[1] == []


def test_health_check_asks_the_listener_nginx_renders():
    lbs, web = _inputs()
    lbs["lb1"]["nginx_lb"]["health"]["enabled"] = False
    lbs["lb2"]["nginx_lb"]["health"]["port"] = 9000
    problems = resolve(lbs, web)[1]
    assert [p[0] for p in problems] == ["cluster-health-check", "cluster-health-check"]
    assert "nginx_lb_health_enabled is false" in problems[0][1]
    assert "(http://127.0.0.1:9000/halb-health)" in problems[1][1]
    # Not this host's nginx: not compared; no URL: systemd only.
    lbs["lb1"]["keepalived"]["check"]["url"] = "http://198.18.99.50:8082/halb-health"
    lbs["lb2"]["keepalived"]["check"]["url"] = ""
    assert resolve(lbs, web)[1] == []


def test_partition_check_asks_a_port_the_peer_listens_on():
    lbs, web = _inputs()
    lbs["lb1"]["keepalived"]["backend_check"]["peer_targets"] = ["192.0.2.2:8080"]
    problems = resolve(lbs, web)[1]
    assert _rules(problems) == ["cluster-peer-port"]
    assert "lb1: the partition check asks lb2 on 192.0.2.2:8080, but lb2's nginx listens on 80" in problems[0][1]
    lbs["lb1"]["keepalived"]["backend_check"] = None
    assert resolve(lbs, web)[1] == []


def test_backend_check_targets_are_upstream_servers():
    lbs, web = _inputs()
    lbs["lb2"]["keepalived"]["backend_check"]["targets"] = ["198.18.99.191:80", "198.18.99.191:81"]
    problems = resolve(lbs, web)[1]
    assert problems == [("cluster-backend-check-target", "lb2: keepalived_backend_check_targets[1] is "
                         "198.18.99.191:81, which is no server of this load balancer's upstreams (198.18.99.191:80, "
                         "198.18.99.192:80): the backend check would judge backends nginx does not use")]


def test_a_host_whose_role_refused_it_is_left_out():
    lbs, web = _inputs()
    broken = copy.deepcopy(lbs)
    broken["lb2"]["nginx_lb"] = None
    models, problems = resolve(broken, web)
    assert problems == []
    assert models["load_balancers"]["members"][1]["listeners"] == []
    broken["lb2"]["keepalived"] = None
    models = resolve(broken, web)[0]
    assert [m["host"] for m in models["load_balancers"]["members"]] == ["lb1"]


def test_two_clusters():
    lbs, web = _inputs()
    _second_cluster(lbs)
    for host in ("lb3", "lb4"):
        lbs[host]["keepalived"]["instances"][0]["virtual_router_id"] = 52
    lbs["lb4"]["keepalived"]["vrrp"]["unicast"] = True
    models, problems = resolve(lbs, web)
    assert sorted(models) == ["load_balancers", "site_b"]
    assert problems == [("cluster-member-setting", problems[0][1])]
    assert problems[0][1].startswith("cluster site_b: the members disagree on keepalived_unicast (lb3: false; lb4: true)")


def test_members_agree_on_the_keepalived_build():
    lbs, web = _inputs()
    lbs["lb2"]["keepalived"]["install"]["version"] = "2.3.1"
    problems = resolve(lbs, web)[1]
    assert _rules(problems) == ["cluster-member-install"]
    assert "the members disagree on keepalived_version (lb1: 2.2.4; lb2: 2.3.1)" in problems[0][1]
    # The package has no version of ours: only the install method is compared then.
    lbs["lb2"]["keepalived"]["install"]["method"] = "package"
    problems = resolve(lbs, web)[1]
    assert [sentence.split(" (")[0] for dummy, sentence in problems] == [
        "cluster load_balancers: the members disagree on keepalived_install_method"]


def test_every_member_renders_the_planned_state_and_priority():
    lbs, web = _inputs()
    assert resolve(lbs, web)[1] == []
    # lb2 planned with its own priorities: it would render 190 and take the VIPs the plan gives lb1.
    lbs["lb2"]["keepalived"]["instances"][0]["priority"] = 190
    problems = resolve(lbs, web)[1]
    assert problems == [("cluster-planned-master", problems[0][1])]
    assert problems[0][1].startswith("cluster load_balancers: lb2 plans instance VI_1 as BACKUP priority 190 "
                                     "(master lb1), but the cluster's plan (lb1's) gives it BACKUP priority 100 "
                                     "(master lb1)")
    lbs["lb2"]["keepalived"]["instances"][0].update(priority=100, state="MASTER")
    assert _rules(resolve(lbs, web)[1]) == ["cluster-planned-master"]


def _second_cluster(lbs, unicast=False):
    """lb3 and lb4: a copy of lb1 and lb2 in the cluster site_b."""
    for host, source in (("lb3", "lb1"), ("lb4", "lb2")):
        lbs[host] = copy.deepcopy(lbs[source])
        keepalived = lbs[host]["keepalived"]
        keepalived["cluster_group"] = "site_b"
        keepalived["plan"]["members"] = ["lb3", "lb4"]
        keepalived["plan"]["addresses"] = {"lb3": "192.0.2.3", "lb4": "192.0.2.4"}
        for instance in keepalived["plan"]["instances"]:
            for key in ("states", "priorities"):
                instance[key] = {"lb3": instance[key]["lb1"], "lb4": instance[key]["lb2"]}
        keepalived["vrrp"]["unicast"] = unicast
    return lbs


def test_clusters_on_one_segment_use_vrids_of_their_own():
    lbs, web = _inputs()
    problems = resolve(_second_cluster(lbs), web)[1]
    assert problems == [("cluster-vrid-collision", problems[0][1])]
    assert problems[0][1].startswith(
        "clusters load_balancers and site_b use VRID 51 for IPv4 on segment 192.0.2.0/24 (load_balancers: VI_1 on "
        "lb1 eth0, VI_1 on lb2 eth0; site_b: VI_1 on lb3 eth0, VI_1 on lb4 eth0)")
    # Another VRID, another segment, or both clusters unicast: no collision.
    for host in ("lb3", "lb4"):
        lbs[host]["keepalived"]["instances"][0]["virtual_router_id"] = 52
    assert resolve(lbs, web)[1] == []
    lbs, web = _inputs()
    lbs = _second_cluster(lbs)
    for host in ("lb3", "lb4"):
        lbs[host]["keepalived"]["instances"][0]["segment"] = "198.18.72.0/24"
    assert resolve(lbs, web)[1] == []
    lbs, web = _inputs()
    for host in ("lb1", "lb2"):
        lbs[host]["keepalived"]["vrrp"]["unicast"] = True
    assert resolve(_second_cluster(lbs, unicast=True), web)[1] == []
    # One cluster still sends multicast adverts: they reach the other's members.
    lbs["lb1"]["keepalived"]["vrrp"]["unicast"] = lbs["lb2"]["keepalived"]["vrrp"]["unicast"] = False
    assert _rules(resolve(lbs, web)[1]) == ["cluster-vrid-collision"]


def _with_acme(nginx, names=("shop.example.com",), **settings):
    nginx["vhosts"] = list(nginx["vhosts"]) + [{"name": "shop", "acme": {"names": list(names)}, "tls": True}]
    nginx["acme"] = dict({"directory_url": "https://ca.example.com/dir", "key_type": "ecdsa-p256", "renew_days": 30,
                          "state_dir": "/var/lib/halb-nginx/acme"}, **settings)


def test_the_cluster_lists_its_acme_certificates_once():
    lbs, web = _inputs()
    for host in lbs:
        _with_acme(lbs[host]["nginx_lb"])
    # Numbers compare as the inventory spells them, once shown: 30 and "30" agree.
    lbs["lb2"]["nginx_lb"]["acme"]["renew_days"] = "30"
    models, problems = resolve(lbs, web)
    assert problems == []
    assert models["load_balancers"]["certificates"] == [
        {"vhost": "shop", "names": ["shop.example.com"], "key_type": "ecdsa-p256"}]


def test_members_agree_on_the_acme_virtual_hosts_and_settings():
    lbs, web = _inputs()
    _with_acme(lbs["lb1"]["nginx_lb"])
    _with_acme(lbs["lb2"]["nginx_lb"], names=("shop.example.com", "www.example.com"), key_type="rsa-2048")
    dummy, problems = resolve(lbs, web)
    assert problems == [
        ("cluster-acme-agree", "cluster load_balancers: lb2's ACME virtual hosts (shop: shop.example.com "
         "www.example.com) differ from lb1's (shop: shop.example.com); the cluster obtains one certificate per virtual "
         "host for every member, so every member must list the same acme virtual hosts and acme_names"),
        ("cluster-acme-agree", "cluster load_balancers: the members disagree on nginx_lb_acme_key_type (lb1: "
         "ecdsa-p256, lb2: rsa-2048); the cluster's certificates are ordered once for every member")]
    # A member without any ACME virtual host, beside one with.
    lbs, web = _inputs()
    _with_acme(lbs["lb1"]["nginx_lb"])
    assert [sentence.split(";")[0] for dummy, sentence in resolve(lbs, web)[1]] == [
        "cluster load_balancers: lb2's ACME virtual hosts (none) differ from lb1's (shop: shop.example.com)"]
