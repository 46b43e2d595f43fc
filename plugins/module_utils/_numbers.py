# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading numbers and flags from inventory values, one way for every rule and model: an int or float, or a string
that spells one; a yes/no flag as Ansible's ``bool`` filter reads it.

A boolean is never a number here (Python counts True as 1; an inventory that says ``true`` for a port means
something else).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from typing import Any, Optional

_WHOLE = re.compile(r"\A\s*-?[0-9]+\s*\Z")


def whole(value: Any) -> Optional[int]:
    """``value`` as an int when it is a whole number (an int, or a string of digits with an optional minus), else
    None. A float is not a whole number here, even 2.0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE.match(value):
        return int(value)
    return None


def number(value: Any) -> Optional[float]:
    """``value`` as a float when it is an int, a float or a numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def flag(value: Any) -> bool:
    """A yes/no value as Ansible's ``bool`` filter reads it: a bool, a number, or a word (``yes``, ``on``, ``true``,
    ``1``, ``y``, ``t`` are true; the type pass refuses any other word before a model is resolved)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y", "t")
    return bool(value)
