# -*- coding: utf-8 -*-
# Copyright (c) 2025, halb maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Usage: wait-http.py SECONDS URL...

Wait, at most SECONDS in all, until every URL answers 200 (asked again every half second). Bounded, and
silent while it waits; on time-out prints the URL and its last error and exits 1. The URLs are lab
containers on this machine: no proxy is used.
"""
import sys
import time
import urllib.request


def main():
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + float(sys.argv[1])
    for url in sys.argv[2:]:
        while True:
            try:
                with opener.open(url, timeout=2) as response:
                    if response.status == 200:
                        break
                    error = "HTTP %s" % response.status
            except OSError as exc:
                error = str(exc)
            if time.monotonic() >= deadline:
                sys.exit("%s does not answer 200 after %s s: %s" % (url, sys.argv[1], error))
            time.sleep(0.5)


if __name__ == "__main__":
    main()
