#!/usr/bin/python3
"""Evaluates the `lines` stage on the TurkuNLP line-quality data (what `make
eval-lines` runs).

  de en es fi   the dev split (deduplicated, see scripts/lines-data.py) through
                `tamis run --stages lines --explain`; the stage's own decisions.
  fr sv         no train split: 5-fold cross-validation by document. Fold k is
                scored with a model trained by the recipe of train-lines.py
                (scripts/lines_train_lib.py: the same gradient-boosted
                trees, threshold re-chosen by CV on the training part) on
                de/en/es/fi train + the other no-train language + this
                language's other folds; features from build/lines-features.
                Needs numpy.

Scored over non-blank lines: accuracy, noise precision and recall, share of
good lines lost. Next to it, on the same lines: keep-everything and C4's line
rules (the line-level part of datatrove's C4QualityFilter, defaults). A second
table gives the single-document mode (--no-lines-corpus / --no-corpus; for
fr/sv the same CV models applied to features without corpus evidence).
A last check scores the dev features dump with the trees of
src/stage/lines_model.h in Python and counts the lines where tamis decided
otherwise (a few may differ by float rounding: the dump prints 6 digits).

Two documents outside the data close the report: the user's seed document
(/work/shared/seed/000_5b2c931548e4c558.txt through `tamis run SEED -o DIR`,
every default stage: is the kept text its .clean.txt, both without final
newlines?) and tests/data/lines/site.jsonl (`tamis run --explain`: the
removed lines of each document; a line on two pages or more of the file or
ending in "..." / "…" should go, any other line should stay).

The fr/sv CV models are trained by the whole recipe, augmentation included
(scripts/lines_augment.py): the synthetic pages of a fold come from its
training documents only, and only real lines are scored.

Writes Markdown to stdout and OUT/eval-lines.md, and OUT/eval-lines.json.
Exits 0 whether or not the target is met (it reports; it is not a test).

  /usr/bin/python3 scripts/eval-lines.py --tamis build/tamis --features build/lines-features --out build/eval-lines
"""
import argparse
import json
import math
import os
import re
import struct
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "lines_data", os.path.join(os.path.dirname(os.path.abspath(__file__)), "lines-data.py"))
ld = importlib.util.module_from_spec(_spec)
sys.modules["lines_data"] = ld
_spec.loader.exec_module(ld)

TARGET_ACC = 0.85
TARGET_LOST = 0.05
CV_LABEL = "CV (5 folds by document)"
DEV_LABEL = "dev, tamis"

# --------------------------------------------------------------------------
# Scoring (pure Python)
# --------------------------------------------------------------------------


def metrics(pairs):
    """pairs: (is_noise, removed) per line -> the line metrics."""
    n = noise = good = tp = fp = 0
    for y, r in pairs:
        n += 1
        if y:
            noise += 1
            tp += bool(r)
        else:
            good += 1
            fp += bool(r)
    nan = float("nan")
    return {
        "lines": n, "noise": noise, "removed": tp + fp,
        "accuracy": (tp + good - fp) / n if n else nan,
        "noise_precision": tp / (tp + fp) if tp + fp else nan,
        "noise_recall": tp / noise if noise else nan,
        "good_lost": fp / good if good else 0.0,
    }


def line_pairs(docs, removes):
    """(is_noise, removed) of every non-blank line; removes(doc, i) -> bool, i 0-based."""
    out = []
    for d in docs:
        for i, (line, y) in enumerate(zip(d.lines, d.noise)):
            if not ld.is_blank(line):
                out.append((y, bool(removes(d, i))))
    return out


# C4's line rules: datatrove's C4QualityFilter with its defaults, line level only.
CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
END_PUNCT = (".", "?", "!", '"', "'")
POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")


def c4_drops(line):
    s = line.strip()
    words = s.split()
    if any(len(w) > 1000 for w in words):
        return True
    s = CITATION.sub("", s)
    if not s.endswith(END_PUNCT) or s.endswith("..."):
        return True
    if len(words) < 3:
        return True
    low = s.lower()
    if "javascript" in low:
        return True
    if any(p in low for p in POLICY):
        return True
    return False


