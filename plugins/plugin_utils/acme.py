# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A cluster's ACME certificates: what each run orders, spreads and records.

One certificate per virtual host with ``acme`` and per cluster (the cluster model's ``certificates``), held by the
members themselves (``<tls_dir>/<vhost>.crt`` and ``.key``): an AWX job's container is thrown away after the job, and
a run cannot write the inventory's vault. ``plan`` reads what every reachable member holds and decides, for each
certificate:

- ``source``: the member whose pair the cluster keeps (a certificate for exactly the names, not a placeholder, not
  expired, its key present; the latest expiry wins, then the first member), or None;
- ``order``: whether the controller orders a new one now (none kept, its key of another type than the certificate's
  ``key_type``, fewer than ``renew_days`` days left, or ``renew_now``), unless the CA refused lately and its retry
  time has not come (``waiting_until``): a refusing or rate-limiting CA is asked again on a later run, the delay
  doubling from one hour to one day, never in a loop;
- ``install``: the members whose pair differs from the kept one (every member when one is ordered).

``records`` is what each member writes to ``<state_dir>/certificates.json`` after the run (the expiry, the names, the
last renewal, the failures in a row, the last error and the retry time), which the monitoring role exports as
metrics. Controller-side; parsing a certificate needs the ``cryptography`` library, which only runs that use ACME load.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import datetime
from collections.abc import Mapping
from typing import Any

# The subject organisation of the self-signed certificate a member serves until the cluster's first one arrives
# (roles/nginx_lb/tasks/tls.yml writes it with the same words).
PLACEHOLDER_ORGANIZATION = "halb.nginx_keepalived placeholder"
FIRST_RETRY_SECONDS = 3600
LAST_RETRY_SECONDS = 86400


def certificate_facts(pem: str) -> dict[str, Any] | None:
    """The facts of a PEM certificate (its first one, the leaf): ``names`` (sorted DNS names of its
    subjectAltName), ``not_after`` (epoch seconds), ``placeholder``, ``sha256`` (of the DER) and ``key_type`` (as
    ``nginx_lb_acme_key_type`` names it: ecdsa-p256, ecdsa-p384, rsa-<bits>); None if it is none."""
    if not pem or "-----BEGIN CERTIFICATE-----" not in pem:
        return None
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        return None
    try:
        names = sorted(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                       .get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        names = []
    organizations = [attribute.value for attribute in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    not_after = getattr(cert, "not_valid_after_utc", None) or cert.not_valid_after.replace(tzinfo=datetime.UTC)
    key = cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key_type = {"secp256r1": "ecdsa-p256", "secp384r1": "ecdsa-p384"}.get(key.curve.name, "ecdsa-" + key.curve.name)
    elif isinstance(key, rsa.RSAPublicKey):
        key_type = "rsa-%d" % key.key_size
    else:
        key_type = type(key).__name__
    return {
        "names": names,
        "key_type": key_type,
        "not_after": int(not_after.timestamp()),
        "placeholder": PLACEHOLDER_ORGANIZATION in organizations,
        "sha256": cert.fingerprint(hashes.SHA256()).hex(),
    }


def retry_delay(failures: int) -> int:
    """Seconds before the CA is asked again after ``failures`` refusals in a row: 1 h, 2 h, 4 h ... at most 24 h."""
    delay: int = FIRST_RETRY_SECONDS * 2 ** max(int(failures) - 1, 0)
    return min(delay, LAST_RETRY_SECONDS)


def _iso(epoch: int | float | None) -> str:
    if epoch is None:
        return "never"
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _kept(vhost: str, names: list[str], members: list[str], held: Mapping[str, Any], now: float
          ) -> tuple[str | None, dict[str, Any] | None]:
    """The member whose pair the cluster keeps, and its certificate's facts."""
    best: tuple[str | None, dict[str, Any] | None] = (None, None)
    for member in members:
        found = ((held.get(member) or {}).get(vhost) or {})
        facts = certificate_facts(str(found.get("cert") or ""))
        if (facts is None or facts["placeholder"] or facts["names"] != sorted(names) or facts["not_after"] <= now
                or not found.get("key_sha256")):
            continue
        if best[1] is None or facts["not_after"] > best[1]["not_after"]:
            best = (member, facts)
    return best


def _differs(held: Mapping[str, Any], member: str, source: str, vhost: str) -> bool:
    """Whether a member's pair of a certificate differs from the source member's (certificate or key)."""
    mine, kept = ((held.get(member) or {}).get(vhost) or {}), ((held.get(source) or {}).get(vhost) or {})
    return mine.get("cert") != kept.get("cert") or mine.get("key_sha256") != kept.get("key_sha256")


def _last_record(vhost: str, members: list[str], records: Mapping[str, Any]) -> dict[str, Any]:
    """The newest record of a certificate among the members (most failures, then the latest retry time)."""
    found = [dict((records.get(member) or {}).get(vhost) or {}) for member in members]
    found = [record for record in found if record]
    if not found:
        return {}
    return max(found, key=lambda record: (int(record.get("last_attempt") or 0), int(record.get("failures") or 0)))


def plan(certificates: list[Mapping[str, Any]], members: list[str], held: Mapping[str, Any],
         records: Mapping[str, Any], renew_days: int, renew_now: bool, now: float) -> list[dict[str, Any]]:
    """For each certificate of the cluster (``vhost``, ``names``, optional ``key_type``): ``source``, ``not_after``, ``order``,
    ``reason``, ``waiting_until`` and ``install`` (see the module's description). ``members`` are the reachable
    members in inventory order; ``held`` maps each to ``{vhost: {cert, key_sha256}}``; ``records`` maps each to
    its ``certificates.json``."""
    result = []
    for certificate in certificates:
        vhost, names = str(certificate["vhost"]), [str(name) for name in certificate["names"]]
        source, facts = _kept(vhost, names, members, held, now)
        record = _last_record(vhost, members, records)
        waiting_until = None
        if renew_now:
            order, reason = True, "nginx_lb_acme_renew_now is true"
        elif facts is None:
            order, reason = True, "no member holds a valid certificate for %s" % ", ".join(names)
        elif certificate.get("key_type") and facts["key_type"] != certificate["key_type"]:
            asked = certificate["key_type"]
            order, reason = True, "its key is %s, nginx_lb_acme_key_type asks %s" % (facts["key_type"], asked)
        elif facts["not_after"] - now < int(renew_days) * 86400:
            days_left = (facts["not_after"] - now) / 86400.0
            order, reason = True, "%.1f days left (renewed below %s)" % (days_left, renew_days)
        else:
            order, reason = False, "valid until %s" % _iso(facts["not_after"])
        refused = int(record.get("failures") or 0) > 0 and now < float(record.get("retry_after") or 0)
        if order and not renew_now and refused:
            waiting_until = int(record["retry_after"])
            order = False
            reason = "%s, but the CA refused %d time(s) in a row (last: %s); next attempt after %s" % (
                reason, int(record["failures"]), record.get("last_error") or "unknown", _iso(waiting_until))
        install = list(members) if order else [
            member for member in members if source and member != source and _differs(held, member, source, vhost)]
        result.append({
            "vhost": vhost,
            "names": names,
            "source": source,
            "not_after": facts["not_after"] if facts else None,
            "order": order,
            "reason": reason,
            "waiting_until": waiting_until,
            "install": install,
            "record": record,
        })
    return result


def records(planned: list[Mapping[str, Any]], issued: Mapping[str, str], failed: Mapping[str, str],
            now: float) -> dict[str, Any]:
    """What every member records after the run, by virtual host: ``names``, ``not_after`` (of the certificate the
    cluster serves now, None without one), ``renewed`` (when the last one was issued), ``failures`` (in a row),
    ``last_error``, ``last_attempt`` and ``retry_after``. ``issued`` maps a virtual host to the PEM ordered in this
    run, ``failed`` to the error of an order that failed in this run."""
    out: dict[str, Any] = {}
    for item in planned:
        vhost = item["vhost"]
        previous = dict(item.get("record") or {})
        failures = int(previous.get("failures") or 0)
        record: dict[str, Any] = {
            "names": list(item["names"]),
            "not_after": item.get("not_after"),
            "renewed": previous.get("renewed"),
            "failures": failures,
            "last_error": previous.get("last_error") or "",
            "last_attempt": previous.get("last_attempt"),
            "retry_after": previous.get("retry_after"),
        }
        if vhost in issued:
            facts = certificate_facts(issued[vhost]) or {}
            record.update(not_after=facts.get("not_after"), renewed=int(now), failures=0, last_error="",
                          last_attempt=int(now), retry_after=None)
        elif vhost in failed:
            failures += 1
            record.update(failures=failures, last_error=" ".join(str(failed[vhost]).split())[:300],
                          last_attempt=int(now), retry_after=int(now) + retry_delay(failures))
        out[vhost] = record
    return out


def cluster_plan(clusters: Mapping[str, Any], host: str, reachable: list[str], hostvars: Mapping[str, Any],
                 renew_days: int, renew_now: bool, now: float) -> dict[str, Any]:
    """This host's cluster (``cluster``), its reachable members in inventory order (``members``), the one that orders
    for the cluster (``orderer``, the first of them) and ``plan`` over what each of them holds (the facts
    ``__nginx_lb_acme_found`` and ``__nginx_lb_acme_record`` the role set on each)."""
    for name, model in sorted((clusters or {}).items()):
        hosts = [str(member.get("host")) for member in model.get("members") or []]
        if host not in hosts:
            continue
        members = [member for member in hosts if member in reachable]
        held = dict((member, (hostvars[member] or {}).get("__nginx_lb_acme_found") or {}) for member in members)
        recorded = dict((member, (hostvars[member] or {}).get("__nginx_lb_acme_record") or {}) for member in members)
        return {
            "cluster": name,
            "members": members,
            "orderer": members[0] if members else host,
            "certificates": plan(list(model.get("certificates") or []), members, held, recorded, renew_days,
                                 renew_now, now),
        }
    raise ValueError("%s is in no cluster of the model (run playbooks/validate.yml first: site.yml and "
                     "playbooks/acme.yml do)" % host)
