# -*- coding: utf-8 -*-
"""What keepalived, nginx and the system impose on one member's resolved inputs (plugin_utils/member_rules.py)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.halb.nginx_keepalived.plugins.plugin_utils.member_rules import (
    configure_problems,
    directory_problems,
    max_vips,
    member_problems,
    service_problems,
    sync_group_problems,
    tls_pair_problem,
)


def test_vips_per_advert_follow_keepalived():
    # keepalived's vrrp.c at MTU 1500: the one-byte count caps IPv4; 16-byte addresses cap IPv6 at (1500 - 62) / 16.
    assert max_vips(4, 2) == 255 and max_vips(4, 3) == 255
    assert max_vips(6, 3) == 89
    assert max_vips(4, 2, mtu=576) == (576 - 50) // 4


def _keepalived(check_service="nginx", plan=None, **install):
    """A member's keepalived model, with what member_problems reads (the install's keys changed by ``install``)."""
    return {"vrrp": {"version": 3}, "check_service": check_service,
            "install": dict({"method": "source", "prefix": "/data/apps/keepalived", "build_dir": "/usr/local/src",
                             "configure_options": []}, **install),
            "plan": {"instances": [{"name": "VI_6", "family": 6, "vips": ["2001:2::%x" % n for n in range(1, 91)]}]}
            if plan is None else plan}


def test_member_problems_in_one_pass():
    problems = member_problems("lb1", _keepalived(prefix="/opt/", check_service="nginx.service",
                                                  configure_options=["--exec-prefix=/usr"]), None)
    assert [rule for rule, dummy in problems] == ["system-directory", "vrrp-vips-per-advert",
                                                  "keepalived-configure-prefix", "check-service-suffix"]
    assert "lb1: keepalived_instances[0] (VI_6) has 90 VIPs, but one VRRP version 3 advert carries at most 89 IPv6" \
        in problems[1][1]
    # The package install has no prefix, build directory or configure line.
    assert [r for r, d in member_problems("lb1", _keepalived(method="package", prefix="/"), None)] == [
        "vrrp-vips-per-advert"]


def test_directories():
    assert directory_problems("web1", {"webserver_sites[0].root": "/var/log/"}) == [
        ("system-directory", "web1: webserver_sites[0].root is /var/log/, a system directory; the role creates, owns "
                             "and fills (or removes) this directory: give it one of its own, e.g. /var/log/halb")]
    assert directory_problems("web1", {"a": "/var/www/halb", "b": "/data/apps/keepalived", "c": "/usr/local/src"}) == []


def test_configure_line_and_service():
    assert configure_problems("lb1", ["--enable-json", "--prefix=/usr"], "/p")[0][1].startswith(
        "lb1: keepalived_configure_options[1] is --prefix=/usr, which moves the install out of keepalived_prefix (/p)")
    assert configure_problems("lb1", ["--enable-json", "--with-init=systemd"], "/p") == []
    assert service_problems("lb1", "nginx") == [] and service_problems("lb1", "my.service")[0][0] == "check-service-suffix"


def _pair(tmp_path):
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "t.halb.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    files = {"t.crt": cert.public_bytes(serialization.Encoding.PEM) + b"\n"}
    for path, private, encryption in (("t.key", key, serialization.NoEncryption()),
                                      ("o.key", other, serialization.NoEncryption()),
                                      ("e.key", key, serialization.BestAvailableEncryption(b"pw"))):
        files[path] = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    for path, data in files.items():
        (tmp_path / path).write_bytes(data)
    return lambda path: (tmp_path / path).read_bytes()


def test_tls_pairs(tmp_path):
    read = _pair(tmp_path)
    assert tls_pair_problem("t.crt", "t.key", read) is None
    assert tls_pair_problem("t.crt", "o.key", read) == (
        "tls_certificate_key o.key is not the key of tls_certificate t.crt (their public keys differ)")
    assert tls_pair_problem("t.key", "t.key", read).startswith("tls_certificate t.key is not a PEM certificate")
    assert tls_pair_problem("t.crt", "e.key", read).startswith("tls_certificate_key e.key is not an unencrypted PEM")
    assert tls_pair_problem("t.crt", "t.crt", read).startswith("tls_certificate_key t.crt is not an unencrypted PEM")
    listeners = [{"name": "plain", "tls": False}, {"name": "s", "tls": True, "tls_certificate": "t.crt",
                                                   "tls_certificate_key": "o.key"}]
    problems = member_problems("lb1", _keepalived(plan={}), {"vhosts": listeners, "tls_dir": "/etc/ssl"}, read)
    assert [rule for rule, dummy in problems] == ["system-directory", "tls-pair"]
    assert problems[1][1].startswith("lb1: nginx_lb_vhosts[1] (s): tls_certificate_key o.key is not the key")


def test_a_sync_group_has_one_master():
    instances = [{"name": "VI_1", "master": "lb1"}, {"name": "VI_2", "master": "lb2"}, {"name": "VI_3", "master": "lb1"}]
    together = {"instances": instances, "sync_groups": [{"name": "G1", "instances": ["VI_1", "VI_3"]}]}
    assert sync_group_problems("lb1", together) == []
    apart = dict(together, sync_groups=[together["sync_groups"][0], {"name": "G2", "instances": ["VI_1", "VI_2"]}])
    assert sync_group_problems("lb2", apart) == [
        ("vrrp-sync-group-master", "lb2: keepalived_sync_groups[1] (G2): its instances have different masters (VI_1 on "
                                   "lb1, VI_2 on lb2); a sync group moves together, so they would fight. Give them "
                                   "the same master or use separate groups")]