# --------------------------------------------------------------------------
# The shipped model, scored in Python (consistency check)
# --------------------------------------------------------------------------

def read_model_header(path):
    """The trees of a generated lines_model.h: dict(names, depth, feat, thr, val, bias, threshold)."""
    src = open(path, encoding="utf-8").read()
    body = re.sub(r"/\*.*?\*/", "", src, flags=re.S)

    def block(name):
        m = re.search(r"\b%s\[[^=]*=\s*\{(.*?)\};" % name, body, re.S)
        if not m:
            raise ValueError("%s: no %s" % (path, name))
        return m.group(1)

    def rows(name, conv):
        return [[conv(x.rstrip("fF")) for x in r.split(",") if x.strip()]
                for r in re.findall(r"\{([^{}]*)\}", block(name))]

    def define(name):
        return int(re.search(r"#define\s+%s\s+(\d+)" % name, body).group(1))

    names = re.findall(r'"((?:[^"\\]|\\.)*)"', block("tms_lines_feat_names"))
    m = {"names": names, "depth": define("TMS_LINES_DEPTH"),
         "feat": rows("tms_lines_split_feat", int), "thr": rows("tms_lines_split_thr", float),
         "val": rows("tms_lines_node_value", float),
         "bias": float(re.search(r"tms_lines_bias\s*=\s*([-+0-9.eE]+)[fF]", body).group(1)),
         "threshold": float(re.search(r"tms_lines_threshold\s*=\s*([-+0-9.eE]+)[fF]", body).group(1))}
    nt, ns = define("TMS_LINES_NTREES"), (1 << m["depth"]) - 1
    if len(names) != define("TMS_LINES_NFEAT") or len(m["feat"]) != nt or len(m["thr"]) != nt or len(m["val"]) != nt \
            or any(len(r) != ns for r in m["feat"] + m["thr"]) or any(len(r) != 2 * ns + 1 for r in m["val"]):
        raise ValueError("%s: arrays of unexpected shapes" % path)
    return m


def to_f32(x):
    """x rounded to the nearest float32 (what the C code holds), as a Python float."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def model_removes(model, fnames, row):
    """The decision of src/stage/lines_features.c's tms_lines_score and the stage, in Python."""
    if fnames != model["names"]:
        raise ValueError("features of the dump differ from the model's: %r vs %r" % (fnames, model["names"]))
    x = [to_f32(v) for v in row]
    ns = (1 << model["depth"]) - 1
    z = model["bias"]
    for feat, thr, val in zip(model["feat"], model["thr"], model["val"]):
        n = 0
        while n < ns:
            n = 2 * n + 1 if x[feat[n]] < thr[n] else 2 * n + 2
        z += val[n]
    th = model["threshold"]
    z -= math.log(th / (1 - th))
    return z >= 0      # the stage: log(p / (1 - p)) >= log(0.5 / 0.5) at the default --lines-threshold


# --------------------------------------------------------------------------
# fr / sv cross-validation
# --------------------------------------------------------------------------

