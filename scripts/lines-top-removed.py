#!/usr/bin/env python3
"""lines-top-removed.py -- the lines a `lines` run removed most often.

    tamis run --stages normalize,exact_dedup INPUTS... -o A
    tamis run --stages lines --explain A/kept.jsonl.zst -o B
    scripts/lines-top-removed.py A B [--top 40] [--reason R]

Reads the texts as they entered `lines` (A's kept documents) and B's
metadata.removed_lines (kept documents) or filter_reason no_content_left
(rejected ones, whose text is the one that entered the stage), and prints the
removed lines grouped by exact text: count, documents, reason(s), text. Then
a random sample (fixed seed) of removed lines with their neighbours, to read.
"""
import argparse, collections, json, random, subprocess, sys


def records(path):
    out = subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout
    for line in out.decode("utf-8").split("\n"):
        if not line:
            continue
        yield json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("entered")
    ap.add_argument("out")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--reason")
    a = ap.parse_args()
    texts = {d["id"]: d["text"] for d in records(a.entered + "/kept.jsonl.zst")}
    removed = []  # (doc id, line number, reason, lines)
    n_lines = n_docs = 0
    for kind in ("kept", "rejected"):
        for d in records(f"{a.out}/{kind}.jsonl.zst"):
            m = d.get("metadata", {})
            src = texts.get(d["id"])
            if src is None:
                continue
            lines = src.split("\n")
            n_docs += 1
            n_lines += sum(1 for l in lines if l.strip())
            for r in m.get("removed_lines", []):
                removed.append((d["id"], r["line"], r["reason"], lines))
    by_text = collections.defaultdict(lambda: [0, set(), collections.Counter()])
    reasons = collections.Counter()
    for doc, ln, reason, lines in removed:
        reasons[reason] += 1
        if a.reason and reason != a.reason:
            continue
        e = by_text[lines[ln - 1].strip()]
        e[0] += 1
        e[1].add(doc)
        e[2][reason] += 1
    print(f"{n_docs} documents, {n_lines} non-blank lines, {len(removed)} removed ({100 * len(removed) / max(n_lines, 1):.1f} %)")
    print("by reason:", ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    print(f"\nmost often removed{' (' + a.reason + ')' if a.reason else ''}: count, documents, reasons, line")
    top = sorted(by_text.items(), key=lambda kv: (-kv[1][0], kv[0]))[: a.top]
    for text, (n, docs, rs) in top:
        print(f"{n:6d} {len(docs):5d}  {','.join(r for r, _ in rs.most_common())[:40]:40s} {text[:110]}")
    rnd = random.Random(1)
    pool = [r for r in removed if not a.reason or r[2] == a.reason]
    print(f"\na random sample of {min(a.sample, len(pool))} removed lines (seed 1), with the line before and after:")
    for doc, ln, reason, lines in rnd.sample(pool, min(a.sample, len(pool))):
        before = lines[ln - 2].strip()[:70] if ln > 1 else ""
        after = lines[ln].strip()[:70] if ln < len(lines) else ""
        print(f"- {doc}:{ln} [{reason}]\n    before: {before}\n    REMOVED {lines[ln - 1].strip()[:110]}\n    after:  {after}")


if __name__ == "__main__":
    sys.exit(main())
