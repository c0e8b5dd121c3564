#!/usr/bin/python3
"""eval-lid.py -- `make eval-lid`: scores both language-ID backends (tamis's
model and CLD2, through build/lid-eval and lid.h) on the dev set and writes
OUT/eval-lid.md and OUT/eval-lid.json.

The dev set (never trained on):
  udhr     held-out UDHR articles (n % 5 == 1) of every language of the model:
           single words, word pairs, sentences, and documents (the held-out
           articles of one declaration);
  web      ../shared/data: documents/turkunlp-register-core (whole web
           documents, language known by corpus) and
           lines/turkunlp-line-quality/*-dev.json (lines labelled clean: as
           sentences, their words and word pairs, and each document's clean
           lines joined as a document).
Accuracy is per language, then the macro mean over languages. CLD2 cannot
answer some of the model's languages: the tables give the mean over all the
languages of the set (CLD2 scores 0 where it has no answer) and over the
languages both backends answer.
"""
import argparse
import collections
import gzip
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lid_common as C  # noqa: E402

KINDS = ("words", "pairs", "sentences", "documents")
BACKENDS = ("tamis", "cld2")
DOC_CORPORA = {  # file -> language
    "ArCORE-ar.tsv.gz": "ar", "CaCORE-ca.tsv.gz": "ca", "FrCORE-dev.tsv": "fr", "HiCORE-hi.tsv.gz": "hi",
    "IdCORE-id.tsv.gz": "id", "PtCORE-pt.tsv.gz": "pt", "SvCORE-dev.tsv": "sv", "UrCORE-ur.tsv.gz": "ur",
}
LINE_LANGS = ("de", "en", "es", "fi", "fr", "sv")
SEED_DOC = "seed/000_5b2c931548e4c558.clean.txt"


def esc(t):
    return t.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def udhr_dev(data, rng):
    texts = []
    for code, iso, lab, paras in C.udhr_texts(os.path.join(data, "udhr", "package")):
        held = [p for n, p in paras if C.is_heldout(n)]
        if held:
            texts.append((lab, held))
    return C.samples(texts, rng, 40, 40, 40)


