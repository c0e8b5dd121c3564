#!/usr/bin/python3
"""Scores main-content extraction from HTML (the future `extract` stage) on the
two development sets in ../shared/data/html/. Python 3 standard library only.

Input: a JSONL file, one {"id": ..., "text": ...} per page. The id is
  trafilatura-eval   the evaldata.json "file" field, e.g. "html/xyz.html"
  mozilla            "FOLDER/source.html", e.g. "aclu/source.html"
A page absent from the input counts as an empty output (for trafilatura as
upstream counts an exception or None: every `with` segment missed, every
`without` segment a true negative). Ids that are not pages of the set are
reported and ignored; for a repeated id the last line wins.

--set trafilatura (metric of trafilatura's tests/evaluate.py, see
  PROVENANCE.md beside the data): norm(s) = re.sub(r"\\s+", " ", s).strip();
  a `with` segment found (case-sensitive substring of the normalized output) is
  a TP, not found an FN; a `without` segment found is an FP, not found a TN.
  Micro-averaged over all segments of all pages: precision TP/(TP+FP), recall
  TP/(TP+FN), accuracy (TP+TN)/all, F1 2TP/(2TP+FP+FN). The same, grouped by
  the primary subtag of the page's declared <html lang> (lowercased, "none"
  when the first <html> tag has no lang or xml:lang attribute).

--set mozilla (Mozilla Readability's test pages): the gold text is the text
  of expected.html, taken with html.parser: character references decoded,
  script/style dropped, a newline around every block element and <br>. Both
  texts are split into re.findall(r"\\w+") tokens (Unicode, case kept); each
  side is the multiset (Counter) of its word 4-grams. Per page: overlap =
  sum of min(counts); precision = overlap/|output 4-grams|, recall =
  overlap/|gold 4-grams|, F1 = 2PR/(P+R) (0 when P+R = 0). Empty sides (fewer
  than 4 tokens): both empty gives P = R = F1 = 1; one empty gives P = R =
  F1 = 0. Macro-averaged over pages (every page counts once).

--baseline MODE scores a built-in extractor instead of an input file:
  wholepage  the page's visible text: html.parser, script/style dropped,
             tags -> text with newlines around block elements.
  rawhtml    the raw HTML string itself (trafilatura set's "raw HTML" row in
             upstream's table, published P 0.528 / R 0.906 / F1 0.667; with
             this decoding PROVENANCE.md reports P 0.527 R 0.903 F1 0.666).
Page bytes are decoded as strict UTF-8, then (wholepage) the charset the page
declares in a meta tag or XML declaration, then cp1252 with replacement;
rawhtml uses UTF-8 then cp1252 exactly as PROVENANCE.md's check did.

  scripts/eval-html.py --set trafilatura out.jsonl
  scripts/eval-html.py --set mozilla --baseline wholepage --json
  scripts/eval-html.py --set trafilatura --baseline wholepage --save base.jsonl

Prints a report (or JSON with --json); --per-doc PATH writes one JSON line of
per-page figures. Exits 0 whatever the scores; 2 on bad input.
"""
import argparse
import collections
import html.parser
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = {
    "trafilatura": os.path.join(HERE, "..", "..", "shared", "data", "html", "trafilatura-eval"),
    "mozilla": os.path.join(HERE, "..", "..", "shared", "data", "html", "mozilla-readability-pages"),
}

# Elements that start a new line in the text (HTML's block-level and
# table/list structure elements, plus <br>). Inline elements join directly.
BLOCK = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html
    legend li main menu nav noscript ol optgroup option p pre section summary table tbody td tfoot
    th thead title tr ul""".split()
)
SKIP = frozenset(("script", "style"))  # html.parser reads both as raw text


class TextExtractor(html.parser.HTMLParser):
    """Visible text of a page or fragment; blocks separated by newlines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self):
        s = "".join(self.parts)
        s = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", s)  # collapse blank runs around newlines
        return s.strip()


def html_to_text(markup):
    p = TextExtractor()
    p.feed(markup)
    p.close()
    return p.text()


