#!/usr/bin/python3
"""Data preparation for the `lines` stage (src/stage/lines.c): the TurkuNLP
line-quality data set as tamis JSONL, with the labels kept aside.

The data (read-only, never copied into the repository) is
/work/shared/data/lines/turkunlp-line-quality/{de,en,es,fi}-{train,dev}.json,
fr-dev.json and sv-dev.json: JSON arrays of {"text": [lines], "labels":
["1" good | "0" noise]}. Loading a split deduplicates it:

  - a dev document whose list of lines equals a train document of the same
    language is dropped (the model has seen it);
  - of documents repeated inside one file only the first copy is kept.

The counts found are printed and checked against EXPECTED_DROPS, so a change
of the data set is noticed. A line holding "\\n" or "\\r" would shift the line
numbers of the stage; such characters are replaced by a space (the data has
none as of this writing; the count is printed).

A document is written as one JSONL record
  {"id": "en-dev-0007", "text": "\\n".join(lines), "metadata": {"language": "en"}}
where 0007 is the document's index in the original file (dropped documents
leave gaps). Line N (1-based) of text is lines[N-1].

Library (scripts/train-lines.py and scripts/eval-lines.py load this file
with load_module()): load_docs, write_jsonl, features (runs
build/lines-features and parses its TSV), run_tamis (runs `tamis run --stages
lines --explain` and returns the removed lines per document).

CLI:
  scripts/lines-data.py check                 print the data checks and dedup counts
  scripts/lines-data.py prepare --out DIR     write DIR/<lang>-<split>.jsonl and
                                              DIR/<lang>-<split>.labels.json for every split
"""
import argparse
import collections
import importlib.util
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.environ.get("TAMIS_LINES_DATA", "/work/shared/data/lines/turkunlp-line-quality")

TRAIN_LANGS = ("de", "en", "es", "fi")   # have a train and a dev split
DEV_ONLY_LANGS = ("fr", "sv")            # have a dev split only
ALL_LANGS = TRAIN_LANGS + DEV_ONLY_LANGS
ALL_SPLITS = tuple((l, "train") for l in TRAIN_LANGS) + tuple((l, "dev") for l in ALL_LANGS)

# (lang, split) -> (dropped as copies of a train document, dropped as repeats inside the file).
# es-dev also repeats one document of its own (docs 3 and 4), which the brief did not list.
EXPECTED_DROPS = {
    ("de", "dev"): (1, 0),
    ("en", "dev"): (3, 0),
    ("es", "dev"): (4, 1),
    ("sv", "dev"): (0, 11),
}

NUMPY_HINT = "apt-get install python3-numpy   (then run the script with /usr/bin/python3)"


def need_numpy():
    """Import numpy or exit 2 with the line that installs it."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        sys.stderr.write("%s: needs numpy (Debian's python3-numpy); install it with:\n  %s\n"
                         % (os.path.basename(sys.argv[0]), NUMPY_HINT))
        sys.exit(2)
    return numpy


def load_module(name):
    """Import scripts/<name>.py (hyphenated names included) as a module."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    modname = name.replace("-", "_")
    if modname in sys.modules:
        return sys.modules[modname]
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------
# Loading and deduplication
# --------------------------------------------------------------------------

def load_raw(lang, split, data_dir=None):
    path = os.path.join(data_dir or DATA_DIR, "%s-%s.json" % (lang, split))
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    for i, d in enumerate(raw):
        if len(d["text"]) != len(d["labels"]):
            raise ValueError("%s: doc %d has %d lines and %d labels" % (path, i, len(d["text"]), len(d["labels"])))
        bad = set(d["labels"]) - {"0", "1"}
        if bad:
            raise ValueError("%s: doc %d has labels %r" % (path, i, sorted(bad)))
    return raw


def clean_line(s):
    """A line as the JSONL carries it: no line break inside."""
    return s.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


class Doc:
    """One document: id, lang, split, index in the original file, lines, noise flags (1 = label "0")."""
    __slots__ = ("id", "lang", "split", "index", "lines", "noise")

    def __init__(self, lang, split, index, lines, noise):
        self.id = "%s-%s-%04d" % (lang, split, index)
        self.lang, self.split, self.index = lang, split, index
        self.lines, self.noise = lines, noise

    def text(self):
        return "\n".join(self.lines)


_cache = {}


