#!/usr/bin/env python3
"""tests/golden/minhash.py BUILD_DIR -- tamis's MinHash dedup against datatrove's.

For the sampled golden documents (../shared/golden/tokens_*, minhash_signatures_*):
  1. the signature of the reference's own words (minhash_words) is bit-for-bit
     the reference's signature (documents under 5 words have none);
  2. tamis's simplify_text of the document's text equals the reference's
     minhash_simplified;
  3. end to end: simplify + tamis's spaCy port on the text gives the reference's
     words and signature;
  4. decisions: `tamis run --stages near_dedup --rules datatrove-current --keep
     reference` on input_X then dedup_extra_X removes the documents the
     reference removed (dedup_X; F1 of removed ids >= 0.98, every difference
     printed), with the same number of clusters; and --keep first, -j1 and -j2
     give the same bytes.
Skips (exit 0 with a message) when ../shared is absent. Writes 'P F' to $RESULTS.
"""
import gzip, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
golden = os.path.join(here, "..", "..", "..", "shared", "golden")


def load(name):
    with gzip.open(os.path.join(golden, name), "rt", encoding="utf-8") as f:
        return [json.loads(l) for l in f]


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def run(tool, args, rows):
    out = subprocess.run([tool] + args, input="".join(rows).encode(), capture_output=True, check=True).stdout
    res = {}
    for line in out.decode().split("\n"):
        if not line:
            continue
        parts = line.split("\t")
        res[parts[0]] = parts[1:]
    return res


def zjsonl(path):
    out = subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout.decode()
    return [json.loads(l) for l in out.splitlines()]


def decisions(build):
    import tempfile
    tamis = os.path.join(build, "tamis")
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("en", "fr"):
            ref = load("dedup_%s.jsonl.gz" % lang)
            want = {d["id"] for d in ref if d["removed"]}
            clusters = len({d["cluster_id"] for d in ref if d["cluster_id"] != -1})
            ins = [os.path.join(golden, "input_%s.jsonl.gz" % lang), os.path.join(golden, "dedup_extra_%s.jsonl.gz" % lang)]
            outs = {}
            for name, extra in (("reference", ["--keep", "reference", "-j2"]), ("reference-j1", ["--keep", "reference", "-j1"]),
                                ("first", ["--keep", "first"])):
                o = os.path.join(tmp, lang + name)
                subprocess.run([tamis, "run", "-q", "--stages", "near_dedup", "--rules", "datatrove-current"] + extra + ins +
                               ["-o", o], check=True)
                outs[name] = o
            rej = zjsonl(os.path.join(outs["reference"], "rejected.jsonl.zst"))
            got = {d["id"] for d in rej if d["metadata"].get("filter_reason") == "near_duplicate"}
            tp = len(want & got)
            prec = tp / len(got) if got else 1.0
            rec = tp / len(want) if want else 1.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            s = json.load(open(os.path.join(outs["reference"], "summary.json")))
            nd = [x for x in s["stages"] if x["name"] == "near_dedup"][0]
            ok = f1 >= 0.98
            print("golden minhash %s: decisions (--keep reference): reference removes %d, tamis %d, F1 %.4f; "
                  "clusters %d (reference %d)%s" % (lang, len(want), len(got), f1, nd["counters"]["clusters"], clusters,
                                                    "" if ok else "  FAIL"))
            for i in sorted(want - got):
                print("  only the reference removes", i)
            for i in sorted(got - want):
                print("  only tamis removes", i)
            passed += ok
            failed += not ok
            same = all(open(os.path.join(outs["reference"], f), "rb").read() ==
                       open(os.path.join(outs["reference-j1"], f), "rb").read()
                       for f in ("kept.jsonl.zst", "rejected.jsonl.zst"))
            first = {d["id"] for d in zjsonl(os.path.join(outs["first"], "rejected.jsonl.zst"))}
            print("golden minhash %s: -j1 = -j2: %s; --keep first removes %d (the same clusters, earliest kept)%s"
                  % (lang, same, len(first), "" if same and len(first) == len(got) else "  FAIL"))
            passed += same and len(first) == len(got)
            failed += not (same and len(first) == len(got))
    return passed, failed


def main():
    tool = os.path.join(sys.argv[1], "minhash-sig")
    passed = failed = 0
    if not os.path.isdir(golden):
        print("golden minhash: skipped: ../shared/golden is absent")
        return 0
    for lang in ("en", "fr"):
        toks = {d["id"]: d for d in load("tokens_%s.jsonl.gz" % lang)}
        sigs = {d["id"]: d for d in load("minhash_signatures_%s.jsonl.gz" % lang)}
        texts = {d["id"]: d["text"] for d in load("input_%s.jsonl.gz" % lang) if d["id"] in toks}
        ids = [i for i in toks if i in sigs]
        want = {i: [v for band in (sigs[i]["signature"] or []) for v in band] for i in ids}
        # 1. the reference's words
        got = run(tool, ["words"], ["%s\t%s\n" % (i, esc("\x1f".join(toks[i]["minhash_words"]))) for i in ids])
        ok1 = sum(1 for i in ids if [int(x) for x in got[i][1].split()] == want[i])
        # 2 and 3. from the text
        tok = "spacy_%s" % lang
        got2 = run(tool, ["text", tok], ["%s\t%s\n" % (i, esc(texts[i])) for i in ids])
        ok2 = sum(1 for i in ids if got2[i][2] == toks[i]["minhash_simplified"])
        ok3 = sum(1 for i in ids if [int(x) for x in got2[i][1].split()] == want[i])
        empty = sum(1 for i in ids if not want[i])
        for name, ok in (("signature of the reference's words", ok1), ("simplified text", ok2),
                         ("signature from the text (simplify + spaCy %s)" % lang, ok3)):
            good = ok == len(ids)
            print("golden minhash %s: %s: %d/%d equal (%d without a signature)%s"
                  % (lang, name, ok, len(ids), empty, "" if good else "  FAIL"))
            passed += good
            failed += not good
        for i in ids:
            if got2[i][2] != toks[i]["minhash_simplified"] and failed:
                a, b = got2[i][2], toks[i]["minhash_simplified"]
                k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
                print("  first difference in %s at %d: tamis %r / reference %r" % (i, k, a[k - 20:k + 20], b[k - 20:k + 20]))
                break
    p2, f2 = decisions(sys.argv[1])
    passed += p2
    failed += f2
    print("golden minhash: %d passed, %d failed" % (passed, failed))
    if os.environ.get("RESULTS"):
        with open(os.environ["RESULTS"], "a") as f:
            f.write("%d %d\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