META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:+-]+)""", re.I)
# WHATWG Encoding: these labels mean windows-1252.
AS_CP1252 = {"iso-8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "iso8859-1", "iso_8859-1", "cp819"}


def declared_charset(raw):
    m = XML_ENCODING.match(raw) or META_CHARSET.search(raw)
    return m.group(1).decode("ascii").lower() if m else None


def decode_page(raw, mode="declared"):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if mode == "declared":
        cs = declared_charset(raw)
        if cs and cs not in ("utf-8", "utf8"):
            cs = "cp1252" if cs in AS_CP1252 else cs
            try:
                return raw.decode(cs, "replace")
            except LookupError:
                pass
    return raw.decode("cp1252", "replace")


HTML_LANG = re.compile(r"""<html\b[^>]*?[\s"'](?:xml:)?lang\s*=\s*["']?\s*([A-Za-z]+)""", re.I)
HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)


def page_lang(text):
    m = HTML_TAG.search(text)
    if not m:
        return "none"
    m = HTML_LANG.match(m.group(0))
    return m.group(1).lower() if m else "none"


def norm(s):
    return re.sub(r"\s+", " ", s).strip()


WORD = re.compile(r"\w+")


def grams4(text):
    toks = WORD.findall(text)
    return collections.Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))


def prf_counts(gold, pred):
    """Per-page precision, recall, F1 of two 4-gram multisets (see the doc)."""
    ng, np_ = sum(gold.values()), sum(pred.values())
    if ng == 0 and np_ == 0:
        return 1.0, 1.0, 1.0
    if ng == 0 or np_ == 0:
        return 0.0, 0.0, 0.0
    overlap = sum(min(c, gold[g]) for g, c in pred.items() if g in gold)
    p, r = overlap / np_, overlap / ng
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def micro(c):
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    div = lambda a, b: a / b if b else 0.0
    return {
        "docs": c["docs"],
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": div(tp, tp + fp),
        "recall": div(tp, tp + fn),
        "accuracy": div(tp + tn, tp + tn + fp + fn),
        "f1": div(2 * tp, 2 * tp + fp + fn),
    }


def load_pages(setname, data):
    """[(id, path_to_page, gold)] in a stable order."""
    if setname == "trafilatura":
        ev = json.load(open(os.path.join(data, "evaldata.json"), encoding="utf-8"))
        return [(it["file"], os.path.join(data, it["file"]), it) for it in ev["items"]]
    out = []
    for d in sorted(os.listdir(data)):
        src = os.path.join(data, d, "source.html")
        if os.path.isfile(src):
            out.append((d + "/source.html", src, os.path.join(data, d, "expected.html")))
    return out


def read_jsonl(path):
    texts, bad = {}, 0
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            texts[str(rec["id"])] = rec.get("text") or ""
        except (ValueError, KeyError, TypeError):
            bad += 1
            if bad <= 5:
                print(f"eval-html: {path}:{n}: not a {{id, text}} JSON line", file=sys.stderr)
    return texts, bad


def baseline(mode, path):
    raw = open(path, "rb").read()
    if mode == "rawhtml":
        return decode_page(raw, "utf8-cp1252")
    return html_to_text(decode_page(raw))


def score_trafilatura(pages, texts, per_doc):
    total = collections.Counter()
    by_lang = collections.defaultdict(collections.Counter)
    for pid, path, it in pages:
        lang = page_lang(decode_page(open(path, "rb").read(), "utf8-cp1252")[:200000])
        out = norm(texts.get(pid, ""))
        tp = sum(1 for w in it["with"] if norm(w) in out)
        fp = sum(1 for w in it["without"] if norm(w) in out)
        c = {"docs": 1, "tp": tp, "fn": len(it["with"]) - tp, "fp": fp, "tn": len(it["without"]) - fp}
        total.update(c)
        by_lang[lang].update(c)
        if per_doc:
            per_doc.write(json.dumps({"id": pid, "lang": lang, "found": pid in texts, **c}) + "\n")
    langs = sorted(by_lang, key=lambda k: (-by_lang[k]["docs"], k))
    return {"all": micro(total), "by_lang": {k: micro(by_lang[k]) for k in langs}}