def load_docs(lang, split, data_dir=None, verbose=False, out=sys.stderr):
    """The deduplicated documents of one split, as Doc objects, in file order."""
    key = (lang, split, data_dir or DATA_DIR)
    if key in _cache:
        return _cache[key]
    raw = load_raw(lang, split, data_dir)
    train = set()
    if split != "train" and lang in TRAIN_LANGS:
        train = {tuple(d["text"]) for d in load_raw(lang, "train", data_dir)}
    seen = {}
    docs, vs_train, repeats, conflicts, fixed = [], 0, 0, 0, 0
    for i, d in enumerate(raw):
        t = tuple(d["text"])
        if t in train:
            vs_train += 1
            continue
        if t in seen:
            repeats += 1
            if d["labels"] != seen[t]:
                conflicts += 1
            continue
        seen[t] = d["labels"]
        lines = [clean_line(s) for s in d["text"]]
        fixed += sum(a != b for a, b in zip(lines, d["text"]))
        docs.append(Doc(lang, split, i, lines, [1 if l == "0" else 0 for l in d["labels"]]))
    info = {"docs_in": len(raw), "dropped_vs_train": vs_train, "dropped_repeats": repeats,
            "repeats_with_other_labels": conflicts, "lines_with_line_breaks": fixed, "docs": len(docs),
            "lines": sum(len(d.lines) for d in docs)}
    exp = EXPECTED_DROPS.get((lang, split), (0, 0))
    if verbose:
        out.write("%s-%s: %d docs, dropped %d as copies of %s, %d as repeats in the file"
                  "%s; %d lines changed for line breaks -> %d docs, %d lines\n"
                  % (lang, split, len(raw), vs_train, "%s-train" % lang if train else "a train doc (none here)",
                     repeats,
                     " (%d of them labelled differently from the first copy)" % conflicts if conflicts else "",
                     fixed, len(docs), info["lines"]))
    if (vs_train, repeats) != exp:
        out.write("%s-%s: WARNING: expected %d/%d dropped (vs train / repeats), found %d/%d; the data changed\n"
                  % (lang, split, exp[0], exp[1], vs_train, repeats))
    assert (vs_train, repeats) == exp or os.environ.get("TAMIS_LINES_ANY_DATA"), \
        "dedup counts changed (set TAMIS_LINES_ANY_DATA=1 to go on)"
    _cache[key] = (docs, info)
    return docs, info


def is_blank(line):
    return line.strip() == ""


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------

def write_jsonl(docs, path):
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text(), "metadata": {"language": d.lang}},
                               ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def write_labels(docs, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({d.id: ["0" if n else "1" for n in d.noise] for d in docs}, f)
        f.write("\n")


def prepare(outdir, splits=ALL_SPLITS, data_dir=None, verbose=True):
    """Write <lang>-<split>.jsonl (+ .labels.json) for each split; return {(lang, split): (path, docs)}."""
    os.makedirs(outdir, exist_ok=True)
    res = {}
    for lang, split in splits:
        docs, _ = load_docs(lang, split, data_dir, verbose=verbose)
        path = os.path.join(outdir, "%s-%s.jsonl" % (lang, split))
        write_jsonl(docs, path)
        write_labels(docs, os.path.join(outdir, "%s-%s.labels.json" % (lang, split)))
        res[(lang, split)] = (path, docs)
    return res


# --------------------------------------------------------------------------
# build/lines-features
# --------------------------------------------------------------------------

def parse_features(tsv_text, docs, what="features"):
    """Parse the TSV of lines-features: (names, per-doc list of per-line float lists)."""
    rows = tsv_text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    if not rows:
        raise ValueError("%s: empty output" % what)
    head = rows[0].split("\t")
    if head[:2] != ["doc", "line"] or len(head) < 3:
        raise ValueError("%s: bad header %r" % (what, rows[0][:200]))
    names = head[2:]
    feats = [[None] * len(d.lines) for d in docs]
    for k, r in enumerate(rows[1:], 2):
        f = r.split("\t")
        if len(f) != len(head):
            raise ValueError("%s: row %d has %d fields, header %d" % (what, k, len(f), len(head)))
        di, li = int(f[0]), int(f[1])
        if not (0 <= di < len(docs)) or not (1 <= li <= len(docs[di].lines)):
            raise ValueError("%s: row %d: doc %d line %d out of range" % (what, k, di, li))
        if feats[di][li - 1] is not None:
            raise ValueError("%s: row %d: doc %d line %d twice" % (what, k, di, li))
        feats[di][li - 1] = [float(x) for x in f[2:]]
    for di, fd in enumerate(feats):
        for li, v in enumerate(fd):
            if v is None and is_blank(docs[di].lines[li]):
                fd[li] = [0.0] * len(names)   # e.g. a blank last line; blank lines are not scored
            elif v is None:
                raise ValueError("%s: no row for doc %d (%s) line %d" % (what, di, docs[di].id, li + 1))
    return names, feats


def features(binary, jsonl, docs, no_corpus=False, cache=None):
    """Run `binary [--no-corpus] jsonl`, keep its TSV in `cache` (if given), return parse_features()."""
    cmd = [binary] + (["--no-corpus"] if no_corpus else []) + [jsonl]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode,
                                                         r.stderr.decode("utf-8", "replace")[-2000:]))
    text = r.stdout.decode("utf-8")
    if cache:
        with open(cache, "w", encoding="utf-8") as f:
            f.write(text)
    return parse_features(text, docs, " ".join(cmd))