def cross_validate(features_bin, work, data_dir, log, augment=True):
    """{lang: (pairs with corpus, pairs without corpus, thresholds)} for fr and sv; None without numpy."""
    try:
        import numpy as np
    except ImportError:
        log("fr/sv cross-validation skipped: numpy missing; install it with: %s" % ld.NUMPY_HINT)
        return None
    import lines_train_lib as lt
    import lines_augment as la
    splits = tuple((l, "train") for l in ld.TRAIN_LANGS) + tuple((l, "dev") for l in ld.DEV_ONLY_LANGS)
    prepared = ld.prepare(work, splits, data_dir, verbose=False)
    aug = None
    if augment:
        aug = la.Augmenter([d for _, docs in prepared.values() for d in docs], features_bin,
                           os.path.join(work, "augment"), ld, lt)
    ds, ds_nc = {}, {}
    for (lang, split), (path, docs) in prepared.items():
        names, feats = ld.features(features_bin, path, docs, cache=os.path.join(work, "%s-%s.tsv" % (lang, split)))
        ds[lang] = lt.Dataset.from_docs(docs, feats, names, ld.is_blank)
        if split == "dev":
            names, feats = ld.features(features_bin, path, docs, no_corpus=True,
                                       cache=os.path.join(work, "%s-%s.nocorpus.tsv" % (lang, split)))
            ds_nc[lang] = lt.Dataset.from_docs(docs, feats, names, ld.is_blank)
    res = {}
    for lang in ld.DEV_ONLY_LANGS:
        other = [l for l in ld.DEV_ONLY_LANGS if l != lang]
        target, target_nc = ds[lang], ds_nc[lang]
        assert (target.doc == target_nc.doc).all()
        fold = lt.folds(target, lt.K_FOLDS, salt="tamis-lines-eval")
        rem = np.zeros(len(target.y), dtype=bool)
        rem_nc = np.zeros(len(target.y), dtype=bool)
        thresholds = []
        for k in range(lt.K_FOLDS):
            te = fold == k
            train = lt.Dataset.concat([ds[l] for l in ld.TRAIN_LANGS] + [ds[l] for l in other] + [target.subset(~te)])
            m = lt.recipe(train, aug=aug)
            rem[te] = m.removes(target.X[te])
            rem_nc[te] = m.removes(target_nc.X[te])
            thresholds.append(m.T)
            log("%s fold %d: %d test lines, T = %.3f" % (lang, k, int(te.sum()), m.T))
        y = target.y.astype(bool).tolist()
        res[lang] = (list(zip(y, rem.tolist())), list(zip(y, rem_nc.tolist())), thresholds)
    return res


# --------------------------------------------------------------------------
# The seed document and tests/data/lines/site.jsonl
# --------------------------------------------------------------------------

SEED = "/work/shared/seed/000_5b2c931548e4c558"
SITE = os.path.join(ld.REPO, "tests", "data", "lines", "site.jsonl")


def _run(cmd):
    import subprocess
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(cmd), r.returncode,
                                                         r.stderr.decode("utf-8", "replace")[-2000:]))


def _outputs(outdir):
    """{id: record} of kept and rejected (rejected records get "rejected": True)."""
    res = {}
    for kind in ("kept", "rejected"):
        for rec in ld._zstd_records(os.path.join(outdir, "%s.jsonl.zst" % kind)):
            rec["rejected"] = kind == "rejected"
            res[rec.get("id")] = rec
    return res


def seed_check(tamis, work, seed=SEED):
    """The seed document through every default stage: dict or None when the seed is missing."""
    if not os.path.exists(seed + ".txt"):
        return None
    out, exp = os.path.join(work, "seed"), os.path.join(work, "seed-explain")
    _run([tamis, "run", "-q", seed + ".txt", "-o", out])
    _run([tamis, "run", "-q", "--explain", seed + ".txt", "-o", exp])
    lines = open(seed + ".txt", encoding="utf-8").read().split("\n")
    clean = open(seed + ".clean.txt", encoding="utf-8").read()
    kept = [r for r in _outputs(out).values() if not r["rejected"]]
    text = kept[0]["text"] if len(kept) == 1 else None
    removed = []
    for r in _outputs(exp).values():
        if r["rejected"]:
            removed = [{"line": i + 1, "reason": "document rejected: %s" % (r.get("metadata") or {}).get("filter_reason")}
                       for i, l in enumerate(lines) if not ld.is_blank(l)]
        else:
            removed = (r.get("metadata") or {}).get("removed_lines") or []
    return {"lines": sum(not ld.is_blank(l) for l in lines), "removed": len(removed),
            "removed_lines": removed, "kept_is_clean": text is not None and text.rstrip("\n") == clean.rstrip("\n")}


def site_check(tamis, work, path=SITE):
    """tests/data/lines/site.jsonl through every default stage with --explain: dict or None."""
    if not os.path.exists(path):
        return None
    docs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    count = {}
    for d in docs:
        for l in set(d["text"].split("\n")):
            count[l] = count.get(l, 0) + 1
    out = os.path.join(work, "site")
    _run([tamis, "run", "-q", "--explain", path, "-o", out])
    recs = _outputs(out)
    res = {"docs": [], "noise": 0, "noise_removed": 0, "content": 0, "content_removed": 0}
    for d in docs:
        lines = d["text"].split("\n")
        r = recs.get(d["id"])
        if r is None or r["rejected"]:
            why = "missing" if r is None else (r.get("metadata") or {}).get("filter_reason")
            gone = {i + 1: "document rejected: %s" % why for i in range(len(lines))}
        else:
            gone = {e["line"]: e.get("reason", "?") for e in (r.get("metadata") or {}).get("removed_lines") or []}
        for i, l in enumerate(lines, 1):
            if ld.is_blank(l):
                continue
            noise = count[l] >= 2 or l.rstrip().endswith(("...", "\u2026"))
            res["noise" if noise else "content"] += 1
            res["noise_removed" if noise else "content_removed"] += i in gone
        res["docs"].append({"id": d["id"], "lines": len(lines), "removed": sorted(gone),
                            "reasons": sorted(set(gone.values()))})
    return res


