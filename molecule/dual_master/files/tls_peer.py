# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a TLS client sees of a virtual host through an address (molecule/dual_master, on the client).

  tls_peer.py root URL FILE              save an ACME test CA's root (Pebble's management API, its own listener
                                         certificate not checked) to FILE
  tls_peer.py peer ADDRESS NAME CAFILE   connect to ADDRESS:443 with SNI NAME, verify the chain against CAFILE and
                                         the name, GET / and print JSON: the leaf's sha256, its notAfter and the
                                         X-Load-Balancer header (which member answered)
"""
import hashlib
import json
import socket
import ssl
import sys
import urllib.request


def root(url, path):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url, context=context, timeout=10) as response:
        pem = response.read().decode()
    with open(path, "w") as handle:
        handle.write(pem)


def peer(address, name, cafile):
    context = ssl.create_default_context(cafile=cafile)
    with socket.create_connection((address, 443), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=name) as tls:
            der = tls.getpeercert(binary_form=True)
            not_after = tls.getpeercert()["notAfter"]
            tls.sendall(("GET / HTTP/1.0\r\nHost: %s\r\n\r\n" % name).encode())
            response = b""
            while len(response) < 65536:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                response += chunk
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    served_by = [line.split(":", 1)[1].strip() for line in head[1:] if line.lower().startswith("x-load-balancer:")]
    print(json.dumps({"sha256": hashlib.sha256(der).hexdigest(), "not_after": not_after, "status": head[0],
                      "served_by": served_by[0] if served_by else None}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["root"] and len(sys.argv) == 4:
        root(*sys.argv[2:])
    elif sys.argv[1:2] == ["peer"] and len(sys.argv) == 5:
        peer(*sys.argv[2:])
    else:
        sys.exit(__doc__)
