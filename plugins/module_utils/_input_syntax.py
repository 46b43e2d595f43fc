# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The syntax of every inventory value that lands in a file, checked against that file's syntax.

keepalived.conf separates words at white space and treats ``{``, ``}``, ``#``, ``!`` and quotes as syntax;
nginx.conf ends a directive at ``;`` and opens blocks at ``{``; a sudo rule treats ``,``, ``:``, ``=``,
``\\``, white space and wildcards as syntax; a shell script treats almost everything as syntax. A value that
could add a directive, a command or a sudo permission is refused here, before any host is changed, with one
sentence naming the variable, the value and the rule. Pure functions, stdlib only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported by the collection
    from urlparse import urlsplit

# The rule id of each syntax (the kind table below carries it): a value that does not match prints it.
RULE_SYNTAX_KEEPALIVED_NAME = "syntax-keepalived-name"
RULE_SYNTAX_ROUTER_ID = "syntax-router-id"
RULE_SYNTAX_UNIT = "syntax-unit"
RULE_SYNTAX_USER = "syntax-user"
RULE_SYNTAX_INTERFACE = "syntax-interface"
RULE_SYNTAX_PROCESS = "syntax-process"
RULE_SYNTAX_PATH = "syntax-path"
RULE_SYNTAX_URI_PATH = "syntax-uri-path"
RULE_SYNTAX_NGINX_SIZE = "syntax-nginx-size"
RULE_SYNTAX_NGINX_TIME = "syntax-nginx-time"
RULE_SYNTAX_HEADER = "syntax-header"
RULE_SYNTAX_NGINX_HASH_KEY = "syntax-nginx-hash-key"
RULE_SYNTAX_EMAIL = "syntax-email"
RULE_SYNTAX_HOST = "syntax-host"
RULE_SYNTAX_URL = "syntax-url"
RULE_SYNTAX_SERVER_NAME = "syntax-server-name"
# VIP semantics (address_family_problems).
RULE_VIP_USABLE = "vrrp-vip-usable"
RULE_VIP_FAMILY = "vrrp-vip-family"

# kind -> (pattern, what is allowed, rule id). Patterns are anchored with \A...\Z (a trailing newline never matches).
RULES = {
    "keepalived_name": (
        r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}",
        "1 to 64 letters, digits, '_', '.', '-' (keepalived.conf ends a name at a space and reads "
        "'{', '}', '#', '!' and quotes as syntax)",
        RULE_SYNTAX_KEEPALIVED_NAME),
    "router_id": (
        r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}",
        "1 to 64 letters, digits, '_', '.', '-' (one word in keepalived.conf and in its mail subjects)",
        RULE_SYNTAX_ROUTER_ID),
    "unit": (
        r"[A-Za-z0-9_][A-Za-z0-9_.@-]{0,200}",
        "a systemd service name without '.service': letters, digits, '_', '.', '@', '-' (it goes into a sudo "
        "rule, where spaces, ',', ':', '=', '\\', '*' or '?' would let the script user run more as root)",
        RULE_SYNTAX_UNIT),
    "user": (
        r"[a-z_][a-z0-9_-]{0,31}",
        "a user name: a lower-case letter or '_', then up to 31 lower-case letters, digits, '_', '-'",
        RULE_SYNTAX_USER),
    "interface": (
        r"(?!\.{1,2}\Z)[A-Za-z0-9_.-]{1,15}",
        "a Linux interface name: 1 to 15 letters, digits, '_', '.', '-'",
        RULE_SYNTAX_INTERFACE),
    "process": (
        r"[A-Za-z0-9_.+-]{1,15}",
        "a process name as in /proc/PID/comm: 1 to 15 letters, digits, '_', '.', '+', '-'",
        RULE_SYNTAX_PROCESS),
    "path": (
        r"/|(/(?!\.{1,2}(/|\Z))[A-Za-z0-9_.@+-]+)+/?",
        "an absolute path of letters, digits, '_', '.', '@', '+', '-' separated by '/', without '.' or '..' parts",
        RULE_SYNTAX_PATH),
    "uri_path": (
        r"/[A-Za-z0-9_.~/-]*",
        "a URI path starting with '/' of letters, digits, '_', '.', '~', '-', '/'",
        RULE_SYNTAX_URI_PATH),
    "nginx_size": (
        r"[0-9]+[kKmMgG]?",
        "an nginx size: a whole number with an optional k, m or g (e.g. 64k)",
        RULE_SYNTAX_NGINX_SIZE),
    "nginx_time": (
        r"([0-9]+(ms|[smhdwMy]))*[0-9]+(ms|[smhdwMy])?",
        "an nginx time: whole numbers with units ms, s, m, h, d, w, M, y (e.g. 2s, 500ms, 1h30m)",
        RULE_SYNTAX_NGINX_TIME),
    "header": (
        r"[A-Za-z0-9][A-Za-z0-9-]{0,63}",
        "an HTTP header name: 1 to 64 letters, digits and '-'",
        RULE_SYNTAX_HEADER),
    "nginx_hash_key": (
        r"[A-Za-z0-9_$.:/-]+",
        "nginx variables and text of letters, digits, '$', '_', '.', ':', '/', '-' (e.g. $request_uri)",
        RULE_SYNTAX_NGINX_HASH_KEY),
    "email": (
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}"
        r"[A-Za-z0-9])?)*",
        "a mail address local@domain of letters, digits, '.', '_', '%', '+', '-'",
        RULE_SYNTAX_EMAIL),
    "hostname": (
        r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
        r"[A-Za-z0-9])?)*\.?",
        "a host name (letters, digits, '-', labels separated by '.')",
        RULE_SYNTAX_HOST),
}