def score_mozilla(pages, texts, per_doc):
    rows = []
    for pid, _path, expected in pages:
        gold = grams4(html_to_text(decode_page(open(expected, "rb").read())))
        pred = grams4(texts.get(pid, ""))
        p, r, f = prf_counts(gold, pred)
        rows.append((p, r, f))
        if per_doc:
            rec = {"id": pid, "found": pid in texts, "precision": p, "recall": r, "f1": f,
                   "gold_4grams": sum(gold.values()), "pred_4grams": sum(pred.values())}
            per_doc.write(json.dumps(rec) + "\n")
    n = len(rows)
    mean = lambda i: sum(r[i] for r in rows) / n if n else 0.0
    return {"all": {"docs": n, "precision": mean(0), "recall": mean(1), "f1": mean(2),
                    "f1_zero_pages": sum(1 for r in rows if r[2] == 0.0)}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", nargs="?", help="JSONL of {id, text} ('-' = stdin)")
    ap.add_argument("--set", required=True, choices=("trafilatura", "mozilla"))
    ap.add_argument("--data", help="data directory (default: ../shared/data/html/<set dir> beside the repo)")
    ap.add_argument("--baseline", choices=("wholepage", "rawhtml"), help="score a built-in extractor")
    ap.add_argument("--save", help="with --baseline: write its output as {id, text} JSONL here")
    ap.add_argument("--per-doc", help="write per-page figures as JSONL here")
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON")
    a = ap.parse_args()
    if bool(a.input) == bool(a.baseline):
        ap.error("give exactly one of INPUT or --baseline")
    data = a.data or DEFAULT_DATA[a.set]
    if not os.path.isdir(data):
        print(f"eval-html: no data directory {data}", file=sys.stderr)
        return 2
    pages = load_pages(a.set, data)
    bad = 0
    if a.baseline:
        texts = {pid: baseline(a.baseline, path) for pid, path, _ in pages}
        if a.save:
            with open(a.save, "w", encoding="utf-8") as f:
                for pid, _, _ in pages:
                    f.write(json.dumps({"id": pid, "text": texts[pid]}, ensure_ascii=False) + "\n")
    else:
        texts, bad = read_jsonl(a.input)
    ids = {p[0] for p in pages}
    unknown = sorted(k for k in texts if k not in ids)
    missing = sum(1 for p in pages if p[0] not in texts)
    per_doc = open(a.per_doc, "w", encoding="utf-8") if a.per_doc else None
    res = (score_trafilatura if a.set == "trafilatura" else score_mozilla)(pages, texts, per_doc)
    if per_doc:
        per_doc.close()
    res.update({"set": a.set, "source": a.baseline and f"baseline:{a.baseline}" or a.input,
                "pages": len(pages), "missing": missing, "unknown_ids": len(unknown), "bad_lines": bad})
    if unknown:
        print(f"eval-html: {len(unknown)} ids not in the set, ignored (first: {unknown[0]!r})", file=sys.stderr)
    if a.json:
        print(json.dumps(res, indent=1))
        return 0
    al = res["all"]
    print(f"set {a.set}  source {res['source']}  pages {len(pages)}  missing {missing}  "
          f"unknown ids {len(unknown)}  bad lines {bad}")
    if a.set == "trafilatura":
        print(f"{'lang':<6} {'docs':>5} {'P':>6} {'R':>6} {'Acc':>6} {'F1':>6}   TP/FP/FN/TN")
        rows = [("all", al)] + list(res["by_lang"].items())
        for k, m in rows:
            print(f"{k:<6} {m['docs']:>5} {m['precision']:6.3f} {m['recall']:6.3f} {m['accuracy']:6.3f} "
                  f"{m['f1']:6.3f}   {m['tp']}/{m['fp']}/{m['fn']}/{m['tn']}")
    else:
        print(f"macro over {al['docs']} pages: P {al['precision']:.3f}  R {al['recall']:.3f}  "
              f"F1 {al['f1']:.3f}  (pages with F1 0: {al['f1_zero_pages']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
