#!/usr/bin/python3
"""Fits the calibration of CLD2's score (src/stage/lid/lid.c, CLD2_CAL_*):
a logistic regression of "CLD2's answer is right" on its share of the
letters, its reliability flag and log(1 + letter bytes), on the calibration
split of the UDHR (articles n % 5 == 3, the same split tamis's model fits its
temperature on; never the dev articles), as single words, word pairs,
sentences (CLD2's best-effort mode, as for lines) and whole declarations.
Only languages CLD2 can answer count (CLD2's codes mapped as lid.c maps them).

    make build/cld2-raw && /usr/bin/python3 scripts/calibrate-cld2.py [--udhr DIR]
"""
import argparse, os, subprocess, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lid_common as L

MAP = {"iw": "he", "jw": "jv", "no": "nb", "zh-Hant": "zh", "sr-ME": "sr"}


def cld2_code(c):
    if not c or c in ("un", "xxx") or c.startswith("xx-") or c.startswith("zz"):
        return "und"
    return MAP.get(c, c)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--udhr", default=os.path.join(os.environ.get("LID_DATA", "build/lid-data"), "udhr"))
    ap.add_argument("--tool", default="build/cld2-raw")
    a = ap.parse_args()
    texts = []
    for _code, _iso, label, paras in L.udhr_texts(a.udhr):
        cal = [t for n, t in paras if L.is_calibration(n)]
        if cal:
            texts.append((label, cal))
    rng = np.random.default_rng(7)
    s = L.samples(texts, rng, 20, 20, 20)
    rows = []
    for kind, items in s.items():
        short = 0 if kind == "documents" else 1
        rows += [(lab, short, t) for lab, t in items]
    tsv = "".join("%s\t%d\t%s\n" % (lab, sh, t.replace("\\", "\\\\").replace("\n", "\\n")) for lab, sh, t in rows)
    out = subprocess.run([a.tool], input=tsv.encode(), capture_output=True, check=True).stdout.decode()
    X, y = [], []
    res = [l.split("\t") for l in out.splitlines()]
    answered = {cld2_code(r[1]) for r in res}
    for lab, code, pct, rel, tb in res:
        code = cld2_code(code)
        if code == "und" or lab not in answered:
            continue  # CLD2 said nothing, or cannot say this language at all
        X.append([1.0, int(pct) / 100.0, float(rel), np.log1p(float(tb))])
        y.append(1.0 if code == lab else 0.0)
    X, y = np.array(X), np.array(y)
    w = np.zeros(4)
    for _ in range(5000):  # Newton steps would do; plain gradient descent is enough here
        p = 1 / (1 + np.exp(-X @ w))
        w -= 0.5 * X.T @ (p - y) / len(y)
    p = 1 / (1 + np.exp(-X @ w))
    print("rows %d, right %.3f, log loss %.4f" % (len(y), y.mean(),
          -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))))
    for lo in np.arange(0, 1, 0.1):
        m = (p >= lo) & (p < lo + 0.1)
        if m.sum():
            print("  score %.1f-%.1f: %5d answers, %.3f right" % (lo, lo + 0.1, m.sum(), y[m].mean()))
    print("#define CLD2_CAL_B0 (%.4f)\n#define CLD2_CAL_PCT %.4f\n#define CLD2_CAL_REL %.4f\n#define CLD2_CAL_LEN %.4f" % tuple(w))


if __name__ == "__main__":
    main()
