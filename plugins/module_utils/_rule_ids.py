# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a validation problem names its rule: the sentence, then the rule id in brackets.

Each rule's id is a ``RULE_* = "id"`` constant of the module that owns the rule; every corpus case
(tests/validation/bad_inputs*.yml) names the id its refusal prints, and tests/unit/test_rule_ids.py checks both ways.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def tagged(rule, sentence):
    """``sentence`` ending with `` [rule]``."""
    return "%s [%s]" % (sentence, rule)