def ranges(nums):
    """[1, 2, 3, 7] -> "1-3,7"."""
    out, start = [], None
    for i, n in enumerate(nums):
        if start is None:
            start = n
        if i + 1 == len(nums) or nums[i + 1] != n + 1:
            out.append("%d" % start if start == n else "%d-%d" % (start, n))
            start = None
    return ",".join(out) or "none"


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def f3(x):
    return "n/a" if x is None or x != x else "%.3f" % x


def pct(x):
    return "n/a" if x is None or x != x else "%.1f%%" % (100 * x)


def clean(o):
    """NaN -> None, for JSON."""
    if isinstance(o, float) and o != o:
        return None
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    return o


def summary(rows):
    have = [r for r in rows.values() if r.get("lines")]
    if not have:
        return None
    accs = [r["lines"]["accuracy"] for r in have]
    lost = max(have, key=lambda r: r["lines"]["good_lost"])
    out = {"languages": len(have), "macro_accuracy": sum(accs) / len(accs),
           "max_good_lost": lost["lines"]["good_lost"], "max_good_lost_lang": lost["lang"]}
    for base in ("keep_all", "c4"):
        if all(base in r for r in have):
            out[base + "_macro_accuracy"] = sum(r[base]["accuracy"] for r in have) / len(have)
    out["met"] = (len(have) == len(ld.ALL_LANGS) and out["macro_accuracy"] >= TARGET_ACC
                  and out["max_good_lost"] <= TARGET_LOST)
    return out


def table_full(rows, summ):
    out = ["| lang | scored on | lines | noise | keep-all acc | C4 acc | C4 good lost "
           "| **lines acc** | noise precision | noise recall | **good lost** |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for lang in ld.ALL_LANGS:
        r = rows[lang]
        m = r.get("lines")
        k, c = r["keep_all"], r["c4"]
        out.append("| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            lang, r["scored_on"], k["lines"], k["noise"], f3(k["accuracy"]), f3(c["accuracy"]), pct(c["good_lost"]),
            f3(m and m["accuracy"]), f3(m and m["noise_precision"]), f3(m and m["noise_recall"]),
            pct(m and m["good_lost"])))
    if summ:
        ck = [rows[l]["c4"]["good_lost"] for l in ld.ALL_LANGS]
        out.append("| **macro** | %d languages | | | %s | %s | max %s | **%s** | | | **max %s (%s)** |" % (
            summ["languages"], f3(summ.get("keep_all_macro_accuracy")), f3(summ.get("c4_macro_accuracy")),
            pct(max(ck)), f3(summ["macro_accuracy"]), pct(summ["max_good_lost"]), summ["max_good_lost_lang"]))
    return out


