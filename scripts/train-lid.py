#!/usr/bin/python3
"""train-lid.py -- trains tamis's language-ID model (src/stage/lid/model.bin)
from the text scripts/fetch-lid-data.sh put in $LID_DATA (build/lid-data).

Deterministic: same data, same bytes. Steps (docs/internals/LID_MODEL.md):
 1. read the UDHR declarations; articles n % 5 == 1 are held out (the dev
    set, never read here), articles n % 5 == 3 are the calibration split;
 2. count hashed features per language on the training text without the
    calibration split, build the top-K table, score the calibration samples
    (words, word pairs, sentences, documents) and fit the temperature
    T(n) = a * n^b of the softmax (n = number of features) by log loss;
 3. count again on all the training text (calibration split included) and
    write the model with that temperature.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lid_common as C  # noqa: E402
import lid_model as M  # noqa: E402

BITS = 18
ALPHA = 0.1
TOPK = 8
QSCALE = 16.0


def load(data_dir):
    udhr = os.path.join(data_dir, "udhr", "package")
    texts = list(C.udhr_texts(udhr))
    if not texts:
        sys.exit(f"train-lid: no UDHR text under {udhr}: run scripts/fetch-lid-data.sh")
    return texts


SHARES = {"udhr": 0.75, "stopwords": 0.10, "cldr": 0.15, "tesseract": 0.15}


def extra_sources(data_dir, labels):
    """Word lists other than the UDHR: {label: [(words, share)]} (stop words, CLDR, Tesseract)."""
    path = os.path.join(data_dir, "stopwords-iso", "package", "stopwords-iso.json")
    if not os.path.exists(path):
        sys.exit(f"train-lid: no {path}: run scripts/fetch-lid-data.sh")
    out = {}
    for lab, ws in C.stopword_words(path, set(labels)).items():
        out.setdefault(lab, []).append((ws, SHARES["stopwords"]))
    for lab, ws in C.cldr_words(data_dir, set(labels)).items():
        out.setdefault(lab, []).append((ws, SHARES["cldr"]))
    if not os.path.exists(os.path.join(data_dir, "tesseract", ".stamp")):
        sys.exit(f"train-lid: no Tesseract word lists in {data_dir}: run scripts/fetch-lid-data.sh")
    for lab, ws in C.tesseract_words(data_dir, set(labels)).items():
        out.setdefault(lab, []).append((ws, SHARES["tesseract"]))
    return out


def fit_temperature(model, samples):
    """Grid search of (a, b) minimising the mean log loss of the true label,
    each calibration text weighted by its language's prior (the calibration
    split has every language equally; the web, which the score is for, has
    them in the proportions of the prior)."""
    Z, N, Y, A, W = [], [], [], [], []
    for kind, items in samples.items():
        for lab, text in items:
            acc, n, dom = model.raw(text)
            if n == 0:
                continue
            ok = model.allowed(dom)
            if not ok[model.labels.index(lab)]:
                continue
            A.append(ok)
            W.append(np.exp(model.priors[model.labels.index(lab)]))
            Z.append(acc / model.qscale)
            N.append(n)
            Y.append(model.labels.index(lab))
    Z, N, Y, A = np.array(Z), np.array(N, dtype=np.float64), np.array(Y), np.array(A)
    W = np.array(W, dtype=np.float64) / np.sum(W)
    P = model.priors[None, :].astype(np.float64)
    rows = np.arange(len(Y))
    best = None
    for b in np.arange(0.0, 1.01, 0.05):
        for a in np.exp(np.arange(np.log(0.05), np.log(50.0), 0.05)):
            zz = np.where(A, Z / (a * N ** b)[:, None] + P, -1e30)
            m = zz.max(axis=1)
            loss = float(np.sum(W * (m + np.log(np.exp(zz - m[:, None]).sum(axis=1)) - zz[rows, Y])))
            if best is None or loss < best[0]:
                best = (loss, float(a), float(b))
    # then the score of the best answer: a logistic fit of "right" on the
    # logit of its softmax probability and the log of the number of features
    _, a, b = best
    zz = np.where(A, Z / (a * N ** b)[:, None] + P, -1e30)
    zz = zz - zz.max(axis=1)[:, None]
    pr = np.exp(zz)
    pr /= pr.sum(axis=1)[:, None]
    top = pr.argmax(axis=1)
    pt = np.clip(pr[rows, top], 1e-9, 1 - 1e-9)
    X = np.stack([np.ones(len(pt)), np.log(pt / (1 - pt)), np.log(N)], axis=1)
    y = (top == Y).astype(np.float64)
    w = np.zeros(3)
    for _ in range(50):  # Newton's method on the weighted log loss
        q = 1 / (1 + np.exp(-(X @ w)))
        g = X.T @ (W * (q - y))
        H = (X * (W * q * (1 - q))[:, None]).T @ X + 1e-6 * np.eye(3)
        w -= np.linalg.solve(H, g)
    return best + (tuple(float(x) for x in w),)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("LID_DATA", "build/lid-data"))
    ap.add_argument("--out", default="src/stage/lid/model.bin")
    args = ap.parse_args()
    t0 = time.time()
    texts = load(args.data)
    labels = sorted({t[2] for t in texts})
    assert len(labels) < 256
    fit_words = {lab: [] for lab in labels}
    all_words = {lab: [] for lab in labels}
    calib = []
    for code, iso, lab, paras in texts:
        cal = []
        for n, p in paras:
            if C.is_heldout(n):
                continue
            w = C.words_of(p)
            all_words[lab].extend(w)
            if C.is_calibration(n):
                cal.append(p)
            else:
                fit_words[lab].extend(w)
        calib.append((lab, cal))
    extra = extra_sources(args.data, labels)
    fit_src = {lab: [(fit_words[lab], SHARES["udhr"])] + extra.get(lab, []) for lab in labels}
    all_src = {lab: [(all_words[lab], SHARES["udhr"])] + extra.get(lab, []) for lab in labels}
    priors = [C.prior(lab) for lab in labels]
    masks = [C.script_mask(all_words[lab]) for lab in labels]
    print(f"train-lid: {len(texts)} texts, {len(labels)} languages", file=sys.stderr)

    # 2. calibration: a model without the calibration split scores it
    keys, counts, totals = M.count(fit_src, labels, BITS)
    table = M.build_table(keys, counts, totals, len(labels), BITS, ALPHA, TOPK, QSCALE)
    m = M.Model(labels, BITS, TOPK, table, QSCALE, priors, masks)
    samples = C.samples(calib, np.random.default_rng(20261129), 20, 20, 20)
    loss, a, b, cal = fit_temperature(m, samples)
    print(f"train-lid: temperature T(n) = {a:.4f} * n^{b:.2f} (log loss {loss:.4f}); score = "
          f"sigmoid({cal[0]:.3f} + {cal[1]:.3f} logit(p) + {cal[2]:.3f} ln n)", file=sys.stderr)

    # 3. the final model on all the training text
    keys, counts, totals = M.count(all_src, labels, BITS)
    table = M.build_table(keys, counts, totals, len(labels), BITS, ALPHA, TOPK, QSCALE)
    model = M.Model(labels, BITS, TOPK, table, QSCALE, priors, masks, np.float32(a), np.float32(b), cal)
    size = model.write(args.out)
    print(f"train-lid: wrote {args.out}: {size} bytes, {len(labels)} languages, "
          f"{int((table != 0).sum())} entries ({time.time() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
