# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documentation: a short README, links that resolve, nothing of the long README lost, a tested first inventory.

README.md was split (issue 28): its reference sections moved to docs/*.md and its role variable tables to
roles/<role>/README.md. fixtures/docs/README-before.md is the README as it was; every heading, code block,
table row and paragraph of it must still be found in README.md, CONTRIBUTING.md, docs/*.md or a role README
(a few paragraphs were shortened in README.md: SHORTENED lists them and the facts each must keep). One sentence
differs from the old README, in the fixture and in README.md alike: it names the example's hosts without their
addresses, which no test file may hold (the README shows them in the example inventory's files). The rows of
variables whose documentation a later change rewrote are the rewritten rows in the fixture too (their defaults now
follow nginx_lb: keepalived_check_url, keepalived_backend_check_port, keepalived_backend_check_peer_port), and so
is the safety paragraph on validation (rewritten when the validation got its three passes and rule ids), and the
limit on TLS (rewritten when nginx_lb got http_redirect).
"""

from __future__ import absolute_import, division, print_function

import glob
import os
import re

try:
    from urllib.parse import unquote
except ImportError:  # pragma: no cover - Python 2 is not supported by the collection's tooling
    from urllib import unquote

import pytest

__metaclass__ = type

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BEFORE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "docs", "README-before.md")
README_MAX_BYTES = 12288
EXAMPLE = os.path.join(ROOT, "inventories", "example")

# Paragraphs of the old README that README.md now says in fewer words: their first words, and the facts the
# new README must still state.
SHORTENED = {
    "`make demo` installs the docker engine": [
        "`debootstrap`", "`dockerd`", "`.venv`", "pinned tooling", "no registry", "`playbooks/master_backup.yml`",
        "builds keepalived from its release tarball", "holds the VIP", "`halb-client`", "web2, web1, web2",
        "weights 1 and 2", "VIP on the backup", "idempotent", "`make lab-down` removes the lab",
    ],
    "`make test` runs the unit tests": [
        "ansible-lint", "`ansible-test sanity`", "over 120", "refused by `site.yml` with its exact error",
        "while no host changes", "Galaxy round trip", "alert rule tests", "molecule scenarios", "real containers",
        "keepalived built from source", "real HTTP traffic", "SMTP and Prometheus", "minutes on a 2-core CI machine",
        "2-core", "[CONTRIBUTING.md](CONTRIBUTING.md)", "where the time goes", "a bad-input case",
        "a unit-test fixture",
    ],
}
# Lines of the old README that described its own machinery (the generated tables' markers), not the collection.
DROPPED = ("<!-- BEGIN ROLE VARIABLES -->", "<!-- END ROLE VARIABLES -->", "<!-- Generated from roles/*/meta/")

_FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def doc_files(root=ROOT):
    """The Markdown files a reader of the repository follows links through."""
    files = [os.path.join(root, "README.md"), os.path.join(root, "CONTRIBUTING.md")]
    files += sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    files += sorted(glob.glob(os.path.join(root, "roles", "*", "README.md")))
    return [f for f in files if os.path.isfile(f)]


def code_blocks(text):
    return [m.group(2) for m in _FENCE.finditer(text)]


def without_code(text):
    """The text with fenced code blocks and inline code spans blanked (no link or heading hides in them)."""
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _INLINE_CODE.sub("``", text)


def headings(text):
    return [m.group(2) for m in _HEADING.finditer(_FENCE.sub("", text))]