_HOST_LABELS = RULES["hostname"][0]


def matches(kind, value):
    """Whether ``value`` (a str) has the syntax ``kind``."""
    return isinstance(value, str) and re.match(r"\A(?:%s)\Z" % RULES[kind][0], value) is not None


def syntax_problem(variable, value, kind):
    """The problem with ``value`` of ``variable`` for the syntax ``kind``, or None."""
    if kind == "url":
        return url_problem(variable, value)
    if kind == "host":
        return host_problem(variable, value)
    if matches(kind, value):
        return None
    return tagged(RULES[kind][2], "%s is %r; allowed: %s" % (variable, value, RULES[kind][1]))


def syntax_problems(checks):
    """Problems of an iterable of (variable, value, kind); values that are None are skipped."""
    problems = []
    for variable, value, kind in checks:
        if value is None:
            continue
        problem = syntax_problem(variable, value, kind)
        if problem:
            problems.append(problem)
    return problems


def is_ip(value):
    try:
        ipaddress.ip_address(str(value))
        return True
    except ValueError:
        return False


def host_problem(variable, value):
    """An IP address or a host name (what may follow nginx's ``server`` or keepalived's ``smtp_server``)."""
    if isinstance(value, str) and (is_ip(value) or matches("hostname", value)):
        return None
    return tagged(RULE_SYNTAX_HOST, "%s is %r; allowed: an IP address or a host name (letters, digits, '-', labels "
                  "separated by '.')" % (variable, value))


def url_problem(variable, value):
    """An http(s) or ftp URL without spaces, quotes or backslashes, with a host."""
    allowed = "an http://, https:// or ftp:// URL with a host and no spaces, quotes or backslashes"
    if not isinstance(value, str) or re.search(r"[\s\"'\\<>`{}|^]", value) or not value.isprintable():
        return tagged(RULE_SYNTAX_URL, "%s is %r; allowed: %s" % (variable, value, allowed))
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return tagged(RULE_SYNTAX_URL, "%s is %r; allowed: %s" % (variable, value, allowed))
    if parts.scheme not in ("http", "https", "ftp") or not host:
        return tagged(RULE_SYNTAX_URL, "%s is %r; allowed: %s" % (variable, value, allowed))
    return None


