# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Upstreams, virtual hosts and web sites of the nginx roles: resolution and cross-field checks.

``resolve_upstreams`` and ``resolve_vhosts`` turn the role inputs (``nginx_lb_upstreams``,
``nginx_lb_vhosts``) into what nginx.conf renders, with every default applied; the ``*_problems``
functions return one sentence per problem naming the variable, the value and what is allowed, so that a
playbook can refuse the inventory before any host is changed. Pure functions, stdlib only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import re

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._numbers import whole
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._input_syntax import (
    RULE_SYNTAX_HOST,
    RULE_SYNTAX_NGINX_SIZE,
    RULE_SYNTAX_NGINX_TIME,
    RULE_SYNTAX_PATH,
    host_problem,
    matches,
    server_name_problem,
    syntax_problems,
)
from ansible_collections.halb.nginx_keepalived.plugins.module_utils._rule_ids import tagged

# nginx refuses "backup" with these methods: 'balancing method does not support parameter "backup"'.
NO_BACKUP_METHODS = ("ip_hash", "hash")
# A name becomes a file name (TLS files, document roots) and an nginx word: no leading '.' or '-'.
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_WILDCARD = ("", "*", "0.0.0.0", "::", "[::]")

# Rule ids: each refusal below ends with its rule's id in brackets (module_utils/_rule_ids.py). The syntax rules
# (nginx time and size, host, path) are _input_syntax's.
RULE_NAME = "nginx-name"
RULE_NAME_UNIQUE = "nginx-name-unique"
RULE_PORT_RANGE = "nginx-port-range"
RULE_UPSTREAMS_EMPTY = "nginx-upstreams-empty"
RULE_UPSTREAM_SERVERS_SOURCE = "nginx-upstream-servers-source"
RULE_UPSTREAM_SERVERS_EMPTY = "nginx-upstream-servers-empty"
RULE_UPSTREAM_PORT = "nginx-upstream-port"
RULE_UPSTREAM_ACTIVE_SERVER = "nginx-upstream-active-server"
RULE_UPSTREAM_KEEPALIVE = "nginx-upstream-keepalive"
RULE_HASH_KEY_MISSING = "nginx-hash-key-missing"
RULE_HASH_KEY_UNUSED = "nginx-hash-key-unused"
RULE_CONSISTENT_HASH = "nginx-consistent-hash"
RULE_SERVER_ADDRESS_MISSING = "nginx-server-address-missing"
RULE_SERVER_WEIGHT = "nginx-server-weight"
RULE_SERVER_MAX_FAILS = "nginx-server-max-fails"
RULE_SERVER_DOWN = "nginx-server-down"
RULE_SERVER_BACKUP_METHOD = "nginx-server-backup-method"
RULE_SERVER_UNIQUE = "nginx-upstream-server-unique"
RULE_VHOSTS_EMPTY = "nginx-vhosts-empty"
RULE_VHOST_UPSTREAM = "nginx-vhost-upstream"
RULE_LISTEN_ADDRESS = "nginx-listen-address"
RULE_SERVER_NAMES_EMPTY = "nginx-server-names-empty"
RULE_SERVER_NAME_UNIQUE = "nginx-server-name-unique"
RULE_DEFAULT_SERVER_UNIQUE = "nginx-default-server-unique"
RULE_TLS_BOTH_FILES = "nginx-tls-both-files"
RULE_TLS_PER_PORT = "nginx-tls-per-port"
RULE_TLS_FILES = "nginx-tls-files"
RULE_HTTP_REDIRECT_TLS = "nginx-http-redirect-tls"
RULE_HTTP_LISTENER_NAME = "nginx-http-listener-name"
RULE_HTTP_LISTENER_SHADOWED = "nginx-http-listener-shadowed"
RULE_ACME_WITH_FILES = "nginx-acme-with-files"
RULE_ACME_NAME = "nginx-acme-name"
RULE_ACME_HTTP_PORT = "nginx-acme-http-port"
RULE_ACME_DIRECTORY = "nginx-acme-directory-https"
RULE_ACME_ACCOUNT_KEY = "nginx-acme-account-key"
RULE_ACME_TERMS = "nginx-acme-terms"
RULE_ACME_RENEW_DAYS = "nginx-acme-renew-days"
RULE_ACME_CA_BUNDLE = "nginx-acme-ca-bundle"
RULE_LOCAL_LISTENER_PORT = "nginx-local-listener-port"
RULE_HEALTH_PATH = "nginx-health-path"
RULE_KEEPALIVE_REQUESTS = "nginx-keepalive-requests"
RULE_WORKER_PROCESSES = "nginx-worker-processes"
RULE_SITES_EMPTY = "webserver-sites-empty"
RULE_ROOT_UNIQUE = "webserver-root-unique"
RULE_PAGE_CONTENT = "webserver-page-content"