def table_lines(rows, summ):
    out = ["| lang | scored on | lines | noise | **lines acc** | noise precision | noise recall | **good lost** |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for lang in ld.ALL_LANGS:
        r = rows[lang]
        m = r.get("lines")
        k = r["keep_all"]
        out.append("| %s | %s | %d | %d | %s | %s | %s | %s |" % (
            lang, r["scored_on"], k["lines"], k["noise"], f3(m and m["accuracy"]), f3(m and m["noise_precision"]),
            f3(m and m["noise_recall"]), pct(m and m["good_lost"])))
    if summ:
        out.append("| **macro** | %d languages | | | **%s** | | | **max %s (%s)** |" % (
            summ["languages"], f3(summ["macro_accuracy"]), pct(summ["max_good_lost"]), summ["max_good_lost_lang"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tamis", default=os.path.join(ld.REPO, "build", "tamis"))
    ap.add_argument("--features", default=os.path.join(ld.REPO, "build", "lines-features"))
    ap.add_argument("--out", default=os.path.join(ld.REPO, "build", "eval-lines"))
    ap.add_argument("--model", default=os.path.join(ld.REPO, "src", "stage", "lines_model.h"),
                    help="header the tamis binary was built with, for the consistency check")
    ap.add_argument("--data", default=None, help="data directory (default %s)" % ld.DATA_DIR)
    a = ap.parse_args()
    work = os.path.join(a.out, "work")
    os.makedirs(work, exist_ok=True)

    def log(msg):
        sys.stderr.write("eval-lines: %s\n" % msg)
        sys.stderr.flush()

    # ---- data ----
    dev = ld.prepare(work, tuple((l, "dev") for l in ld.ALL_LANGS), a.data, verbose=False)
    dedup = {l: ld.load_docs(l, "dev", a.data)[1] for l in ld.ALL_LANGS}

    # ---- baselines, all six languages ----
    rows = {m: {} for m in ("corpus", "nocorpus")}
    for lang in ld.ALL_LANGS:
        docs = dev[(lang, "dev")][1]
        base = {"keep_all": metrics(line_pairs(docs, lambda d, i: False)),
                "c4": metrics(line_pairs(docs, lambda d, i: c4_drops(d.lines[i])))}
        for mode in rows:
            rows[mode][lang] = dict(lang=lang, scored_on=CV_LABEL if lang in ld.DEV_ONLY_LANGS else DEV_LABEL,
                                    docs=len(docs), **base)

    # ---- tamis on de/en/es/fi dev ----
    consistency, warnings = {}, []
    model = None
    if os.path.exists(a.model):
        model = read_model_header(a.model)
    for lang in ld.TRAIN_LANGS:
        path, docs = dev[(lang, "dev")]
        for mode, nc in (("corpus", False), ("nocorpus", True)):
            outdir = os.path.join(work, "tamis-%s-dev%s" % (lang, "-nocorpus" if nc else ""))
            removed, warn = ld.run_tamis(a.tamis, path, docs, outdir, no_corpus=nc)
            warnings += warn
            pairs = line_pairs(docs, lambda d, i: (i + 1) in removed[d.id])
            rows[mode][lang]["lines"] = metrics(pairs)
            if model:
                fnames, feats = ld.features(a.features, path, docs, no_corpus=nc,
                                            cache=os.path.join(work, "%s-dev%s.tsv" % (lang, ".nocorpus" if nc else "")))
                diff = total = 0
                for d, fd in zip(docs, feats):
                    for i, line in enumerate(d.lines):
                        if ld.is_blank(line):
                            continue
                        total += 1
                        diff += model_removes(model, fnames, fd[i]) != ((i + 1) in removed[d.id])
                consistency.setdefault(mode, [0, 0])
                consistency[mode][0] += diff
                consistency[mode][1] += total
        log("%s dev: tamis done" % lang)

    # ---- fr/sv cross-validation ----
    cv = cross_validate(a.features, os.path.join(work, "cv"), a.data, log)
    for lang in ld.DEV_ONLY_LANGS:
        if cv is None:
            for mode in rows:
                rows[mode][lang]["scored_on"] = "n/a (needs numpy)"
            continue
        pairs, pairs_nc, ts = cv[lang]
        rows["corpus"][lang]["lines"] = metrics(pairs)
        rows["nocorpus"][lang]["lines"] = metrics(pairs_nc)
        for mode in rows:
            rows[mode][lang]["cv_thresholds"] = ts
            # the CV scores exactly the lines of the baselines
            assert rows[mode][lang]["lines"]["lines"] == rows[mode][lang]["keep_all"]["lines"]

    summ = {m: summary(rows[m]) for m in rows}

    # ---- the seed document and site.jsonl ----
    seed = seed_check(a.tamis, work)
    site = site_check(a.tamis, work)

    # ---- report ----
    md = ["# eval-lines: the `lines` stage on the TurkuNLP line-quality data", "",
          "Non-blank lines of the dev splits, deduplicated (dev documents equal to a train document and "
          "repeats inside a file dropped: %s). de/en/es/fi: the dev split through `tamis run --stages lines`. "
          "fr/sv have no train split: %s, each fold scored by a model trained on de/en/es/fi train, the other "
          "of fr/sv and this language's other folds. Keep-everything and C4's line rules (datatrove "
          "C4QualityFilter defaults, line level) are on the same lines; for fr/sv on all their dev lines."
          % (", ".join("%s %d" % (l, dedup[l]["dropped_vs_train"] + dedup[l]["dropped_repeats"])
                       for l in ld.ALL_LANGS if dedup[l]["dropped_vs_train"] + dedup[l]["dropped_repeats"]),
             CV_LABEL), "",
          "## With corpus evidence (default)", ""]
    md += table_full(rows["corpus"], summ["corpus"])
    md += ["", "## Without corpus evidence (`--no-lines-corpus`; fr/sv: CV models on `--no-corpus` features)", ""]
    md += table_lines(rows["nocorpus"], summ["nocorpus"])
    md += [""]
    if consistency:
        for mode, (diff, total) in sorted(consistency.items()):
            md.append("Consistency: tamis vs the features dump scored with %s in Python (%s): %d of %d lines differ."
                      % (os.path.relpath(a.model, ld.REPO), "with corpus" if mode == "corpus" else "without corpus",
                         diff, total))
    else:
        md.append("Consistency check skipped: no %s." % a.model)
    for w in warnings[:10]:
        md.append("Warning: %s" % w)
    if len(warnings) > 10:
        md.append("Warning: ... %d more" % (len(warnings) - 10))
    md.append("")
    s = summ["corpus"]
    if s:
        md.append("macro accuracy %.3f over %d languages; most good lines lost: %s %s"
                  % (s["macro_accuracy"], s["languages"], s["max_good_lost_lang"], pct(s["max_good_lost"])))
    sn = summ["nocorpus"]
    if sn:
        md.append("single-document mode: macro accuracy %.3f; most good lines lost: %s %s (the target %s there)"
                  % (sn["macro_accuracy"], sn["max_good_lost_lang"], pct(sn["max_good_lost"]),
                     "would be met" if sn["met"] else "would not be met"))
    md.append("target: macro accuracy >= %.2f and good lost <= %d%% in every language: %s"
              % (TARGET_ACC, round(TARGET_LOST * 100), "MET" if s and s["met"] else "NOT MET"))
    md.append("")
    if seed:
        by = {}
        for e in seed["removed_lines"]:
            by.setdefault(e["reason"], []).append(e["line"])
        md.append("seed document: removed lines %d/%d (%s), kept text == clean text: %s"
                  % (seed["removed"], seed["lines"],
                     ", ".join("%s: %s" % (ranges(sorted(v)), k) for k, v in sorted(by.items())) or "none",
                     "yes" if seed["kept_is_clean"] else "no"))
    else:
        md.append("seed document: %s.txt missing, not run" % SEED)
    if site:
        md.append("site.jsonl: removed lines per doc: %s; lines on 2+ pages or ending in an ellipsis removed "
                  "%d/%d, other lines removed %d/%d"
                  % ("; ".join("%s %s" % (d["id"], ranges(d["removed"])) for d in site["docs"]),
                     site["noise_removed"], site["noise"], site["content_removed"], site["content"]))
    text = "\n".join(md) + "\n"
    sys.stdout.write(text)
    with open(os.path.join(a.out, "eval-lines.md"), "w", encoding="utf-8") as f:
        f.write(text)
    res = {"target": {"macro_accuracy": TARGET_ACC, "max_good_lost": TARGET_LOST,
                      "met": bool(s and s["met"])},
           "with_corpus": rows["corpus"], "without_corpus": rows["nocorpus"],
           "summary": {"with_corpus": summ["corpus"], "without_corpus": summ["nocorpus"]},
           "dedup": dedup,
           "consistency": {m: {"differ": d, "lines": t} for m, (d, t) in consistency.items()},
           "seed": seed, "site": site,
           "warnings": warnings}
    with open(os.path.join(a.out, "eval-lines.json"), "w", encoding="utf-8") as f:
        json.dump(clean(res), f, indent=1, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
