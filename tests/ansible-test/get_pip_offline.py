# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for pip's get-pip.py, used by tests/run-ansible-test.sh.

ansible-test bootstraps pip in each sanity virtual environment with a get-pip.py it downloads from
ci-files.testing.ansible.com, which this lab cannot reach. This script does the same job from what the
machine already has: ensurepip (the pip wheel bundled with Python), then pip installs the requested
packages (e.g. pip==24.2) from the package index pip is configured for (PyPI).
Arguments are those ansible-test passes to get-pip.py: pip install arguments.
"""

from __future__ import absolute_import, division, print_function

import subprocess
import sys

__metaclass__ = type


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
    args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args)


if __name__ == "__main__":
    main()