def web_dev(shared, rng):
    out = {k: [] for k in KINDS}
    ddir = os.path.join(shared, "data", "documents", "turkunlp-register-core")
    for name, lab in sorted(DOC_CORPORA.items()):
        path = os.path.join(ddir, name)
        if not os.path.exists(path):
            continue
        op = gzip.open if name.endswith(".gz") else open
        with op(path, "rt", encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 1)
                if len(parts) == 2 and parts[1].strip():
                    out["documents"].append((lab, parts[1].strip()))
    ldir = os.path.join(shared, "data", "lines", "turkunlp-line-quality")
    for lab in LINE_LANGS:
        path = os.path.join(ldir, f"{lab}-dev.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            docs = json.load(f)
        sents, words, pairs = [], [], []
        for d in docs:
            clean = [t.strip() for t, l in zip(d["text"], d["labels"]) if l == "1" and t.strip()]
            if clean:
                out["documents"].append((lab, "\n".join(clean)))
            for t in clean:
                if sum(ch.isalpha() for ch in t) >= 20:
                    sents.append(t)
                tk = C.tokens(t)
                words.extend(tk)
                pairs.extend(" ".join(tk[i:i + 2]) for i in range(0, len(tk) - 1, 2))
        for kind, items, cap in (("sentences", sents, 400), ("words", words, 400), ("pairs", pairs, 400)):
            if len(items) > cap:
                items = [items[i] for i in sorted(rng.choice(len(items), cap, replace=False))]
            out[kind].extend((lab, t) for t in items)
    return out


def run_lid(lid_eval, rows, short, tmp, repeat=1):
    path = tmp + ".tsv"
    with open(path, "w", encoding="utf-8") as f:
        for lab, t in rows:
            f.write(f"{lab}\t{esc(t)}\n")
    cmd = [lid_eval] + (["--short"] if short else []) + ["--repeat", str(repeat), path]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    preds = {b: [None] * len(rows) for b in BACKENDS}
    speed = {}
    for line in out.splitlines()[1:]:
        f = line.split("\t")
        if f[0] == "#speed":
            speed[f[1]] = {"texts": int(f[2]), "bytes": int(f[3]), "cpu_s": float(f[4]), "mb_s": float(f[5])}
        else:
            preds[f[1]][int(f[0])] = (f[3], float(f[4]), f[5], float(f[6]))
    return preds, speed


def per_lang(rows, preds):
    by = collections.defaultdict(list)
    for (lab, _), p in zip(rows, preds):
        by[lab].append(p[0] == lab)
    return {lab: float(np.mean(v)) for lab, v in sorted(by.items())}


def macro(acc, langs):
    v = [acc.get(l, 0.0) for l in langs]
    return float(np.mean(v)) if v else float("nan")


def reliability(rows, preds):
    bins = []
    edges = np.linspace(0, 1, 11)
    sc = np.array([p[1] for p in preds])
    ok = np.array([p[0] == r[0] for r, p in zip(rows, preds)])
    ece = 0.0
    for i in range(10):
        m = (sc >= edges[i]) & ((sc < edges[i + 1]) if i < 9 else (sc <= 1.0))
        if m.sum():
            bins.append({"lo": float(edges[i]), "hi": float(edges[i + 1]), "n": int(m.sum()),
                         "mean_score": float(sc[m].mean()), "accuracy": float(ok[m].mean())})
            ece += m.sum() / len(sc) * abs(sc[m].mean() - ok[m].mean())
    return {"bins": bins, "ece": float(ece), "n": int(len(sc))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lid-eval", default="build/lid-eval")
    ap.add_argument("--data", default=os.environ.get("LID_DATA", "build/lid-data"))
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    ap.add_argument("--out", default="build/eval-lid")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261129)
    sets = {"udhr": udhr_dev(args.data, rng), "web": web_dev(args.shared, rng)}

    langs_out = subprocess.run([args.lid_eval, "--languages"], check=True, capture_output=True, text=True).stdout
    supported = {}
    for line in langs_out.splitlines():
        f = line.split("\t")
        supported[f[0]] = set(f[2].split()) if len(f) > 2 else set()

    res = {"sets": {}, "speed": {}, "languages": {b: sorted(supported.get(b, ())) for b in BACKENDS}}
    allrows, allpreds = [], {b: [] for b in BACKENDS}
    srcrows = {s: ([], {b: [] for b in BACKENDS}) for s in sets}
    for src, kinds in sets.items():
        for kind in KINDS:
            rows = kinds[kind]
            if not rows:
                continue
            preds, _ = run_lid(args.lid_eval, rows, kind != "documents", os.path.join(args.out, f"{src}-{kind}"))
            langs = sorted({r[0] for r in rows})
            common = [l for l in langs if all(l in supported.get(b, ()) for b in BACKENDS)]
            entry = {"rows": len(rows), "languages": langs, "common": common, "backends": {}}
            for b in BACKENDS:
                acc = per_lang(rows, preds[b])
                entry["backends"][b] = {"per_language": acc, "macro_all": macro(acc, langs),
                                        "macro_common": macro(acc, common)}
                allpreds[b].extend(preds[b])
                srcrows[src][1][b].extend(preds[b])
                if src == "web" and kind == "documents":
                    conf = collections.defaultdict(collections.Counter)
                    for (lab, _), p in zip(rows, preds[b]):
                        conf[lab][p[0]] += 1
                    entry["backends"][b]["confusion"] = {l: dict(c.most_common()) for l, c in sorted(conf.items())}
            allrows.extend(rows)
            srcrows[src][0].extend(rows)
            res["sets"][f"{src}/{kind}"] = entry
    res["calibration"] = {b: reliability(allrows, allpreds[b]) for b in BACKENDS}
    res["calibration_by_set"] = {src: {b: reliability(r, p[b]) for b in BACKENDS} for src, (r, p) in srcrows.items()}

    # speed: web documents and web sentences (lines), best of 3, one core
    for kind, short in (("documents", False), ("sentences", True)):
        rows = sets["web"][kind]
        _, speed = run_lid(args.lid_eval, rows, short, os.path.join(args.out, f"speed-{kind}"), repeat=3)
        res["speed"][kind] = speed

    seed_path = os.path.join(args.shared, SEED_DOC)
    if os.path.exists(seed_path):
        with open(seed_path, encoding="utf-8", errors="replace") as f:
            seed = f.read()
        preds, _ = run_lid(args.lid_eval, [("fr", seed)], False, os.path.join(args.out, "seed"))
        res["seed"] = {b: {"lang": preds[b][0][0], "score": preds[b][0][1]} for b in BACKENDS}

    with open(os.path.join(args.out, "eval-lid.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    md = report(res)
    with open(os.path.join(args.out, "eval-lid.md"), "w") as f:
        f.write(md)
    print(md)


def pct(x):
    return "-" if x != x else f"{100 * x:.1f}"


def report(res):
    L = ["# Language identification: tamis's model vs CLD2", ""]
    nt, nc = len(res["languages"]["tamis"]), len(res["languages"]["cld2"])
    L.append(f"Languages: tamis {nt}, CLD2 {nc} (after mapping its codes); "
             f"{len(set(res['languages']['tamis']) & set(res['languages']['cld2']))} in common. "
             "Macro mean of per-language accuracy (%). 'all' counts every language of the set "
             "(a backend that cannot answer a language scores 0 on it); 'common' only the languages "
             "both backends answer. Short texts (words, pairs, sentences) use TMS_LID_SHORT "
             "(CLD2's best-effort mode).")
    L.append("")
    L.append("| set | length | texts | langs | tamis all | CLD2 all | common langs | tamis common | CLD2 common |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, e in res["sets"].items():
        src, kind = key.split("/")
        t, c = e["backends"]["tamis"], e["backends"]["cld2"]
        L.append(f"| {src} | {kind} | {e['rows']} | {len(e['languages'])} | {pct(t['macro_all'])} | "
                 f"{pct(c['macro_all'])} | {len(e['common'])} | {pct(t['macro_common'])} | {pct(c['macro_common'])} |")
    L.append("")
    L.append("## Speed (one core, CPU time in tms_lid_detect, best of 3)")
    L.append("")
    L.append("| texts | backend | n | MB | CPU s | MB/s |")
    L.append("|---|---|---:|---:|---:|---:|")
    for kind, sp in res["speed"].items():
        for b in BACKENDS:
            if b in sp:
                s = sp[b]
                L.append(f"| web {kind} | {b} | {s['texts']} | {s['bytes'] / 1e6:.2f} | {s['cpu_s']:.3f} | {s['mb_s']:.1f} |")
    L.append("")
    if "seed" in res:
        L.append("## The seed document (../shared/seed, French)")
        L.append("")
        for b in BACKENDS:
            L.append(f"- {b}: `{res['seed'][b]['lang']}` score {res['seed'][b]['score']:.3f}")
        L.append("")
    L.append("## Web documents (../shared/data): per corpus, share assigned its own language, and the confusion")
    L.append("")
    e = res["sets"].get("web/documents")
    if e:
        L.append("| language | docs | tamis | tamis's answers | CLD2 | CLD2's answers |")
        L.append("|---|---:|---:|---|---:|---|")
        for lab in e["languages"]:
            cells = []
            for b in BACKENDS:
                conf = e["backends"][b]["confusion"][lab]
                cells.append(pct(e["backends"][b]["per_language"][lab]))
                cells.append(", ".join(f"{k} {v}" for k, v in list(conf.items())[:5]))
            n = sum(e["backends"]["tamis"]["confusion"][lab].values())
            L.append(f"| {lab} | {n} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")
        L.append("")
    L.append("## Web sentences, words, pairs per language (%)")
    L.append("")
    L.append("| language | " + " | ".join(f"{k} tamis | {k} CLD2" for k in ("sentences", "pairs", "words")) + " |")
    L.append("|---|" + "---:|" * 6)
    e = res["sets"].get("web/sentences")
    if e:
        for lab in e["languages"]:
            cells = []
            for k in ("sentences", "pairs", "words"):
                ek = res["sets"].get(f"web/{k}")
                for b in BACKENDS:
                    cells.append(pct(ek["backends"][b]["per_language"].get(lab, float("nan"))) if ek else "-")
            L.append(f"| {lab} | " + " | ".join(cells) + " |")
        L.append("")
    L.append("## Calibration: reliability of the best answer's score")
    L.append("")
    L.append("Texts binned by the best answer's score: the mean score against the share that is right. "
             "The web set is the population the score is calibrated for (tamis: weighted by the web prior); "
             "the UDHR set has every language equally often.")
    L.append("")
    for src, cal_b in [("all dev texts", res["calibration"])] + [(f"{s} set", c) for s, c in res["calibration_by_set"].items()]:
        for b in BACKENDS:
            cal = cal_b[b]
            L.append(f"**{b}, {src}** ({cal['n']} texts, expected calibration error {cal['ece']:.3f}): " +
                     ", ".join(f"{bn['lo']:.1f}-{bn['hi']:.1f}: n {bn['n']}, score {bn['mean_score']:.2f}, "
                               f"right {bn['accuracy']:.2f}" for bn in cal["bins"]))
            L.append("")
    L.append("## UDHR held-out per language (%; CLD2 '-' = cannot answer the language)")
    L.append("")
    L.append("| language | " + " | ".join(f"{k} tamis | {k} CLD2" for k in KINDS) + " |")
    L.append("|---|" + "---:|" * 8)
    langs = res["sets"]["udhr/documents"]["languages"] if "udhr/documents" in res["sets"] else []
    for lab in langs:
        cells = []
        for k in KINDS:
            ek = res["sets"].get(f"udhr/{k}")
            for b in BACKENDS:
                if b == "cld2" and lab not in res["languages"]["cld2"]:
                    cells.append("-")
                else:
                    cells.append(pct(ek["backends"][b]["per_language"].get(lab, float("nan"))) if ek else "-")
        L.append(f"| {lab} | " + " | ".join(cells) + " |")
    L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
