#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: lb_distribution
short_description: Measure how a load balancer spreads HTTP requests over its backends
version_added: 1.0.0
description:
  - Runs where the clients are. Sends O(requests) HTTP(S) requests to O(url), one new connection per
    request, with the Python standard library (no proxy is used).
  - Identifies the backend of each response by O(backend_regex) on the body or by the header
    O(backend_header), and the load balancer by the header O(lb_header).
  - Returns counts per backend and per load balancer, the ordered sequence of backends, the errors with
    their reasons and latency percentiles.
  - With O(expected_weights) and no O(tolerance), the sequence must be exactly nginx's smooth weighted
    round robin, starting at any phase of its cycle (nginx keeps its position between runs). This needs
    the upstream to share its state between nginx workers (a C(zone)) or a single worker.
  - With O(tolerance), each backend's share must be within O(tolerance) times its expected share.
  - Read-only as far as this module is concerned; the requests are GETs.
author:
  - halb maintainers (@halb)
options:
  url:
    description: URL to request, C(http://) or C(https://); an IPv6 address in brackets (C(http://[2001:db8::183]/)).
    type: str
    required: true
  requests:
    description: Number of requests to send (1 to 10000).
    type: int
    default: 30
  timeout:
    description: Seconds allowed per request.
    type: float
    default: 3.0
  total_timeout:
    description: Seconds allowed for all requests; the requests not sent when it runs out count as errors.
    type: float
    default: 120.0
  host_header:
    description: Value of the C(Host) header, when it must differ from the URL's host.
    type: str
  validate_certs:
    description: Verify the server certificate for C(https://) URLs.
    type: bool
    default: true
  backend_regex:
    description:
      - Regular expression searched in the response body; its first capture group (or the whole match
        when it has no group) names the backend. Default C(^(\S+)), the first word of the body.
    type: str
  backend_header:
    description: Response header naming the backend, instead of O(backend_regex).
    type: str
  lb_header:
    description: Response header naming the load balancer.
    type: str
    default: X-Load-Balancer
  expected_weights:
    description:
      - The upstream's backends, in upstream order, with their weights.
    type: list
    elements: dict
    suboptions:
      name:
        description: Backend name, as O(backend_regex) or O(backend_header) reads it.
        type: str
        required: true
      weight:
        description: nginx upstream weight.
        type: int
        default: 1
  tolerance:
    description:
      - Relative tolerance (C(0.1) = 10%) on each backend's share instead of the exact sequence check.
    type: float
  max_errors:
    description: Fail when more requests than this fail (refused, timeout, HTTP status >= 500, no backend id).
    type: int
    default: 0
notes:
  - Supports check mode; the requests are sent in check mode too.
seealso:
  - module: halb.nginx_keepalived.vip_owner
extends_documentation_fragment:
  - halb.nginx_keepalived.read_only
"""

EXAMPLES = r"""
- name: Check that the VIP spreads 30 requests exactly by the upstream weights
  halb.nginx_keepalived.lb_distribution:
    url: http://198.18.70.183/
    requests: 30
    expected_weights:
      - name: web1
        weight: 1
      - name: web2
        weight: 2
  register: distribution

- name: Accept 10% deviation on an HTTPS virtual host
  halb.nginx_keepalived.lb_distribution:
    url: https://198.18.70.183/
    host_header: www.example.test
    validate_certs: false
    requests: 300
    expected_weights:
      - {name: web1, weight: 1}
      - {name: web2, weight: 2}
    tolerance: 0.1
    max_errors: 3
"""

RETURN = r"""
requested:
  description: Requests asked for.
  returned: always
  type: int
  sample: 30
succeeded:
  description: Responses whose backend was identified.
  returned: always
  type: int
  sample: 30
failed:
  description: Requests counted as errors (including those not sent when O(total_timeout) ran out).
  returned: always
  type: int
  sample: 0
backends:
  description: Responses per backend, in order of first appearance.
  returned: always
  type: dict
  sample: {web2: 20, web1: 10}
load_balancers:
  description: Responses per value of O(lb_header) (C(none) when absent).
  returned: always
  type: dict
  sample: {lb1: 30}
sequence:
  description: Backend of each successful response, in order.
  returned: always
  type: list
  elements: str
  sample: [web2, web1, web2]
errors:
  description: The failed requests (index from 0 and reason).
  returned: always
  type: list
  elements: dict
  sample: [{index: 3, reason: "HTTP 502"}]
error_reasons:
  description: Failed requests per reason.
  returned: always
  type: dict
  sample: {"HTTP 502": 1}
latency_ms:
  description: Latency of successful responses in milliseconds (count, min, p50, p95, p99, max, mean).
  returned: always
  type: dict
  sample: {count: 30, min: 1.1, p50: 1.6, p95: 2.9, p99: 3.4, max: 3.4, mean: 1.8}
budget_exhausted:
  description: Whether O(total_timeout) ran out before all requests were sent.
  returned: always
  type: bool
  sample: false
verdict:
  description:
    - The comparison with O(expected_weights) (mode C(exact), C(tolerance) or C(none)).
    - C(silent) lists the backends that answered none of the responses although their weight expects
      at least one (stopped, or marked down by nginx); the message then names them first.
  returned: always
  type: dict
  sample: {mode: exact, ok: true, phase: 1, mismatch_index: null, silent: [], message: "..."}
"""

import http.client
import re
import socket
import ssl
import time
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._distribution import (
    count_in_order,
    latency_summary,
    verdict_exact,
    verdict_tolerance,
)

MAX_REQUESTS = 10000
DEFAULT_BACKEND_REGEX = r"^(\S+)"


def one_request(target, params, regex):
    """Send one GET; return (backend, lb, error_reason, latency_ms)."""
    scheme, host, port, path = target
    timeout = params["timeout"]
    if scheme == "https":
        context = ssl.create_default_context()
        if not params["validate_certs"]:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    headers = {"Connection": "close", "User-Agent": "halb.nginx_keepalived.lb_distribution"}
    if params["host_header"]:
        headers["Host"] = params["host_header"]
    start = time.monotonic()
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        body = resp.read(65536)
        elapsed = (time.monotonic() - start) * 1000.0
    except (socket.timeout, TimeoutError) as exc:
        return None, None, "timeout after %gs (%s)" % (timeout, to_native(exc) or type(exc).__name__), None
    except ssl.SSLError as exc:
        return None, None, "TLS error: %s" % to_native(exc), None
    except ConnectionRefusedError:
        return None, None, "connection refused", None
    except (OSError, http.client.HTTPException) as exc:
        return None, None, "%s: %s" % (type(exc).__name__, to_native(exc)), None
    finally:
        conn.close()
    lb = resp.getheader(params["lb_header"]) if params["lb_header"] else None
    if resp.status >= 500:
        return None, lb, "HTTP %d" % resp.status, elapsed
    if params["backend_header"]:
        backend = resp.getheader(params["backend_header"])
        if not backend:
            return None, lb, "HTTP %d without header %s" % (resp.status, params["backend_header"]), elapsed
        return backend, lb, None, elapsed
    match = regex.search(body.decode("utf-8", "replace"))
    if not match:
        return None, lb, "HTTP %d body does not match the backend regex" % resp.status, elapsed
    backend = match.group(1) if regex.groups else match.group(0)
    return backend, lb, None, elapsed


def parse_target(module, url):
    parts = urlsplit(url)
    if parts.netloc.count(":") > 1 and "[" not in parts.netloc:
        module.fail_json(msg="url %r has an IPv6 address without brackets; allowed: http://[IPv6 address]:port/" % url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        module.fail_json(msg="url %r must be an http:// or https:// URL with a host" % url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        module.fail_json(msg="url %r has a bad port: %s" % (url, to_native(exc)))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def main():
    module = AnsibleModule(
        argument_spec=dict(
            url=dict(type="str", required=True),
            requests=dict(type="int", default=30),
            timeout=dict(type="float", default=3.0),
            total_timeout=dict(type="float", default=120.0),
            host_header=dict(type="str"),
            validate_certs=dict(type="bool", default=True),
            backend_regex=dict(type="str"),
            backend_header=dict(type="str"),
            lb_header=dict(type="str", default="X-Load-Balancer"),
            expected_weights=dict(type="list", elements="dict", options=dict(
                name=dict(type="str", required=True),
                weight=dict(type="int", default=1),
            )),
            tolerance=dict(type="float"),
            max_errors=dict(type="int", default=0),
        ),
        mutually_exclusive=[("backend_regex", "backend_header")],
        required_by={"tolerance": "expected_weights"},
        supports_check_mode=True,
    )
    params = module.params
    if not 1 <= params["requests"] <= MAX_REQUESTS:
        module.fail_json(msg="requests must be within 1..%d, got %d" % (MAX_REQUESTS, params["requests"]))
    if not 0 < params["timeout"] <= 60:
        module.fail_json(msg="timeout must be greater than 0 and at most 60 seconds")
    if not 0 < params["total_timeout"] <= 3600:
        module.fail_json(msg="total_timeout must be greater than 0 and at most 3600 seconds")
    if params["tolerance"] is not None and not 0 <= params["tolerance"] <= 1:
        module.fail_json(msg="tolerance must be within 0..1, got %s" % params["tolerance"])
    if params["max_errors"] < 0:
        module.fail_json(msg="max_errors must be >= 0")
    weights = None
    if params["expected_weights"] is not None:
        weights = [(w["name"], w["weight"]) for w in params["expected_weights"]]
        if not weights:
            module.fail_json(msg="expected_weights is empty")
        bad = [n for n, w in weights if w < 1]
        if bad:
            module.fail_json(msg="expected_weights: weight must be >= 1 for %s" % ", ".join(bad))
        names = [n for n, dummy in weights]
        if len(set(names)) != len(names):
            module.fail_json(msg="expected_weights names the same backend twice: %s" % ", ".join(names))
    try:
        regex = re.compile(params["backend_regex"] or DEFAULT_BACKEND_REGEX)
    except re.error as exc:
        module.fail_json(msg="backend_regex %r is not a valid regular expression: %s"
                         % (params["backend_regex"], to_native(exc)))
    target = parse_target(module, params["url"])

    sequence, lbs, errors, latencies = [], [], [], []
    deadline = time.monotonic() + params["total_timeout"]
    budget_exhausted = False
    for index in range(params["requests"]):
        if time.monotonic() >= deadline:
            budget_exhausted = True
            for missing in range(index, params["requests"]):
                errors.append({"index": missing, "reason": "not sent: total_timeout of %gs ran out"
                               % params["total_timeout"]})
            break
        backend, lb, reason, elapsed = one_request(target, params, regex)
        if reason:
            errors.append({"index": index, "reason": reason})
            continue
        sequence.append(backend)
        lbs.append(lb if lb else "none")
        latencies.append(elapsed)

    error_reasons = count_in_order(e["reason"] for e in errors)
    result = dict(
        changed=False,
        url=params["url"],
        requested=params["requests"],
        succeeded=len(sequence),
        failed=len(errors),
        backends=dict(count_in_order(sequence)),
        load_balancers=dict(count_in_order(lbs)),
        sequence=sequence,
        errors=errors[:100],
        error_reasons=dict(error_reasons),
        latency_ms=latency_summary(latencies),
        budget_exhausted=budget_exhausted,
    )
    if weights is None:
        verdict = {"mode": "none", "ok": True, "message": "%d of %d requests answered; no expected weights given"
                   % (len(sequence), params["requests"])}
    elif params["tolerance"] is None:
        verdict = verdict_exact(sequence, weights)
    else:
        verdict = verdict_tolerance(sequence, weights, params["tolerance"])
    result["verdict"] = verdict

    problems = []
    if len(errors) > params["max_errors"]:
        problems.append("%d of %d requests to %s failed (max_errors %d): %s"
                        % (len(errors), params["requests"], params["url"], params["max_errors"],
                           ", ".join("%s x%d" % (r, c) for r, c in error_reasons.items())))
    if not verdict["ok"]:
        problems.append(verdict["message"])
    if problems:
        module.fail_json(msg="\n".join(problems), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
