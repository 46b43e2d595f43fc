# -*- coding: utf-8 -*-
"""The corpus hosts' facts, shared by every test of this folder that runs site.yml on local hosts.

Every corpus host is this machine, so its facts are gathered once per test worker (``corpus_facts``) and each
run reads them from its own copy of that fact cache (``gathering = smart``): the same facts site.yml would
gather, without the 1.7 s and half the CPU of each run that gathering them again cost.
"""

import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The corpus hosts: lb1, lb2, web1, web2 (the names of inventories/example too).
CORPUS_HOSTS = 4


def _cache_env(facts_dir):
    """ansible-playbook reads (and a run may add to) the fact cache in facts_dir; smart gathering skips hosts in it."""
    return {"ANSIBLE_GATHERING": "smart", "ANSIBLE_CACHE_PLUGIN": "jsonfile",
            "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(facts_dir), "ANSIBLE_CACHE_PLUGIN_TIMEOUT": "0"}


@pytest.fixture(scope="session")
def corpus_facts(tmp_path_factory):
    """The corpus hosts' facts, gathered once (gather_facts, as a play gathers them: smart gathering then skips)."""
    facts_dir = tmp_path_factory.mktemp("facts")
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible"), "all", "-i", os.path.join(HERE, "inventory.yml"),
           "-m", "ansible.builtin.gather_facts", "-e", "ansible_python_interpreter=" + sys.executable]
    run = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, **_cache_env(facts_dir)), capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, "gathering the corpus hosts' facts failed:\n" + run.stdout[-3000:] + run.stderr[-2000:]
    assert len(os.listdir(facts_dir)) == CORPUS_HOSTS, os.listdir(facts_dir)
    return facts_dir


@pytest.fixture
def playbook_env(tmp_path, corpus_facts):
    """The environment of one ansible-playbook run: plain output, and its own copy of the corpus hosts' facts."""
    shutil.copytree(corpus_facts, tmp_path / "facts")
    return dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_CALLBACK_RESULT_FORMAT="json",
                ANSIBLE_STDOUT_CALLBACK="default", **_cache_env(tmp_path / "facts"))


@pytest.fixture(scope="session")
def tls_dir(tmp_path_factory):
    """A self-signed certificate (corpus.crt) with its key (corpus.key), and a key of another pair (other.key), for
    the cases that refuse a key that is not the certificate's (``@TLS_DIR@`` in a case)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "corpus.halb.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (folder / "corpus.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    for path, private in (("corpus.key", key), ("other.key", other)):
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        (folder / path).write_bytes(pem)
    return str(folder)