def _truth(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _bool_or_raw(value):
    """True/False for a boolean or a boolean word (yes, no, true, false, on, off, 1, 0); anything else as given."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    return value


def _port_ok(value):
    port = whole(value)
    return port is not None and 1 <= port <= 65535


def backend_host_address(host_vars):
    """The address nginx sends a backend host's requests to: ``nginx_lb_backend_address`` or its default IPv4
    address (facts); None without either."""
    if host_vars.get("nginx_lb_backend_address"):
        return host_vars.get("nginx_lb_backend_address")
    facts = host_vars.get("ansible_facts") or {}
    return (facts.get("default_ipv4") or {}).get("address")


def backend_host_port(host_vars, default_port):
    """The port nginx sends a backend host's requests to: its ``nginx_lb_backend_port``, else the port the host's
    web server listens on (its ``webserver_port``, when its inventory sets one), else ``default_port``."""
    for key in ("nginx_lb_backend_port", "webserver_port"):
        if host_vars.get(key) not in (None, ""):
            return host_vars.get(key)
    return default_port


def backend_host_down(host_vars):
    """``nginx_lb_backend_down`` of a backend host: True or False for a boolean or a boolean word, anything else
    as given (the validation names it)."""
    return _bool_or_raw(host_vars.get("nginx_lb_backend_down", False))


def _group_servers(upstream, hosts, hostvars, defaults):
    servers = []
    for host in hosts:
        host_vars = hostvars.get(host) or {}

        def pick(key, default_key, host_vars=host_vars):
            value = host_vars.get("nginx_lb_backend_" + key)
            return defaults.get(default_key) if value is None else value

        port = upstream.get("port")
        servers.append({
            "label": host,
            "address": backend_host_address(host_vars),
            "port": backend_host_port(host_vars, defaults.get("backend_port")) if port is None else port,
            "weight": pick("weight", "weight"),
            "max_fails": pick("max_fails", "max_fails"),
            "fail_timeout": pick("fail_timeout", "fail_timeout"),
            "backup": False,
            # Maintenance: the backend stays in the upstream, nginx sends it nothing.
            "down": backend_host_down(host_vars),
            "from_host": True,
        })
    return servers


def _listed_servers(upstream, defaults):
    servers = []
    for server in upstream.get("servers") or []:
        server = server or {}

        def pick(key, default_key, server=server):
            return defaults.get(default_key) if server.get(key) is None else server.get(key)

        servers.append({
            "label": server.get("name") or server.get("address"),
            "address": server.get("address"),
            "port": pick("port", "backend_port"),
            "weight": pick("weight", "weight"),
            "max_fails": pick("max_fails", "max_fails"),
            "fail_timeout": pick("fail_timeout", "fail_timeout"),
            "backup": _truth(server.get("backup", False)),
            "down": _truth(server.get("down", False)),
            "from_host": False,
        })
    return servers


def resolve_upstreams(upstreams, groups, hostvars, defaults):
    """Every upstream with its method, keepalive, zone and servers, each server with all its parameters.

    ``groups`` maps inventory groups to their hosts, ``hostvars`` maps hosts to their variables (the
    per-backend ``nginx_lb_backend_*`` and ``ansible_facts``), ``defaults`` holds ``backend_port``,
    ``weight``, ``max_fails``, ``fail_timeout``, ``keepalive`` and ``zone_size``.
    """
    resolved = []
    for upstream in upstreams or []:
        upstream = upstream or {}
        group = upstream.get("backend_group")
        if group:
            servers = _group_servers(upstream, (groups or {}).get(group) or [], hostvars or {}, defaults)
        else:
            servers = _listed_servers(upstream, defaults)
        resolved.append({
            "name": upstream.get("name"),
            "method": upstream.get("method") or "round_robin",
            "hash_key": upstream.get("hash_key"),
            "consistent": _truth(upstream.get("consistent", False)),
            "keepalive": defaults.get("keepalive") if upstream.get("keepalive") is None else upstream.get("keepalive"),
            "zone_size": upstream.get("zone_size") or defaults.get("zone_size"),
            "backend_group": group,
            "servers": servers,
        })
    return resolved


def _vhost_name(vhost):
    if vhost.get("name"):
        return str(vhost["name"])
    names = vhost.get("server_names") or ["_"]
    first = "default" if names[0] == "_" else re.sub(r"[^A-Za-z0-9_.-]", "_", str(names[0]))
    return "%s-%s" % (first, vhost.get("listen_port"))


def _listen_key(vhost):
    address = str(vhost.get("listen_address") or "").strip()
    return ("*" if address in _WILDCARD else address, whole(vhost.get("listen_port")))


def default_server_flags(items, key):
    """nginx's default server per listen key: the item that sets ``default_server``, else the first of its key.

    The one rule for nginx_lb's virtual hosts and webserver's sites (what nginx does anyway, written out).
    """
    items = [item or {} for item in items or []]
    explicit = set(key(item) for item in items if _truth(item.get("default_server", False)))
    flags = []
    seen = set()
    for item in items:
        listen = key(item)
        flags.append(_truth(item.get("default_server", False)) if listen in explicit else listen not in seen)
        seen.add(listen)
    return flags


def _http_listener(vhost, tls, acme):
    """The plain-HTTP listener of a TLS virtual host with ``http_redirect`` or ``acme``: its port (``http_port``,
    default 80), the HTTPS port its redirect names, and whether everything but ACME's path is redirected
    (``redirect``; without it, an ``acme`` listener answers 404 there), and the names it serves (the server names and
    any other ACME name); None without one."""
    redirect = _truth(vhost.get("http_redirect", False))
    if not (tls and (redirect or acme is not None)):
        return None
    port = vhost.get("http_port")
    names = list(vhost.get("server_names") or ["_"])
    names += [name for name in (acme or {}).get("names") or [] if name not in names]
    return {"port": 80 if port in (None, "") else port, "https_port": vhost.get("listen_port"), "redirect": redirect,
            "server_names": names}


def _acme(vhost):
    """A virtual host's ACME certificate: the names it is for (``acme_names``, else its server names); None
    without ``acme``."""
    if not _truth(vhost.get("acme", False)):
        return None
    return {"names": list(vhost.get("acme_names") or vhost.get("server_names") or [])}


def resolve_vhosts(vhosts):
    """Every virtual host with its name, listen address/port, TLS flag, default_server and plain-HTTP listener.

    Without ``default_server: true`` on any of them, the first virtual host of each listen address and
    port is nginx's default server there (``default_server_flags``). ``http`` is the plain-HTTP listener of a TLS
    virtual host with ``http_redirect`` (``_http_listener``): on every address of its port, for the same server
    names, it answers ACME's HTTP-01 path and redirects everything else to HTTPS.
    """
    resolved = []
    for vhost, default in zip([v or {} for v in vhosts or []], default_server_flags(vhosts, _listen_key)):
        address = str(vhost.get("listen_address") or "").strip()
        acme = _acme(vhost)
        tls = (bool(vhost.get("tls_certificate")) and bool(vhost.get("tls_certificate_key"))) or acme is not None
        resolved.append({
            "name": _vhost_name(vhost),
            "server_names": list(vhost.get("server_names") or ["_"]),
            "listen_address": None if address in _WILDCARD else address,
            "listen_port": vhost.get("listen_port"),
            "upstream": vhost.get("upstream"),
            "tls": tls,
            "tls_certificate": None if acme else vhost.get("tls_certificate"),
            "tls_certificate_key": None if acme else vhost.get("tls_certificate_key"),
            "acme": acme,
            "default_server": default,
            "http": _http_listener(vhost, tls, acme),
        })
    return resolved


def resolve_sites(sites):
    """Every web server site as nginx.conf and the document roots need it: ``name``, ``port`` (int),
    ``server_names`` (default ``['_']``), ``root`` (default ``/var/www/<name>``), ``default_server`` (the first
    site of each port unless one sets it) and ``page_content`` when given (otherwise the index page is left alone).
    """
    sites = [site or {} for site in sites or []]
    resolved = []
    for site, default in zip(sites, default_server_flags(sites, lambda site: whole(site.get("port")))):
        item = {
            "name": site.get("name"),
            "port": whole(site.get("port")),
            "server_names": list(site.get("server_names") or ["_"]),
            "root": site.get("root") or "/var/www/%s" % site.get("name"),
            "default_server": default,
        }
        if "page_content" in site:
            item["page_content"] = site.get("page_content")
        resolved.append(item)
    return resolved


def _server_problems(where, server, method):
    problems = []
    origin = server["from_host"]
    label = server["label"]

    def say(rule, key, value, allowed):
        if origin:
            problems.append(tagged(rule, "backend %s: nginx_lb_backend_%s is %s (allowed: %s)"
                                   % (label, key, value, allowed)))
        else:
            problems.append(tagged(rule, "%s server %s: %s is %s (allowed: %s)" % (where, label, key, value, allowed)))

    if not server["address"]:
        if origin:
            problems.append(tagged(RULE_SERVER_ADDRESS_MISSING, "backend %s: no address (set nginx_lb_backend_address "
                                   "or gather its facts)" % label))
        else:
            problems.append(tagged(RULE_SERVER_ADDRESS_MISSING, "%s: a server has no address" % where))
    weight = whole(server["weight"])
    if weight is None or weight < 1:
        say(RULE_SERVER_WEIGHT, "weight", server["weight"], "a whole number >= 1")
    max_fails = whole(server["max_fails"])
    if max_fails is None or max_fails < 0:
        say(RULE_SERVER_MAX_FAILS, "max_fails", server["max_fails"], "a whole number >= 0")
    if not matches("nginx_time", str(server["fail_timeout"])):
        say(RULE_SYNTAX_NGINX_TIME, "fail_timeout", server["fail_timeout"], "an nginx time such as 20s")
    if server["address"] and host_problem("address", str(server["address"])):
        say(RULE_SYNTAX_HOST, "address", repr(server["address"]), "an IP address or a host name, without a port")
    if not _port_ok(server["port"]):
        say(RULE_PORT_RANGE, "port", server["port"], "1..65535")
    if not isinstance(server["down"], bool):
        say(RULE_SERVER_DOWN, "down", repr(server["down"]), "true or false")
    if server["backup"] and method in NO_BACKUP_METHODS:
        problems.append(tagged(RULE_SERVER_BACKUP_METHOD, "%s server %s: backup is not allowed with method %s (nginx "
                               "refuses it; allowed with round_robin and least_conn)" % (where, label, method)))
    return problems


def _name_problems(where, name, seen, index, variable, why):
    """A problem when ``name`` is no valid name or ``seen`` (name -> index in ``variable``) has it; records it."""
    problems = []
    if not name or not _NAME.match(str(name)):
        problems.append(tagged(RULE_NAME, "%s: name %r is not allowed (letters, digits, '_', '.', '-', not starting "
                               "with '.' or '-')" % (where, name)))
    elif name in seen:
        problems.append(tagged(RULE_NAME_UNIQUE, "%s: name %r is already used by %s[%d]; %s"
                               % (where, name, variable, seen[name], why)))
    seen.setdefault(name, index)
    return problems


def upstream_problems(upstreams, groups, hostvars, defaults):
    """Problems of ``nginx_lb_upstreams``: names, methods, servers and their parameters."""
    if not upstreams:
        return [tagged(RULE_UPSTREAMS_EMPTY, "nginx_lb_upstreams is empty; define at least one upstream")]
    problems = []
    seen = {}
    resolved = resolve_upstreams(upstreams, groups, hostvars, defaults)
    for index, (given, upstream) in enumerate(zip(upstreams, resolved)):
        given = given or {}
        name = upstream["name"]
        where = "nginx_lb_upstreams[%d] (%s)" % (index, name)
        problems.extend(_name_problems(where, name, seen, index, "nginx_lb_upstreams", "upstream names must be unique"))
        # A method outside the argument spec's choices is refused by its type pass (rule input-choice) before these rules run.
        method = upstream["method"]
        if method == "hash" and not upstream["hash_key"]:
            problems.append(tagged(RULE_HASH_KEY_MISSING, "%s: method hash needs a hash_key such as $request_uri or "
                                   "$remote_addr" % where))
        if method != "hash" and upstream["hash_key"]:
            problems.append(tagged(RULE_HASH_KEY_UNUSED, "%s: hash_key %r is only used with method hash (method is %s)"
                                   % (where, upstream["hash_key"], method)))
        if method != "hash" and upstream["consistent"]:
            problems.append(tagged(RULE_CONSISTENT_HASH, "%s: consistent is only allowed with method hash (method is "
                                   "%s)" % (where, method)))
        keepalive = whole(upstream["keepalive"])
        if keepalive is None or keepalive < 0:
            problems.append(tagged(RULE_UPSTREAM_KEEPALIVE, "%s: keepalive is %s (allowed: a whole number >= 0; 0 "
                                   "disables it)" % (where, upstream["keepalive"])))
        if upstream["hash_key"]:
            problems.extend(syntax_problems([(where + ": hash_key", str(upstream["hash_key"]), "nginx_hash_key")]))
        if not matches("nginx_size", str(upstream["zone_size"])):
            problems.append(tagged(RULE_SYNTAX_NGINX_SIZE, "%s: zone_size is %s (allowed: an nginx size such as 64k)"
                                   % (where, upstream["zone_size"])))
        group = given.get("backend_group")
        if group and given.get("servers"):
            problems.append(tagged(RULE_UPSTREAM_SERVERS_SOURCE, "%s: give backend_group or servers, not both" % where))
        elif group and not (groups or {}).get(group):
            problems.append(tagged(RULE_UPSTREAM_SERVERS_EMPTY, "%s is '%s', which is no inventory group with hosts: "
                                   "an nginx upstream needs at least one server"
                                   % ("nginx_lb_backend_group" if group == defaults.get("backend_group") else where + ": backend_group",
                                      group)))
        elif not group and not given.get("servers"):
            problems.append(tagged(RULE_UPSTREAM_SERVERS_EMPTY, "%s: no servers (give backend_group or a non-empty "
                                   "servers list): an nginx upstream needs at least one server" % where))
        if given.get("port") is not None and not group:
            problems.append(tagged(RULE_UPSTREAM_PORT, "%s: port is only used with backend_group (give each server its "
                                   "port)" % where))
        for server in upstream["servers"]:
            problems.extend(_server_problems(where, server, method))
        problems.extend(_duplicate_server_problems(where, upstream["servers"]))
        if upstream["servers"] and all(s["backup"] or s["down"] for s in upstream["servers"]):
            problems.append(tagged(RULE_UPSTREAM_ACTIVE_SERVER, "%s: every server is backup or down; at least one must "
                                   "take traffic" % where))
    return problems


def _duplicate_server_problems(where, servers):
    """Each address:port once per upstream: a second line would double its share of the traffic unseen."""
    problems = []
    first = {}
    for index, server in enumerate(servers):
        if not server["address"]:
            continue
        key = (str(server["address"]).lower(), str(server["port"]))
        # A backend host by its name, a listed server by its place in the list.
        label = server["label"] if server["from_host"] else "servers[%d]" % index
        if key in first:
            problems.append(tagged(RULE_SERVER_UNIQUE, "%s: server %s:%s is listed twice (%s and %s); list each server "
                                   "once and give it a higher weight instead"
                                   % (where, server["address"], server["port"], first[key], label)))
        else:
            first[key] = label
    return problems


def _address_ok(address):
    try:
        ipaddress.ip_address(address)
        return True
    except ValueError:
        return False


def vhost_problems(vhosts, upstream_names):
    """Problems of ``nginx_lb_vhosts``: names, listen addresses and ports, upstreams, TLS, duplicates."""
    if not vhosts:
        return [tagged(RULE_VHOSTS_EMPTY, "nginx_lb_vhosts is empty; define at least one virtual host")]
    problems = []
    resolved = resolve_vhosts(vhosts)
    names = {}
    served = {}
    listen_tls = {}
    defaults = {}
    known = [n for n in upstream_names if n]
    for index, (given, vhost) in enumerate(zip(vhosts, resolved)):
        given = given or {}
        where = "nginx_lb_vhosts[%d] (%s)" % (index, vhost["name"])
        problems.extend(_name_problems(where, vhost["name"], names, index, "nginx_lb_vhosts",
                                       "give each virtual host its own name"))
        if not _port_ok(vhost["listen_port"]):
            problems.append(tagged(RULE_PORT_RANGE, "%s: listen_port is %s (allowed: 1..65535)"
                                   % (where, vhost["listen_port"])))
        if vhost["listen_address"] and not _address_ok(vhost["listen_address"]):
            problems.append(tagged(RULE_LISTEN_ADDRESS, "%s: listen_address %r is not an IP address"
                                   % (where, vhost["listen_address"])))
        if vhost["upstream"] not in known:
            problems.append(tagged(RULE_VHOST_UPSTREAM, "%s: upstream %r is not defined in nginx_lb_upstreams "
                                   "(defined: %s)" % (where, vhost["upstream"], ", ".join(known) or "none")))
        if "server_names" in given and not given.get("server_names"):
            problems.append(tagged(RULE_SERVER_NAMES_EMPTY, "%s: server_names is empty; give at least one name ('_' "
                                   "matches any)" % where))
        if bool(given.get("tls_certificate")) != bool(given.get("tls_certificate_key")):
            missing = "tls_certificate_key" if given.get("tls_certificate") else "tls_certificate"
            problems.append(tagged(RULE_TLS_BOTH_FILES, "%s: TLS needs both tls_certificate and tls_certificate_key; "
                                   "%s is missing" % (where, missing)))
        listen = _listen_key(given)
        shown = "%s:%s" % listen
        for number, server_name in enumerate(vhost["server_names"]):
            problem = server_name_problem("nginx_lb_vhosts[%d].server_names[%d]" % (index, number), server_name)
            if problem:
                problems.append(problem)
            key = (listen, str(server_name).lower())
            if key in served:
                problems.append(tagged(RULE_SERVER_NAME_UNIQUE, "%s: server_name %r on %s is already served by "
                                       "nginx_lb_vhosts[%d]; each (listen address, port, server_name) needs one "
                                       "virtual host" % (where, server_name, shown, served[key])))
            served.setdefault(key, index)
        if listen in listen_tls and listen_tls[listen][0] != vhost["tls"]:
            problems.append(tagged(RULE_TLS_PER_PORT, "%s: %s is %s here but %s in nginx_lb_vhosts[%d]; every virtual "
                                   "host on one address and port must agree on TLS"
                                   % (where, shown, "TLS" if vhost["tls"] else "plain HTTP",
                                      "TLS" if listen_tls[listen][0] else "plain HTTP", listen_tls[listen][1])))
        listen_tls.setdefault(listen, (vhost["tls"], index))
        if _truth(given.get("default_server", False)):
            if listen in defaults:
                problems.append(tagged(RULE_DEFAULT_SERVER_UNIQUE, "%s: default_server on %s is already set by "
                                       "nginx_lb_vhosts[%d]; one default per address and port"
                                       % (where, shown, defaults[listen])))
            defaults.setdefault(listen, index)
    return problems + _http_listener_problems(vhosts, resolved, served, listen_tls)


def _http_listener_problems(vhosts, resolved, served, listen_tls):
    """Problems of the plain-HTTP listeners (``http_redirect``): only on TLS virtual hosts, a valid port, no server
    name another virtual host serves on that port, no TLS there, and no virtual host on a specific address of that
    port (nginx gives that address's connections only to the servers listening on it: the listener, on every
    address, would never see them)."""
    problems = []
    for index, (given, vhost) in enumerate(zip([v or {} for v in vhosts], resolved)):
        where = "nginx_lb_vhosts[%d] (%s)" % (index, vhost["name"])
        if _truth(given.get("http_redirect", False)) and not vhost["tls"]:
            problems.append(tagged(RULE_HTTP_REDIRECT_TLS, "%s: http_redirect needs TLS (tls_certificate and "
                                   "tls_certificate_key, or acme): it redirects plain HTTP to this virtual host's HTTPS"
                                   % where))
        listener = vhost["http"]
        if listener is None:
            continue
        if not _port_ok(listener["port"]):
            problems.append(tagged(RULE_PORT_RANGE, "%s: http_port is %s (allowed: 1..65535)" % (where, listener["port"])))
            continue
        port = whole(listener["port"])
        if ("*", port) in listen_tls and listen_tls[("*", port)][0]:
            problems.append(tagged(RULE_TLS_PER_PORT, "%s: http_redirect's plain HTTP listener on *:%s, where "
                                   "nginx_lb_vhosts[%d] listens with TLS; every virtual host on one address and port "
                                   "must agree on TLS" % (where, port, listen_tls[("*", port)][1])))
        for server_name in listener["server_names"]:
            other = served.get((("*", port), str(server_name).lower()))
            if other is not None:
                problems.append(tagged(RULE_HTTP_LISTENER_NAME, "%s: http_redirect's plain HTTP listener on *:%s "
                                       "serves server_name %r, which nginx_lb_vhosts[%d] already serves there; leave "
                                       "http_redirect out or the name out of nginx_lb_vhosts[%d]"
                                       % (where, port, server_name, other, other)))
        for number, other in enumerate(resolved):
            if other["listen_address"] and whole(other["listen_port"]) == port:
                problems.append(tagged(RULE_HTTP_LISTENER_SHADOWED, "%s: http_redirect's plain HTTP listener is on "
                                       "every address of port %s, but nginx_lb_vhosts[%d] (%s) listens on %s:%s, and "
                                       "nginx gives that address's connections only to the virtual hosts listening on "
                                       "it; give nginx_lb_vhosts[%d] no listen_address or another http_port"
                                       % (where, port, number, other["name"], other["listen_address"], port, number)))
    return problems


def _local_listener_problems(kind, address, port, vhosts):
    """Problems of a local listener (stub_status, health): a valid address and a port no virtual host uses."""
    problems = []
    if not _port_ok(port):
        problems.append(tagged(RULE_PORT_RANGE, "nginx_lb_%s_port is %s (allowed: 1..65535)" % (kind, port)))
    if not _address_ok(address):
        problems.append(tagged(RULE_LISTEN_ADDRESS, "nginx_lb_%s_address %r is not an IP address" % (kind, address)))
    for index, vhost in enumerate(vhosts):
        if whole(vhost["listen_port"]) == whole(port) and vhost["listen_address"] in (None, address):
            problems.append(tagged(RULE_LOCAL_LISTENER_PORT, "nginx_lb_%s_port %s is also the listen_port of "
                                   "nginx_lb_vhosts[%d] (%s); give %s a port of its own"
                                   % (kind, port, index, vhost["name"], kind)))
        if vhost["http"] and whole(vhost["http"]["port"]) == whole(port):
            problems.append(tagged(RULE_LOCAL_LISTENER_PORT, "nginx_lb_%s_port %s is also the http_port of "
                                   "nginx_lb_vhosts[%d] (%s); give %s a port of its own"
                                   % (kind, port, index, vhost["name"], kind)))
    return problems


def lb_problems(upstreams, vhosts, groups, hostvars, defaults):
    """Every problem of the load balancer inputs (upstreams, virtual hosts, stub_status and health listeners, the
    TLS files on the controller, where filters run)."""
    problems = upstream_problems(upstreams, groups, hostvars, defaults)
    problems += vhost_problems(vhosts, [(u or {}).get("name") for u in upstreams or []])
    problems += syntax_problems([
        ("nginx_lb_served_by_header", defaults.get("served_by_header"), "header"),
        ("nginx_lb_proxy_connect_timeout", defaults.get("proxy_connect_timeout"), "nginx_time"),
        ("nginx_lb_tls_dir", defaults.get("tls_dir"), "path"),
        ("nginx_lb_acme_challenge_dir", defaults.get("acme_challenge_dir"), "path"),
        ("nginx_lb_stub_status_path", defaults.get("stub_status_path"), "uri_path"),
        ("nginx_lb_access_log_flush", defaults.get("access_log_flush"), "nginx_time"),
    ])
    buffer = defaults.get("access_log_buffer")
    if buffer not in (None, "") and not matches("nginx_size", str(buffer)):
        problems.append(tagged(RULE_SYNTAX_NGINX_SIZE, "nginx_lb_access_log_buffer is %r; allowed: an nginx size such "
                               "as 64k, or '' to write every line at once" % (buffer,)))
    problems += worker_processes_problems("nginx_lb_worker_processes", defaults.get("worker_processes"))
    requests = whole(defaults.get("keepalive_requests", 1000))
    if requests is None or requests < 1:
        problems.append(tagged(RULE_KEEPALIVE_REQUESTS, "nginx_lb_keepalive_requests is %r; allowed: a whole number >= "
                               "1 (requests per client connection)" % (defaults.get("keepalive_requests"),)))
    resolved = resolve_vhosts(vhosts)
    listeners = {}
    for kind in ("stub_status", "health"):
        if _truth(defaults.get(kind + "_enabled", False)):
            address = str(defaults.get(kind + "_address") or "")
            port = defaults.get(kind + "_port")
            problems += _local_listener_problems(kind, address, port, resolved)
            listeners[kind] = (address, whole(port))
    if len(listeners) == 2 and listeners["stub_status"] == listeners["health"]:
        problems.append(tagged(RULE_LOCAL_LISTENER_PORT, "nginx_lb_health_port %s on %s is also "
                               "nginx_lb_stub_status_port; give the health location a port of its own"
                               % (listeners["health"][1], listeners["health"][0])))
    problems += acme_problems(vhosts, resolved, defaults)
    for vhost in resolved:
        files = (str(vhost["tls_certificate"]), str(vhost["tls_certificate_key"]))
        if vhost["tls"] and not vhost["acme"] and not (os.path.isfile(files[0]) and os.path.isfile(files[1])):
            problems.append(tagged(RULE_TLS_FILES, "nginx_lb_vhosts (%s): tls_certificate '%s' and tls_certificate_key "
                                   "'%s' must both be files on the controller."
                                   % (vhost["name"], vhost["tls_certificate"], vhost["tls_certificate_key"])))
    if "health" in listeners:
        path = str(defaults.get("health_path") or "")
        if not path.startswith("/") or any(c.isspace() or c in ';{}"\'' for c in path):
            problems.append(tagged(RULE_HEALTH_PATH, "nginx_lb_health_path is %r (allowed: a URI starting with /, "
                                   "without spaces, quotes, ';' or braces)" % path))
    return problems


# A DNS name an ACME CA can validate over HTTP-01: letters, digits and '-' in dot-separated labels, at least two.
_ACME_NAME = re.compile(r"\A(?=.{1,253}\Z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                        r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")


def _acme_name_problem(where, number, name):
    if not isinstance(name, str) or not name:
        why = "not a name"
    elif name.startswith("*") or name.startswith(".") or name.endswith(".*"):
        why = "a wildcard, which needs the DNS-01 challenge; this collection answers HTTP-01 only (list each name)"
    elif name.startswith("~") or name == "_":
        why = "not a DNS name (a regular expression or the catch-all '_'); give acme_names"
    elif _address_ok(name):
        why = "an IP address; ACME certificates here are for DNS names"
    elif not _ACME_NAME.match(name):
        why = "not a DNS name of at least two labels (letters, digits and '-')"
    else:
        return None
    return tagged(RULE_ACME_NAME, "%s: the ACME name [%d] %r is %s" % (where, number, name, why))


def acme_problems(vhosts, resolved, defaults):
    """Problems of the ACME virtual hosts (``acme``) and, when there is one, of the ACME settings: DNS names only
    (no wildcard, IP address or '_'), no certificate files as well, the plain-HTTP listener on port 80 (HTTP-01
    always asks port 80), an HTTPS directory URL, an account key, the CA's terms agreed, a renewal threshold of at
    least one day, a CA bundle that is a file on the controller."""
    problems = []
    used = False
    for index, (given, vhost) in enumerate(zip([v or {} for v in vhosts or []], resolved)):
        if vhost["acme"] is None:
            if given.get("acme_names"):
                problems.append(tagged(RULE_ACME_NAME, "nginx_lb_vhosts[%d] (%s): acme_names is only used with acme: "
                                       "true" % (index, vhost["name"])))
            continue
        used = True
        where = "nginx_lb_vhosts[%d] (%s)" % (index, vhost["name"])
        if given.get("tls_certificate") or given.get("tls_certificate_key"):
            problems.append(tagged(RULE_ACME_WITH_FILES, "%s: acme and tls_certificate/tls_certificate_key are both "
                                   "given; the certificate comes from the ACME CA or from files, not both" % where))
        if not vhost["acme"]["names"]:
            problems.append(tagged(RULE_ACME_NAME, "%s: acme_names is empty; give at least one DNS name" % where))
        for number, name in enumerate(vhost["acme"]["names"]):
            problem = _acme_name_problem(where, number, name)
            if problem:
                problems.append(problem)
        port = vhost["http"]["port"] if vhost["http"] else None
        if whole(port) != 80:
            problems.append(tagged(RULE_ACME_HTTP_PORT, "%s: http_port is %s, but an ACME CA asks HTTP-01 on port 80 "
                                   "(allowed: 80 or unset)" % (where, port)))
    if not used:
        return problems
    directory = str(defaults.get("acme_directory_url") or "")
    if not re.match(r"\Ahttps://[^\s/]+(/\S*)?\Z", directory):
        problems.append(tagged(RULE_ACME_DIRECTORY, "nginx_lb_acme_directory_url is %r; allowed: the CA's directory "
                               "URL over HTTPS (https://...)" % directory))
    key_src = str(defaults.get("acme_account_key_src") or "")
    if key_src and not os.path.isfile(key_src):
        problems.append(tagged(RULE_ACME_ACCOUNT_KEY, "nginx_lb_acme_account_key_src '%s' is not a file on the "
                               "controller" % key_src))
    elif not key_src and not _truth(defaults.get("acme_account_key_content_given", False)):
        problems.append(tagged(RULE_ACME_ACCOUNT_KEY, "a virtual host uses acme, but neither "
                               "nginx_lb_acme_account_key_src nor nginx_lb_acme_account_key_content is given (the "
                               "ACME account's private key, on the controller or in the vault)"))
    if not _truth(defaults.get("acme_terms_agreed", False)):
        problems.append(tagged(RULE_ACME_TERMS, "a virtual host uses acme, but nginx_lb_acme_terms_agreed is not true; "
                               "read the CA's terms of service and set it to agree"))
    days = whole(defaults.get("acme_renew_days"))
    if days is None or days < 1:
        problems.append(tagged(RULE_ACME_RENEW_DAYS, "nginx_lb_acme_renew_days is %r; allowed: a whole number >= 1 "
                               "(renew when fewer days remain)" % (defaults.get("acme_renew_days"),)))
    bundle = str(defaults.get("acme_ca_bundle") or "")
    if bundle and not os.path.isfile(bundle):
        problems.append(tagged(RULE_ACME_CA_BUNDLE, "nginx_lb_acme_ca_bundle '%s' is not a file on the controller"
                               % bundle))
    return problems


def worker_processes_problems(variable, value):
    """``auto`` or a whole number 1..1024 (nginx's worker_processes)."""
    if value is None or str(value) == "auto" or (whole(value) is not None and 1 <= whole(value) <= 1024):
        return []
    return [tagged(RULE_WORKER_PROCESSES, "%s is %r; allowed: auto or a whole number 1..1024" % (variable, value))]


def nonlocal_bind_sysctls(vhosts, mode="auto"):
    """The sysctls (``net.ipv4.ip_nonlocal_bind``, ``net.ipv6.ip_nonlocal_bind``) nginx needs set to 1.

    ``auto``: those of the address families of virtual hosts that listen on a specific address (a VIP
    the host may not hold); ``always``: both; ``never``: none.
    """
    if mode == "never":
        return []
    if mode == "always":
        return ["net.ipv4.ip_nonlocal_bind", "net.ipv6.ip_nonlocal_bind"]
    wanted = set()
    for vhost in resolve_vhosts(vhosts):
        address = vhost["listen_address"]
        if address and _address_ok(address):
            wanted.add("net.ipv%d.ip_nonlocal_bind" % ipaddress.ip_address(address).version)
    return sorted(wanted)


def site_problems(sites, settings=None):
    """Problems of ``webserver_sites``: names, ports, server names, roots and page contents; ``settings``
    may hold ``worker_processes``, ``port`` and ``page_content`` (webserver_worker_processes, webserver_port,
    webserver_page_content)."""
    settings = settings or {}
    problems = []
    if "port" in settings and not _port_ok(settings.get("port")):
        problems.append(tagged(RULE_PORT_RANGE, "webserver_port is %s (allowed: 1..65535)" % (settings.get("port"),)))
    if "page_content" in settings and not str(settings.get("page_content") or "").strip():
        problems.append(tagged(RULE_PAGE_CONTENT, "webserver_page_content is %r (must not be empty)"
                               % (settings.get("page_content"),)))
    if not sites:
        return problems + [tagged(RULE_SITES_EMPTY, "webserver_sites is empty; define at least one site")]
    problems += worker_processes_problems("webserver_worker_processes", settings.get("worker_processes"))
    names = {}
    served = {}
    roots = {}
    defaults = {}
    for index, site in enumerate(sites):
        site = site or {}
        name = site.get("name")
        where = "webserver_sites[%d] (%s)" % (index, name)
        problems.extend(_name_problems(where, name, names, index, "webserver_sites", "site names must be unique"))
        port = site.get("port")
        if not _port_ok(port):
            problems.append(tagged(RULE_PORT_RANGE, "%s: port is %s (allowed: 1..65535)" % (where, port)))
        server_names = site.get("server_names")
        if server_names is not None and not server_names:
            problems.append(tagged(RULE_SERVER_NAMES_EMPTY, "%s: server_names is empty; give at least one name ('_' "
                                   "matches any)" % where))
        for number, server_name in enumerate(["_"] if server_names is None else server_names):
            problem = server_name_problem("webserver_sites[%d].server_names[%d]" % (index, number), server_name)
            if problem:
                problems.append(problem)
            key = (whole(port), str(server_name).lower())
            if key in served:
                problems.append(tagged(RULE_SERVER_NAME_UNIQUE, "%s: server_name %r on port %s is already served by "
                                       "webserver_sites[%d]; each (port, server_name) needs one site"
                                       % (where, server_name, port, served[key])))
            served.setdefault(key, index)
        root = site.get("root") or "/var/www/%s" % name
        if not matches("path", str(root)):
            problems.append(tagged(RULE_SYNTAX_PATH, "%s: root is %r (allowed: an absolute path of letters, digits, "
                                   "'_', '.', '@', '+', '-' separated by '/', without '.' or '..' parts)"
                                   % (where, root)))
        elif root in roots:
            problems.append(tagged(RULE_ROOT_UNIQUE, "%s: root %s is already the root of webserver_sites[%d]; each "
                                   "site needs its own document root" % (where, root, roots[root])))
        else:
            roots[root] = index
        if _truth(site.get("default_server", False)):
            if whole(port) in defaults:
                problems.append(tagged(RULE_DEFAULT_SERVER_UNIQUE, "%s: default_server on port %s is already set by "
                                       "webserver_sites[%d]; one default per port"
                                       % (where, port, defaults[whole(port)])))
            defaults.setdefault(whole(port), index)
        if "page_content" in site and not str(site.get("page_content") or "").strip():
            problems.append(tagged(RULE_PAGE_CONTENT, "%s: page_content is empty (omit it to leave the index page "
                                   "alone)" % where))
    return problems
