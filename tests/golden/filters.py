#!/usr/bin/env python3
"""Agreement of tamis's quality stages with the reference implementation.

../shared/golden holds datatrove v0.10.0's own decisions on real documents
(840 English, 502 French): for each filter run alone, keep or drop and the
reason; for C4, the rewritten text. This runs each stage alone with
`--rules datatrove-current` on the same input, compares document by
document, prints every disagreement with both reasons and tamis's measured
value, and fails when agreement on a (filter, language) pair is below 99.5 %
or when a kept C4 text differs from the reference's.

Documents on which the reference itself raises (empty text in
GopherRepetition) are left out of the agreement; tamis rejects them as
`empty`, which is checked separately.

usage: tests/golden/filters.py TAMIS [--shared DIR] [--verbose]
"""
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile

MIN_AGREEMENT = 0.995
STAGES = ["gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"]


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_tamis(tamis, inp, out, stage, extra):
    cmd = [tamis, "run", inp, "-o", out, "--stages", stage, "--rules", "datatrove-current",
           "--explain", "--compress", "none", "-q", "-j", "2"] + extra
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"golden: {' '.join(cmd)} failed ({r.returncode}): {r.stderr}")
    kept = {d["id"]: d for d in read_jsonl(os.path.join(out, "kept.jsonl"))}
    rejected = {d["id"]: d for d in read_jsonl(os.path.join(out, "rejected.jsonl"))}
    return kept, rejected


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    tamis = args[0]
    shared = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    if "--shared" in args:
        shared = args[args.index("--shared") + 1]
    verbose = "--verbose" in args
    golden = os.path.join(shared, "golden")
    results = os.environ.get("RESULTS")
    if not os.path.isdir(golden):
        print(f"golden: SKIP: {golden} absent (the reference decisions live in ../shared/golden)")
        print("golden: 0 passed, 0 failed")
        return 0
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("en", "fr"):
            inp = os.path.join(golden, f"input_{lang}.jsonl.gz")
            texts = {d["id"]: d["text"] for d in read_jsonl(inp)}
            for preset, extra in (("filters", []), ("filters_fineweb_preset", ["--c4-terminal-punct-rule", "off"])):
                ref = read_jsonl(os.path.join(golden, f"{preset}_{lang}.jsonl.gz"))
                stages = (STAGES if preset == "filters" else ["c4_quality"]) + ["chain"]
                for stage in stages:
                    out = os.path.join(tmp, f"{lang}-{preset}-{stage}")
                    kept, rejected = run_tamis(tamis, inp, out, ",".join(STAGES) if stage == "chain" else stage, extra)
                    agree = total = errors = 0
                    text_bad = []
                    lines = []
                    for r in ref:
                        g = r[stage]
                        doc_id = r["id"]
                        t_kept = doc_id in kept
                        if doc_id not in kept and doc_id not in rejected:
                            lines.append(f"  {doc_id}: missing from tamis's output")
                            total += 1
                            continue
                        if g["kept"] is None:  # the reference raised
                            errors += 1
                            # the reference raises; tamis rejects empty text as empty
                            if not texts[doc_id] and (t_kept or rejected[doc_id]["metadata"]["filter_reason"] != "empty"):
                                lines.append(f"  {doc_id}: empty text should be rejected as empty")
                                total += 1
                            continue
                        total += 1
                        if stage == "chain" and not t_kept and not g["kept"]:
                            # the chain must also agree on which filter dropped it
                            if rejected[doc_id]["metadata"]["stage"] != g["dropped_by"]:
                                lines.append(f"  {doc_id}: tamis dropped by {rejected[doc_id]['metadata']['stage']}; "
                                             f"reference by {g['dropped_by']}")
                                continue
                        if t_kept == g["kept"]:
                            agree += 1
                            if stage == "c4_quality" and t_kept:  # the rewritten text, too
                                sha = hashlib.sha1(kept[doc_id]["text"].encode("utf-8")).hexdigest()
                                if sha != g["text_sha1"]:
                                    text_bad.append(doc_id)
                            continue
                        if t_kept:
                            mine = "kept"
                        else:
                            m = rejected[doc_id]["metadata"]
                            e = m.get("explain", {}).get(m["stage"], {})
                            mine = f"{m['filter_reason']} (value {e.get('value')}, threshold {e.get('threshold')})"
                        theirs = "kept" if g["kept"] else g["reason"]
                        lines.append(f"  {doc_id}: tamis {mine}; reference {theirs}")
                    frac = agree / total if total else 1.0
                    ok = frac >= MIN_AGREEMENT and not text_bad and not any("missing" in x or "empty text" in x for x in lines)
                    name = "chain (the four in FineWeb's order)" if stage == "chain" else stage
                    label = f"{name} {lang}" + (" (C4 with --c4-terminal-punct-rule off)" if preset != "filters" else "")
                    extra_note = f", {errors} left out (the reference raises)" if errors else ""
                    print(f"golden: {label}: {agree}/{total} agree ({100 * frac:.2f} %){extra_note}"
                          + (f"; {len(text_bad)} kept texts differ" if stage == "c4_quality" else ""))
                    for x in lines:
                        print(x)
                    for doc_id in text_bad[: 20 if not verbose else None]:
                        print(f"  {doc_id}: C4 text differs from the reference's")
                    if ok:
                        passed += 1
                    else:
                        failed += 1
                        print(f"golden: FAIL {label}: below {100 * MIN_AGREEMENT} % or texts differ")
    print(f"golden: {passed} passed, {failed} failed")
    if results:
        with open(results, "a") as f:
            f.write(f"{passed} {failed}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
