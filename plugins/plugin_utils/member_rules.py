# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What keepalived, nginx and the system impose on one member's resolved inputs, beyond each value's syntax.

- One VRRP advert carries a limited number of VIPs: the address count is one byte (255), and the advert must fit
  the interface's MTU (keepalived's vrrp.c moves the rest out of the adverts, silently for the operator).
- A directory the roles manage (create, own, fill or remove: the source build's prefix and build directory, the
  TLS directory, a site's document root) may not be a system directory.
- The configure line may not move the install out of ``keepalived_prefix`` (the role finds the binary there).
- A sync group's instances have one master in the plan (the group moves them together).
- The checked service is named without its ``.service`` suffix (it becomes a unit drop-in's directory and a sudo
  rule, where ``nginx.service.service.d`` would never apply).
- A TLS certificate is a PEM certificate and its key is that certificate's key (read on the controller).

Each problem is ``(rule id, sentence)``. Controller-side; the TLS rule needs ``cryptography`` (ansible-core's).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import posixpath
from collections.abc import Callable, Mapping
from typing import Any

Problem = tuple[str, str]

RULE_VIPS_PER_ADVERT = "vrrp-vips-per-advert"
RULE_SYSTEM_DIRECTORY = "system-directory"
RULE_CONFIGURE_PREFIX = "keepalived-configure-prefix"
RULE_SERVICE_SUFFIX = "check-service-suffix"
RULE_TLS_PAIR = "tls-pair"
RULE_SYNC_GROUP_MASTER = "vrrp-sync-group-master"

# The advert's address count is one byte.
MAX_ADDRESSES = 255
# Ethernet + IP + VRRP header bytes before the addresses (vrrp.c), per family; VRRPv2 adds 8 bytes of authentication.
_HEADER = {4: 14 + 20 + 8, 6: 14 + 40 + 8}
_ADDRESS = {4: 4, 6: 16}
DEFAULT_MTU = 1500

# Directories of the operating system: a role that owns, fills or removes one of them breaks the host.
SYSTEM_DIRECTORIES = frozenset((
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/media", "/mnt", "/opt", "/proc", "/root",
    "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/bin", "/usr/lib", "/usr/local", "/usr/sbin", "/usr/share",
    "/var", "/var/cache", "/var/lib", "/var/log", "/var/tmp", "/etc/nginx", "/etc/keepalived",
    "/etc/ssl", "/etc/systemd", "/etc/systemd/system",
))
# configure options that choose where keepalived installs (the role runs ./configure --prefix=keepalived_prefix).
_INSTALL_DIRS = ("--prefix", "--exec-prefix", "--bindir", "--sbindir", "--sysconfdir", "--libexecdir", "--datarootdir")


def max_vips(family: int, version: int, mtu: int = DEFAULT_MTU) -> int:
    """How many VIPs of ``family`` one advert carries at ``mtu`` (keepalived's vrrp.c)."""
    header = _HEADER[family] + (8 if family == 4 and version == 2 else 0)
    return min(MAX_ADDRESSES, (mtu - header) // _ADDRESS[family])


def vip_problems(member: str, instances: list[Mapping[str, Any]], version: int) -> list[Problem]:
    problems: list[Problem] = []
    for index, instance in enumerate(instances):
        family = 6 if instance.get("family") == 6 else 4
        limit = max_vips(family, version)
        count = len(instance.get("vips") or [])
        if count > limit:
            problems.append((RULE_VIPS_PER_ADVERT, "%s: keepalived_instances[%d] (%s) has %d VIPs, but one VRRP "
                             "version %d advert carries at most %d IPv%d addresses at MTU %d; keepalived would leave "
                             "the rest out of its adverts. Split them over several instances" % (
                                 member, index, instance.get("name"), count, version, limit, family, DEFAULT_MTU)))
    return problems


def _normal(path: Any) -> str:
    text = str(path or "").strip()
    return posixpath.normpath(text) if text.startswith("/") else text


def directory_problems(member: str, directories: Mapping[str, Any]) -> list[Problem]:
    """``directories``: the variable that names a managed directory -> its value."""
    problems: list[Problem] = []
    for variable, path in directories.items():
        if _normal(path) in SYSTEM_DIRECTORIES:
            problems.append((RULE_SYSTEM_DIRECTORY, "%s: %s is %s, a system directory; the role creates, owns and "
                             "fills (or removes) this directory: give it one of its own, e.g. %s/halb" % (
                                 member, variable, path, _normal(path).rstrip("/"))))
    return problems


def configure_problems(member: str, options: list[Any], prefix: Any) -> list[Problem]:
    problems: list[Problem] = []
    for index, option in enumerate(options or []):
        name = str(option).split("=", 1)[0]
        if name in _INSTALL_DIRS:
            problems.append((RULE_CONFIGURE_PREFIX, "%s: keepalived_configure_options[%d] is %s, which moves the "
                             "install out of keepalived_prefix (%s), where the role runs and checks the binary; set "
                             "keepalived_prefix instead" % (member, index, option, prefix)))
    return problems


def service_problems(member: str, service: Any) -> list[Problem]:
    if str(service).endswith(".service"):
        return [(RULE_SERVICE_SUFFIX, "%s: keepalived_check_service is %s; give the unit without its .service suffix "
                 "(%s): it names the unit's drop-in directory and the sudo rule, where the suffix would be doubled. "
                 "It is refused, not changed for you" % (member, service, str(service)[:-len(".service")]))]
    return []


Reader = Callable[[str], bytes]


def tls_pair_problem(certificate: str, key: str, read: Reader) -> str | None:
    """What is wrong with a certificate file and its key file (read with ``read``), or None."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(read(certificate))
    except (OSError, ValueError) as error:
        return "tls_certificate %s is not a PEM certificate (%s)" % (certificate, str(error).splitlines()[0][:80])
    try:
        private = serialization.load_pem_private_key(read(key), password=None)
    except (OSError, ValueError, TypeError) as error:
        return "tls_certificate_key %s is not an unencrypted PEM private key (%s)" % (
            key, str(error).splitlines()[0][:80])
    spki = serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    if private.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        return "tls_certificate_key %s is not the key of tls_certificate %s (their public keys differ)" % (
            key, certificate)
    return None


def tls_problems(member: str, listeners: list[Mapping[str, Any]], read: Reader) -> list[Problem]:
    problems: list[Problem] = []
    for index, listener in enumerate(listeners):
        if not listener.get("tls") or listener.get("acme"):
            continue
        problem = tls_pair_problem(str(listener.get("tls_certificate")), str(listener.get("tls_certificate_key")), read)
        if problem:
            problems.append((RULE_TLS_PAIR, "%s: nginx_lb_vhosts[%d] (%s): %s; nginx would refuse to start" % (
                member, index, listener.get("name"), problem)))
    return problems


def sync_group_problems(member: str, keepalived: Mapping[str, Any]) -> list[Problem]:
    """A sync group moves its instances together: they must have one master in the plan."""
    masters = dict((instance.get("name"), instance.get("master")) for instance in keepalived.get("instances") or []
                   if isinstance(instance, Mapping))
    problems: list[Problem] = []
    for index, group in enumerate(keepalived.get("sync_groups") or []):
        planned = dict((name, masters[name]) for name in group.get("instances") or [] if name in masters)
        if len(set(planned.values())) > 1:
            problems.append((RULE_SYNC_GROUP_MASTER, "%s: keepalived_sync_groups[%d] (%s): its instances have "
                             "different masters (%s); a sync group moves together, so they would fight. Give them the "
                             "same master or use separate groups" % (member, index, group.get("name"), ", ".join(
                                 "%s on %s" % item for item in sorted(planned.items())))))
    return problems


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def member_problems(member: str, keepalived: Mapping[str, Any], nginx: Mapping[str, Any] | None,
                    read: Reader = _read) -> list[Problem]:
    """Every problem of one load balancer's resolved inputs (``nginx`` None when nginx_lb refused the host)."""
    plan = keepalived.get("plan") or {}
    instances = [i for i in plan.get("instances") or [] if isinstance(i, Mapping)]
    problems = vip_problems(member, instances, int((keepalived.get("vrrp") or {}).get("version") or 2))
    directories: dict[str, Any] = {}
    install = keepalived.get("install") or {}
    if install.get("method") == "source":
        directories.update(keepalived_prefix=install.get("prefix"), keepalived_build_dir=install.get("build_dir"))
        problems += configure_problems(member, list(install.get("configure_options") or []), install.get("prefix"))
    problems += service_problems(member, keepalived.get("check_service"))
    problems += sync_group_problems(member, keepalived)
    if nginx is not None:
        listeners = [v for v in nginx.get("vhosts") or [] if isinstance(v, Mapping)]
        if any(listener.get("tls") for listener in listeners):
            directories["nginx_lb_tls_dir"] = nginx.get("tls_dir")
        if any(listener.get("http") for listener in listeners):
            directories["nginx_lb_acme_challenge_dir"] = nginx.get("acme_challenge_dir")
        if nginx.get("acme"):
            directories["nginx_lb_acme_state_dir"] = (nginx.get("acme") or {}).get("state_dir")
        problems += tls_problems(member, listeners, read)
    return directory_problems(member, directories) + problems