def slug(heading):
    """GitHub's anchor for a heading: link text kept, markup and punctuation dropped, lower case, spaces to dashes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text):
    """Every anchor of a Markdown text, repeated headings numbered as GitHub numbers them (-1, -2, ...)."""
    seen = {}
    out = set()
    for heading in headings(text):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else "%s-%d" % (base, count))
    return out


def links(text):
    """The targets of every inline, image and reference link outside code."""
    plain = without_code(text)
    return [m.group(1) for m in _LINK.finditer(plain)] + [m.group(1) for m in _REFERENCE.finditer(plain)]


def broken_links(path, root=ROOT):
    """The relative links of a Markdown file that resolve to no file, or to no heading of the file they name."""
    problems = []
    for target in links(_read(path)):
        if not target or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target):
            continue  # an absolute URL (https:, mailto:): not checked offline
        file_part, dummy, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), unquote(file_part))) if file_part else path
        if not os.path.exists(dest) or not (dest + os.sep).startswith(os.path.join(root, "")):
            problems.append("%s: %s (no such file in the repository)" % (os.path.relpath(path, root), target))
        elif anchor and dest.endswith(".md") and unquote(anchor) not in anchors(_read(dest)):
            problems.append("%s: %s (no heading with that anchor in %s)"
                            % (os.path.relpath(path, root), target, os.path.relpath(dest, root)))
    return problems


def _normalize(text):
    """For finding text again after a move: link targets dropped (they change with the file), white space folded."""
    text = re.sub(r"(!?\[(?:[^\[\]]|\[[^\]]*\])*\])\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\[\]]*)\]", r"\1", text)
    return " ".join(text.split())


def _heading_text(heading):
    return " ".join(heading.strip().strip("`").split())


def prose_blocks(text):
    """Paragraphs, list items and table rows of a Markdown text (code blocks and headings left out)."""
    blocks = []
    for chunk in re.split(r"\n[ \t]*\n", _FENCE.sub("\n\n", text)):
        lines = [line for line in chunk.splitlines() if line.strip() and not _HEADING.match(line)]
        current = []
        for line in lines:
            if line.startswith(("- ", "* ", "|")) and current:
                blocks.append("\n".join(current))
                current = []
            current.append(line)
            if line.startswith("|"):
                blocks.append(line)
                current = []
        if current:
            blocks.append("\n".join(current))
    return blocks


def _after_the_move(root=ROOT):
    return "\n\n".join(_read(path) for path in doc_files(root))


def test_readme_fits_on_a_screen_or_two():
    size = os.path.getsize(os.path.join(ROOT, "README.md"))
    assert size <= README_MAX_BYTES, "README.md is %d bytes, more than %d: move reference to docs/" % (
        size, README_MAX_BYTES)


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: os.path.relpath(p, ROOT))
def test_relative_links_resolve(path):
    assert broken_links(path) == []


def test_every_heading_of_the_old_readme_is_kept():
    found = set(_heading_text(h) for path in doc_files() for h in headings(_read(path)))
    missing = [h for h in headings(_read(BEFORE)) if _heading_text(h) not in found]
    assert missing == [], "headings of the old README found in no document: %s" % missing


def test_every_code_block_of_the_old_readme_is_kept():
    after = [_normalize(block) for path in doc_files() for block in code_blocks(_read(path))]
    missing = [block for block in code_blocks(_read(BEFORE))
               if not any(_normalize(block) in other for other in after)]
    assert missing == [], "code blocks of the old README found in no document:\n%s" % "\n---\n".join(missing)


def test_every_paragraph_and_table_row_of_the_old_readme_is_kept():
    after = _normalize(_after_the_move())
    missing = []
    for block in prose_blocks(_read(BEFORE)):
        if block.startswith(DROPPED) or block.startswith(tuple(SHORTENED)):
            continue
        if _normalize(block) not in after:
            missing.append(block)
    assert missing == [], "text of the old README found in no document:\n%s" % "\n---\n".join(missing)


def test_shortened_paragraphs_keep_their_facts():
    before = prose_blocks(_read(BEFORE))
    readme = _read(os.path.join(ROOT, "README.md"))
    for start, facts in SHORTENED.items():
        assert [b for b in before if b.startswith(start)], "SHORTENED names no paragraph of the old README: %r" % start
        lost = [fact for fact in facts if fact not in " ".join(readme.split())]
        assert lost == [], "README.md lost these facts of the paragraph %r: %s" % (start, lost)


def test_readme_shows_the_example_inventory_verbatim():
    readme = _read(os.path.join(ROOT, "README.md"))
    shown = ["hosts.yml", "group_vars/load_balancers/main.yml", "group_vars/webservers.yml"]
    files = sorted(os.path.relpath(p, EXAMPLE) for p in glob.glob(os.path.join(EXAMPLE, "**", "*.yml"), recursive=True))
    assert files == sorted(shown), "inventories/example has other files than the README shows: %s" % files
    for name in shown:
        label = "`inventories/example/%s`:" % name
        assert label in readme, "README.md does not name %s" % label
        after_label = readme[readme.index(label):]
        block = code_blocks(after_label)[0]
        assert block == _read(os.path.join(EXAMPLE, name)), "README.md's copy of inventories/example/%s differs" % name


# The checks themselves, on small made-up documents: each finds what it must find.

def test_slug_follows_github():
    assert slug("Dual stack (IPv6 VIPs)") == "dual-stack-ipv6-vips"
    assert slug("Limits (known, tracked)") == "limits-known-tracked"
    assert slug("Entry point `build_source`") == "entry-point-build_source"
    assert slug("Layout: what each path is") == "layout-what-each-path-is"
    assert anchors("# A\n\n## A\n\n```\n# not a heading\n```\n") == {"a", "a-1"}


def test_broken_links_are_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other page\n\n## Dual stack (IPv6 VIPs)\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text(
        "# Page\n\n[ok](other.md) [ok](other.md#dual-stack-ipv6-vips) [ok](#page) [web](https://example.invalid/x)\n"
        "![gone](img/none.png) [gone](../nowhere.md) [bad anchor](other.md#dual-stack) [bad](#nothing)\n"
        "`[in code](nowhere.md)`\n\n```\n[in a block](nowhere.md)\n```\n\n[ref]: missing.md\n")
    problems = broken_links(str(page), root=str(tmp_path))
    assert [p.split(": ", 1)[1].split(" (")[0] for p in problems] == [
        "img/none.png", "../nowhere.md", "other.md#dual-stack", "#nothing", "missing.md"]


def test_lost_text_is_found():
    before = "# T\n\n## Kept\n\npara one\nwraps.\n\n| a | b |\n|---|---|\n| x | y |\n\n- item [l](a.md)\n"
    blocks = prose_blocks(before)
    assert blocks == ["para one\nwraps.", "| a | b |", "|---|---|", "| x | y |", "- item [l](a.md)"]
    after = _normalize("para one wraps. | x | y | - item [l](../a.md)")
    assert [b for b in blocks if _normalize(b) not in after] == ["| a | b |", "|---|---|"]