# --------------------------------------------------------------------------
# tamis run --stages lines --explain
# --------------------------------------------------------------------------

def _zstd_records(path):
    r = subprocess.run(["zstd", "-dc", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("zstd -dc %s: %s" % (path, r.stderr.decode("utf-8", "replace")))
    return [json.loads(l) for l in r.stdout.decode("utf-8").split("\n") if l.strip()]


def run_tamis(binary, jsonl, docs, outdir, no_corpus=False, extra=()):
    """Run the lines stage on jsonl; return ({doc id: set of removed 1-based line numbers}, warnings).

    A kept document's removed lines are metadata.removed_lines; a document rejected as
    no_content_left lost all its lines. Blank lines count as kept whatever the output says."""
    cmd = [binary, "run", jsonl, "-o", outdir, "--stages", "lines", "--explain"]
    cmd += (["--no-lines-corpus"] if no_corpus else []) + list(extra)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode,
                                                         r.stderr.decode("utf-8", "replace")[-2000:]))
    byid = {d.id: d for d in docs}
    removed, warnings = {}, []
    for rec in _zstd_records(os.path.join(outdir, "kept.jsonl.zst")):
        d = byid.get(rec.get("id"))
        if d is None:
            raise RuntimeError("%s: unknown id %r in kept" % (outdir, rec.get("id")))
        s = set()
        for e in (rec.get("metadata") or {}).get("removed_lines") or []:
            n = e["line"]
            if not (1 <= n <= len(d.lines)):
                raise RuntimeError("%s: %s: removed line %d of %d" % (outdir, d.id, n, len(d.lines)))
            s.add(n)
        nkept = len(rec.get("text", "").split("\n")) if rec.get("text", "") != "" else 0
        if nkept != len(d.lines) - len(s):
            warnings.append("%s: kept text has %d lines, expected %d - %d removed"
                            % (d.id, nkept, len(d.lines), len(s)))
        removed[d.id] = s
    for rec in _zstd_records(os.path.join(outdir, "rejected.jsonl.zst")):
        d = byid.get(rec.get("id"))
        if d is None:
            raise RuntimeError("%s: unknown id %r in rejected" % (outdir, rec.get("id")))
        reason = (rec.get("metadata") or {}).get("filter_reason")
        if reason != "no_content_left":
            raise RuntimeError("%s: %s rejected as %r" % (outdir, d.id, reason))
        removed[d.id] = set(range(1, len(d.lines) + 1))
    missing = [d.id for d in docs if d.id not in removed]
    if missing:
        raise RuntimeError("%s: %d documents missing from the output, e.g. %s" % (outdir, len(missing), missing[0]))
    for d in docs:
        removed[d.id] = {n for n in removed[d.id] if not is_blank(d.lines[n - 1])}
    return removed, warnings


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def check(data_dir=None, out=sys.stdout):
    """Print the dedup counts and what is odd in the data."""
    for lang, split in ALL_SPLITS:
        load_docs(lang, split, data_dir, verbose=True, out=out)
    ctrl = collections.Counter()
    blank = 0
    untrimmed = collections.Counter()
    for lang, split in ALL_SPLITS:
        for d in load_docs(lang, split, data_dir)[0]:
            for s in d.lines:
                blank += is_blank(s)
                untrimmed[lang] += s != s.strip()
                for c in s:
                    if ord(c) < 32 or c in "\x7f\x85\u2028\u2029":
                        ctrl["%s U+%04X" % (lang, ord(c))] += 1
    out.write("blank lines: %d\n" % blank)
    out.write("lines with leading/trailing white space: %s\n" % dict(sorted(untrimmed.items())))
    out.write("control and line-separator characters inside lines: %s\n" % dict(sorted(ctrl.items())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=None, help="data directory (default %s)" % DATA_DIR)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check", help="print dedup counts and data oddities")
    p = sub.add_parser("prepare", help="write the deduplicated JSONL files")
    p.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.cmd == "check":
        check(a.data)
    else:
        for (lang, split), (path, docs) in prepare(a.out, data_dir=a.data, verbose=True).items():
            print("%s: %d docs" % (path, len(docs)))


if __name__ == "__main__":
    main()
