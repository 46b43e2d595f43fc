# -*- coding: utf-8 -*-
"""Reading numbers from inventory values (module_utils/_numbers.py), the one converter every rule uses."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.halb.nginx_keepalived.plugins.module_utils._numbers import number, whole


@pytest.mark.parametrize("value, expected", [
    (80, 80), ("80", 80), (" -5 ", -5), ("0", 0),
    (True, None), (2.0, None), ("2.5", None), ("eighty", None), ("", None), (None, None), ("8\n0", None), ([80], None),
])
def test_whole(value, expected):
    assert whole(value) == expected


@pytest.mark.parametrize("value, expected", [
    (1, 1.0), (0.1, 0.1), ("0.25", 0.25), (" 2 ", 2.0),
    (False, None), ("often", None), (None, None), ({}, None),
])
def test_number(value, expected):
    assert number(value) == expected