def server_name_problem(variable, value):
    """An nginx server_name: exact, wildcard (``*.example.com``, ``.example.com``, ``www.example.*``), ``_``,
    empty, or a regular expression starting with ``~``. Templates quote every name (filter nginx_quote)."""
    if not isinstance(value, str):
        return tagged(RULE_SYNTAX_SERVER_NAME, "%s is %r; allowed: a string" % (variable, value))
    if value in ("", "_"):
        return None
    if value.startswith("~"):
        # PCRE syntax (named groups as (?<name>...)) is nginx's to check (nginx -t before any reload).
        if len(value) > 1 and value.isprintable() and not re.search(r"[\s\"]", value):
            return None
        return tagged(RULE_SYNTAX_SERVER_NAME, "%s is %r; allowed for a regular expression: '~' then printable "
                      "characters without spaces or double quotes" % (variable, value))
    name = value
    if name.startswith("*."):
        name = name[2:]
    elif name.startswith("."):
        name = name[1:]
    elif name.endswith(".*"):
        name = name[:-2]
    if re.match(r"\A(?:%s)\Z" % _HOST_LABELS, name.replace("_", "a")) and not name.endswith("."):
        return None
    return tagged(RULE_SYNTAX_SERVER_NAME, "%s is %r; allowed: a host name, a wildcard name with '*' as its first or "
                  "last label ('*.example.com', 'www.example.*', '.example.com'), '_', or '~' and a regular expression"
                  % (variable, value))


def quote_nginx(value):
    """``value`` as one double-quoted nginx word: ``\\`` and ``"`` escaped, nothing else changed."""
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def url_host(address):
    """``address`` as the host part of a URL, an nginx ``listen`` or an ``address:port`` target: an IPv6 address
    in brackets (RFC 3986 3.2.2), anything else (IPv4, a name, already bracketed) unchanged."""
    text = str(address)
    return "[%s]" % text if ":" in text and not text.startswith("[") else text


def address_family_problems(where, vips):
    """VIP semantics: each a usable unicast host address, all of one family.

    keepalived takes an instance's address family from its first VIP and moves addresses of the other family to
    virtual_ipaddress_excluded with only a log line, so no advert carries them: the role refuses the mix and
    asks for one instance per family. Link-local VIPs are refused too: they never leave the link, and with
    VRRP version 2 keepalived cannot advertise IPv6 at all.

    ``vips`` are strings ``address[/prefix]``; entries that are no address are left to the caller.
    """
    problems = []
    families = {}
    for index, vip in enumerate(vips):
        try:
            interface = ipaddress.ip_interface(str(vip).strip())
        except ValueError:
            continue
        address = interface.ip
        entry = "%s.virtual_ipaddresses[%d] %r" % (where, index, vip)
        families.setdefault(address.version, index)
        reason = None
        if address.is_unspecified:
            reason = "the unspecified address"
        elif address.is_loopback:
            reason = "a loopback address"
        elif address.is_multicast:
            reason = "a multicast address"
        elif address.is_link_local:
            reason = "a link-local address (it never leaves the link)"
        elif address.version == 4 and address == ipaddress.IPv4Address("255.255.255.255"):
            reason = "the limited broadcast address"
        elif address.version == 4 and interface.network.prefixlen <= 30:
            if address == interface.network.network_address:
                reason = "the network address of %s" % interface.network
            elif address == interface.network.broadcast_address:
                reason = "the broadcast address of %s" % interface.network
        elif address.version == 6 and interface.network.prefixlen <= 126 and address == interface.network.network_address:
            reason = "the subnet-router anycast address of %s" % interface.network
        if reason:
            problems.append(tagged(RULE_VIP_USABLE, "%s is %s; allowed: a unicast host address that clients can reach"
                                   % (entry, reason)))
    if len(families) > 1:
        problems.append(tagged(RULE_VIP_FAMILY, "%s: virtual_ipaddresses mixes IPv4 and IPv6 (entries %d and %d); "
                               "allowed: one address family per instance, so put the IPv6 VIPs in an instance of their "
                               "own" % ((where,) + tuple(sorted(families.values())))))
    return problems
