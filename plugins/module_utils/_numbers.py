# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading numbers from inventory values, one way for every rule: an int or float, or a string that spells one.

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
