#!/usr/bin/python3
"""Counts how the pages of an HTML set declare their charset, without HTTP
headers (the sets keep none): byte-order mark, <meta charset=...>,
<meta http-equiv="Content-Type" content="...; charset=...">, an XML
declaration's encoding, or nothing. A page counts once under its first kind
in that order (the order of WHATWG's "determine the encoding"); the
declarations found anywhere and those inside the first 1024 bytes (the
window of the HTML5 prescan, what a conforming parser honours) are counted
apart. Also: the declared label against whether the bytes are valid UTF-8,
and, where the uchardet CLI (Debian package uchardet) is installed, its guess
for the pages that are not valid UTF-8. Python 3 standard library only.

  scripts/html-charsets.py [DIR_WITH_HTML_FILES] [--json]
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys

META_CHARSET = re.compile(rb"""<meta\s[^>]*?(?<![\w-])charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
META_HTTP_EQUIV = re.compile(rb"""<meta\s[^>]*?http-equiv\s*=\s*["']?content-type[^>]*>""", re.I)
CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:+-]+)""", re.I)
BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16le"), (b"\xfe\xff", "utf-16be"))


def declarations(raw):
    """[(kind, label, offset)] of every declaration in the page."""
    out = []
    for bom, label in BOMS:
        if raw.startswith(bom):
            out.append(("bom", label, 0))
    m = XML_DECL.match(raw)
    if m:
        out.append(("xml-decl", m.group(1).decode().lower(), m.start(1)))
    for m in re.finditer(rb"<meta\s[^>]*>", raw, re.I):
        tag = m.group(0)
        if META_HTTP_EQUIV.match(tag):
            c = CONTENT_CHARSET.search(tag)
            if c:
                out.append(("meta-http-equiv", c.group(1).decode().lower(), m.start()))
        else:
            c = META_CHARSET.match(tag)
            if c:
                out.append(("meta-charset", c.group(1).decode().lower(), m.start()))
    return out


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    d = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          "..", "..", "shared", "data", "html", "trafilatura-eval", "html")
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith((".html", ".htm")))
    order = ("bom", "meta-charset", "meta-http-equiv", "xml-decl")
    primary, anywhere, first1k, labels = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    both_meta, conflicting, late_only = 0, 0, 0
    invalid_utf8 = []
    for path in files:
        raw = open(path, "rb").read()
        decl = declarations(raw)
        kinds = {k for k, _, _ in decl}
        for k in kinds:
            anywhere[k] += 1
        for k in {k for k, _, off in decl if off < 1024}:
            first1k[k] += 1
        kind = next((k for k in order if k in kinds), "none")
        primary[kind] += 1
        if {"meta-charset", "meta-http-equiv"} <= kinds:
            both_meta += 1
        if len({lab for _, lab, _ in decl}) > 1:
            conflicting += 1
        if decl and all(off >= 1024 for _, _, off in decl):
            late_only += 1
        label = next((lab for k in order for kk, lab, _ in decl if kk == k), "none")
        labels[label] += 1
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            invalid_utf8.append((path, label))
    guesses = collections.Counter()
    if shutil.which("uchardet") and invalid_utf8:
        for path, label in invalid_utf8:
            g = subprocess.run(["uchardet", path], capture_output=True, text=True).stdout.strip().lower()
            guesses[f"declared {label} -> uchardet {g}"] += 1
    res = {
        "dir": d, "files": len(files),
        "first_declaration_kind": dict(primary.most_common()),
        "files_with_kind_anywhere": dict(anywhere.most_common()),
        "files_with_kind_in_first_1024_bytes": dict(first1k.most_common()),
        "files_whose_declarations_all_lie_past_1024_bytes": late_only,
        "files_with_both_meta_forms": both_meta,
        "files_with_conflicting_labels": conflicting,
        "declared_label": dict(labels.most_common()),
        "not_valid_utf8": len(invalid_utf8),
        "not_valid_utf8_by_declared_label": dict(collections.Counter(l for _, l in invalid_utf8).most_common()),
        "uchardet_on_not_valid_utf8": dict(guesses.most_common()) if shutil.which("uchardet")
        else "uchardet CLI not installed",
    }
    if "--json" in sys.argv:
        print(json.dumps(res, indent=1))
    else:
        for k, v in res.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
