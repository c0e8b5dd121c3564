"""The training recipe of the `lines` stage's model, shared by
scripts/train-lines.py and scripts/eval-lines.py (numpy needed).

Model: gradient-boosted regression trees on the logistic loss, predicting
NOISE (label "0" -> y=1) over the per-line features of build/lines-features:
P(noise) = sigmoid(bias + sum of the trees' outputs). Trees are complete
binary trees of depth DEPTH, nodes numbered heap-style (children of n: 2n+1,
2n+2); a row goes left when feature < threshold, compared in float32 as the
C code does. Every tree is grown level by level on histograms: the split
candidates of a feature are float32 midpoints between distinct values, at
most MAX_BINS - 1 of them, taken at its quantiles. A split is the one of
highest gain G_L^2/(H_L+lam) + G_R^2/(H_R+lam) - G^2/(H+lam) among those
leaving at least min_rows rows and min_hess hessian on each side; a node
without one does not split (feature 0, threshold 3.0e38: all rows go left).
A leaf's output is the Newton step -G/(H+lam) times the learning rate; an
internal node holds the mean of the leaf outputs of the rows reaching it
(weighted by the sample weights), which the stage uses to name the reason of
a removal; a node no row reaches holds its parent's value. The bias is the
log-odds of the weighted noise rate.

Each language's lines carry the same total weight (sv's 12k lines do not
dominate); the weights are scaled to a mean of 1, so min_hess and lam are in
units of rows. Blank lines are not rows (the stage never removes them).

Augmentation (scripts/lines_augment.py): the fits also see synthetic pages
(real training documents put on synthetic sites with repeated boilerplate and
widget + teaser blocks), rows marked `syn` (1: a line of the real document
under a synthetic page, 2: an inserted boilerplate line, 3: an inserted
teaser line). Inside each language the synthetic rows share SYN_SHARE of the
language's weight, the real rows the rest; the synthetic share is split
between the three kinds by SYN_PARTS (a kind a language lacks gives its part
to the others, in proportion). They are only ever training rows: in the cross-validation each fold's
synthetic pages are built from that fold's training documents (the `aug`
callable of cross_val_z / recipe / search), the out-of-fold predictions and
so the threshold are those of real lines only.

Threshold: the stage removes a line when P(noise) >= T. T is chosen on
out-of-fold probabilities of a 5-fold cross-validation by document,
stratified by language: the T of highest macro accuracy (mean over languages)
such that in every language at most MAX_GOOD_LOST of the good lines are
removed; ties go to the larger T. The trees are then fitted on all the data.
The hyper-parameters (PARAMS) were chosen by the same cross-validation over
SEARCH_GRID (scripts/train-lines.py --search).

Everything is deterministic: folds come from a seeded shuffle of the
document ids, the bins from sorted values, the fit uses no randomness and
breaks ties between splits by the lowest (feature, bin).
"""
import math
import random

import numpy as np

K_FOLDS = 5
MAX_GOOD_LOST = 0.035
# candidate thresholds, on a log-odds grid of step 0.01 (T from 0.0003 to 0.9997)
T_GRID = (1.0 / (1.0 + np.exp(-np.arange(-800, 801) / 100.0))).astype(np.float32)

# the recipe's hyper-parameters: the pick of --search (train-lines.py) on the 82 features of 2026-11-29
# with the augmentation of scripts/lines_augment.py, 5-fold CV macro accuracy 0.762 (the other 43 points
# of SEARCH_GRID x SEARCH_TREES within size_ok: 0.665 to 0.756; without augmentation the pick was 50 trees, 0.748)
PARAMS = {"depth": 3, "ntrees": 75, "lr": 0.1, "lam": 1.0, "min_rows": 20, "min_hess": 1.0, "max_bins": 64}
# --search: every combination of these, each scored at every tree count of SEARCH_TREES
SEARCH_GRID = {"depth": (3, 4, 5), "min_rows": (20, 50), "lam": (1.0,)}
SEARCH_TREES = (25, 50, 75, 100, 150, 200, 300, 400)
NO_SPLIT_THR = np.float32(3.0e38)
# share of each language's total weight carried by its synthetic rows (when there are any), and how
# it is split between the pages' own lines, the inserted boilerplate and the inserted teasers
SYN_SHARE = 0.15
SYN_PARTS = {1: 0.2, 2: 0.2, 3: 0.6}


class Dataset:
    """Rows of non-blank lines: X (n, d) float64, y (n,) 1 = noise, lang (n,), doc (n,) document ids,
    syn (n,) int8: 0 a real row, else a line of a synthetic page (scripts/lines_augment.py):
    1 one of the page's real document, 2 inserted boilerplate, 3 an inserted teaser."""

    def __init__(self, X, y, lang, doc, names, syn=None):
        self.X, self.y, self.lang, self.doc, self.names = X, y, lang, doc, list(names)
        self.syn = np.zeros(len(y), dtype=np.int8) if syn is None else np.asarray(syn, dtype=np.int8)

    @classmethod
    def from_docs(cls, docs, feats, names, is_blank, syn=False):
        """Rows of docs; syn: the docs are synthetic pages (their `inserted` marks the inserted lines)."""
        X, y, lang, doc, mark = [], [], [], [], []
        for d, fd in zip(docs, feats):
            ins = d.inserted if syn else [None] * len(d.lines)
            for line, n, f, kind in zip(d.lines, d.noise, fd, ins):
                if is_blank(line):
                    continue
                mark.append(0 if not syn else 1 if not kind else 3 if kind == "teaser" else 2)
                X.append(f)
                y.append(n)
                lang.append(d.lang)
                doc.append(d.id)
        X = np.array(X, dtype=np.float64).reshape(len(X), len(names))
        if not np.isfinite(X).all():
            bad = sorted({names[j] for j in np.nonzero(~np.isfinite(X))[1].tolist()})
            raise ValueError("non-finite feature values in %s" % ", ".join(bad))
        return cls(X, np.array(y, dtype=np.float64), np.array(lang), np.array(doc), names,
                   np.array(mark, dtype=np.int8))

    @classmethod
    def concat(cls, parts):
        parts = [p for p in parts if len(p.y)]
        names = parts[0].names
        for p in parts:
            if p.names != names:
                raise ValueError("feature names differ between files: %r vs %r" % (p.names, names))
        return cls(np.concatenate([p.X for p in parts]), np.concatenate([p.y for p in parts]),
                   np.concatenate([p.lang for p in parts]), np.concatenate([p.doc for p in parts]), names,
                   np.concatenate([p.syn for p in parts]))

    def subset(self, mask):
        return Dataset(self.X[mask], self.y[mask], self.lang[mask], self.doc[mask], self.names, self.syn[mask])

    def langs(self):
        return sorted(set(self.lang.tolist()))


def lang_weights(lang, syn=None, share=None, parts=None):
    """Row weights: every language sums to 1 / (number of languages). Inside a language that has
    synthetic rows (syn > 0) they sum to `share` (default SYN_SHARE) of it and the real rows to the
    rest; the synthetic part is split between the kinds of syn by `parts` (default SYN_PARTS)."""
    share = SYN_SHARE if share is None else share
    parts = SYN_PARTS if parts is None else parts
    syn = np.zeros(len(lang), dtype=np.int8) if syn is None else np.asarray(syn)
    w = np.zeros(len(lang))
    ls = sorted(set(lang.tolist()))
    for l in ls:
        m = lang == l
        mr = m & (syn == 0)
        kinds = [k for k in sorted(parts) if (m & (syn == k)).any()]
        if not mr.any() or not kinds:
            w[m] = 1.0 / (m.sum() * len(ls))
            continue
        w[mr] = (1.0 - share) / (mr.sum() * len(ls))
        total = sum(parts[k] for k in kinds)
        for k in kinds:
            mk = m & (syn == k)
            w[mk] = share * parts[k] / total / (mk.sum() * len(ls))
    return w


# --------------------------------------------------------------------------
# Gradient-boosted trees
# --------------------------------------------------------------------------

def make_edges(X32, max_bins):
    """Split thresholds of every feature: sorted float32 values e, x < e[b] <=> bin(x) <= b.

    Each threshold lies between two distinct float32 values a < b of the column: the float32
    midpoint, or b when the midpoint rounds to a, so that x < t <=> x <= a on the data."""
    edges = []
    for j in range(X32.shape[1]):
        u = np.unique(X32[:, j])
        if len(u) < 2:
            edges.append(np.zeros(0, np.float32))
            continue
        mids = ((u[:-1].astype(np.float64) + u[1:].astype(np.float64)) / 2.0).astype(np.float32)
        mids = np.where(mids > u[:-1], mids, u[1:])
        if len(u) > max_bins:
            xs = np.sort(X32[:, j])
            q = xs[(np.arange(1, max_bins) * len(xs)) // max_bins]
            mids = mids[np.unique(np.clip(np.searchsorted(u, q, side="right") - 1, 0, len(u) - 2))]
        edges.append(mids)
    return edges


def _hist(baseT, loc, g, h, nl, d, nb):
    """(3, nl, d, nb): sums of g, h and row counts per (node, feature, bin); baseT (d, rows)."""
    key = (baseT + loc[None, :] * (d * nb)).ravel()
    size = nl * d * nb
    out = np.empty((3, nl, d, nb))
    out[0] = np.bincount(key, np.tile(g, d), size).reshape(nl, d, nb)
    out[1] = np.bincount(key, np.tile(h, d), size).reshape(nl, d, nb)
    out[2] = np.bincount(key, None, size).reshape(nl, d, nb)
    return out


class Trees:
    """A fitted ensemble: bias, feat/thr (ntrees, 2^D - 1), val (ntrees, 2^(D+1) - 1), all float32 values."""

    def __init__(self, depth, bias, feat, thr, val, gain):
        self.depth, self.bias, self.feat, self.thr, self.val, self.gain = depth, bias, feat, thr, val, gain

    def ntrees(self):
        return len(self.val)

    def staged_z(self, X, checkpoints):
        """{t: log-odds of noise of every row of X after the first t trees} for t in checkpoints."""
        X32 = np.asarray(X, dtype=np.float32)
        rows = np.arange(len(X32))
        z = np.full(len(X32), float(self.bias))
        val = self.val.astype(np.float64)
        out = {}
        for t in range(self.ntrees()):
            node = np.zeros(len(X32), dtype=np.int64)
            for _ in range(self.depth):
                node = np.where(X32[rows, self.feat[t, node]] < self.thr[t, node], 2 * node + 1, 2 * node + 2)
            z += val[t, node]
            if t + 1 in checkpoints:
                out[t + 1] = z.copy()
        return out

    def z(self, X):
        return self.staged_z(X, {self.ntrees()})[self.ntrees()]


def fit(ds, params=None):
    """The trees of PARAMS (overridden by params) fitted on ds, languages weighted equally."""
    p = dict(PARAMS, **(params or {}))
    depth, ntrees, lr, lam = int(p["depth"]), int(p["ntrees"]), float(p["lr"]), float(p["lam"])
    min_rows, min_hess = float(p["min_rows"]), float(p["min_hess"])
    X32 = np.asarray(ds.X, dtype=np.float32)
    y = np.asarray(ds.y, dtype=np.float64)
    n, d = X32.shape
    edges = make_edges(X32, int(p["max_bins"]))
    nedge = np.array([len(e) for e in edges])
    nb = int(nedge.max()) + 1
    B = np.zeros((n, d), dtype=np.int64)
    for j, e in enumerate(edges):
        B[:, j] = np.searchsorted(e, X32[:, j], side="right")
    baseT = np.ascontiguousarray((np.arange(d, dtype=np.int64)[None, :] * nb + B).T)
    can = np.arange(nb)[None, :] < nedge[:, None]          # (d, nb): "bin <= b" is a split
    w = lang_weights(ds.lang, ds.syn)
    w *= n / w.sum()
    rate = float(w @ y / w.sum())
    bias = np.float32(math.log(rate / (1.0 - rate)))
    ns, nn = (1 << depth) - 1, (2 << depth) - 1
    feat = np.zeros((ntrees, ns), dtype=np.int64)
    thr = np.full((ntrees, ns), NO_SPLIT_THR, dtype=np.float32)
    val = np.zeros((ntrees, nn), dtype=np.float32)
    gain = np.zeros(d)
    rows = np.arange(n)
    F = np.full(n, float(bias))
    for t in range(ntrees):
        q = 1.0 / (1.0 + np.exp(-F))
        g, h = w * (q - y), w * q * (1.0 - q)
        node = np.zeros(n, dtype=np.int64)
        split_bin = np.full(ns, nb, dtype=np.int64)        # nb: all rows go left
        hist = None
        for L in range(depth):
            first, nl = (1 << L) - 1, 1 << L
            loc = node - first
            if L == 0:
                hist = _hist(baseT, loc, g, h, 1, d, nb)
            else:                                        # left children summed, right = parent - left
                left = (loc & 1) == 0
                li = np.flatnonzero(left)
                lh = _hist(np.take(baseT, li, axis=1), loc[li] >> 1, g[li], h[li], nl >> 1, d, nb)
                new = np.empty((3, nl, d, nb))
                new[:, 0::2], new[:, 1::2] = lh, hist - lh
                hist = new
            GL, HL, CL = np.cumsum(hist, axis=3)
            GT, HT, CT = GL[:, :, -1:], HL[:, :, -1:], CL[:, :, -1:]
            GR, HR, CR = GT - GL, HT - HL, CT - CL
            ok = can[None] & (CL >= min_rows) & (CR >= min_rows) & (HL >= min_hess) & (HR >= min_hess)
            with np.errstate(invalid="ignore", divide="ignore"):
                gn = GL * GL / (HL + lam) + GR * GR / (HR + lam) - GT * GT / (HT + lam)
            gn = np.where(ok, gn, -np.inf).reshape(nl, d * nb)
            best = np.argmax(gn, axis=1)
            for k in range(nl):
                gk = gn[k, best[k]]
                if gk > 1e-9:
                    j, b = divmod(int(best[k]), nb)
                    feat[t, first + k], thr[t, first + k], split_bin[first + k] = j, edges[j][b], b
                    gain[j] += gk
            go_left = B[rows, feat[t, node]] <= split_bin[node]
            node = np.where(go_left, 2 * node + 1, 2 * node + 2)
        # leaf outputs (Newton steps), then the weighted means up the tree
        Gl, Hl, Wl = np.bincount(node, g, nn), np.bincount(node, h, nn), np.bincount(node, w, nn)
        v = np.zeros(nn)
        reached = Wl > 0
        v[reached] = (-Gl[reached] / (Hl[reached] + lam) * lr).astype(np.float32)
        S, W = Wl * v, Wl.copy()
        for i in range(ns - 1, -1, -1):
            S[i], W[i] = S[2 * i + 1] + S[2 * i + 2], W[2 * i + 1] + W[2 * i + 2]
            if W[i] > 0:
                v[i] = S[i] / W[i]
        for i in range(1, nn):
            if W[i] == 0:
                v[i] = v[(i - 1) // 2]
        val[t] = v
        F += val[t].astype(np.float64)[node]
    return Trees(depth, bias, feat, thr, val, gain)


# --------------------------------------------------------------------------
# Scoring and the threshold
# --------------------------------------------------------------------------

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def metrics(y, removed):
    """Line metrics of one language: y 1 = noise, removed bool."""
    y = np.asarray(y, dtype=bool)
    r = np.asarray(removed, dtype=bool)
    n, noise, good = len(y), int(y.sum()), int((~y).sum())
    tp, fp = int((r & y).sum()), int((r & ~y).sum())
    return {
        "lines": n, "noise": noise, "removed": int(r.sum()),
        "accuracy": (tp + (good - fp)) / n if n else float("nan"),
        "noise_precision": tp / (tp + fp) if tp + fp else float("nan"),
        "noise_recall": tp / noise if noise else float("nan"),
        "good_lost": fp / good if good else 0.0,
    }


def per_lang(ds, removed):
    return {l: metrics(ds.y[ds.lang == l], removed[ds.lang == l]) for l in ds.langs()}


def choose_threshold(p, ds, max_lost=MAX_GOOD_LOST):
    """(T, per-language metrics at T): highest macro accuracy with good_lost <= max_lost everywhere."""
    y = ds.y.astype(bool)
    accs, ok = [], np.ones(len(T_GRID), dtype=bool)
    grid = T_GRID.astype(np.float64)
    for l in ds.langs():
        m = ds.lang == l
        good, noise = np.sort(p[m & ~y]), np.sort(p[m & y])
        fp = len(good) - np.searchsorted(good, grid, side="left")     # good lines with p >= T
        tp = len(noise) - np.searchsorted(noise, grid, side="left")
        accs.append((tp + len(good) - fp) / m.sum())
        ok &= fp <= max_lost * len(good) + 1e-9
    acc = np.where(ok, np.mean(accs, axis=0), -1.0)
    if acc.max() < 0:
        T = 1.0
    else:
        T = float(grid[len(acc) - 1 - int(np.argmax(acc[::-1]))])    # ties: the larger T
    return T, per_lang(ds, p >= T)


def folds(ds, k=K_FOLDS, salt="tamis-lines"):
    """Fold number of every row: documents of each language shuffled (seeded) and dealt round-robin."""
    f = np.zeros(len(ds.y), dtype=int)
    for l in ds.langs():
        docs = sorted(set(ds.doc[ds.lang == l].tolist()))
        random.Random("%s-%s" % (salt, l)).shuffle(docs)
        fold_of = {d: i % k for i, d in enumerate(docs)}
        m = ds.lang == l
        f[m] = [fold_of[d] for d in ds.doc[m].tolist()]
    return f


def with_aug(train, aug):
    """train plus the synthetic rows aug builds from train's documents (aug None: train)."""
    if aug is None:
        return train
    return Dataset.concat([train, aug(train)])


def cross_val_z(ds, params=None, checkpoints=None, k=K_FOLDS, aug=None):
    """{t: out-of-fold log-odds of noise of every row, with the first t trees} (t: checkpoints, default ntrees).

    ds holds real rows only; aug(train) -> Dataset of synthetic rows built from the documents of the
    training part, added to each fold's training rows (never scored)."""
    assert not ds.syn.any(), "cross-validation scores real rows only"
    p = dict(PARAMS, **(params or {}))
    cps = set(checkpoints or (p["ntrees"],))
    p["ntrees"] = max(cps)
    f = folds(ds, k)
    out = {t: np.zeros(len(ds.y)) for t in cps}
    for i in range(k):
        te = f == i
        if not te.any():
            continue
        trees = fit(with_aug(ds.subset(~te), aug), p)
        for t, z in trees.staged_z(ds.X[te], cps).items():
            out[t][te] = z
    return out


def macro(cv):
    return sum(m["accuracy"] for m in cv.values()) / len(cv)


def max_lost(cv):
    return max(m["good_lost"] for m in cv.values())


class Model:
    """Trees, threshold T and the cross-validation figures (cv at T; alt: T and figures at ALT_GOOD_LOST)."""

    def __init__(self, names, trees, T, cv, params, alt=None):
        self.names, self.trees, self.T, self.cv, self.params, self.alt = names, trees, T, cv, params, alt

    def removes(self, X):
        """What the stage removes at its default threshold: log-odds >= logit(T), T as a float32."""
        return self.trees.z(X) - logit(float(np.float32(self.T))) >= 0


ALT_GOOD_LOST = 0.045


def recipe(ds, params=None, max_lost=MAX_GOOD_LOST, aug=None):
    """The whole recipe: T from the cross-validation (real rows), trees from all of ds (+ aug(ds))."""
    p = dict(PARAMS, **(params or {}))
    prob = sigmoid(cross_val_z(ds, p, aug=aug)[p["ntrees"]])
    T, cv = choose_threshold(prob, ds, max_lost)
    alt = choose_threshold(prob, ds, ALT_GOOD_LOST)
    return Model(ds.names, fit(with_aug(ds, aug), p), T, cv, p, alt)


def search_grid():
    keys = sorted(SEARCH_GRID)
    combos = [{}]
    for k in keys:
        combos = [dict(c, **{k: v}) for c in combos for v in SEARCH_GRID[k]]
    return combos


def size_ok(depth, ntrees):
    """Keeps the header near 300 KB at most (about 12 bytes a node)."""
    return ntrees * (2 << depth) <= 16384


def search(ds, base=None, log=print, aug=None):
    """Scores every SEARCH_GRID combination by the CV at every SEARCH_TREES count that fits size_ok.

    Returns (rows, best params): rows (params, macro accuracy, max good lost, T); the best is the
    highest macro accuracy, ties going to the first (smaller depth, fewer trees)."""
    rows, best = [], None
    for c in search_grid():
        p = dict(PARAMS, **(base or {}))
        p.update(c)
        cps = [t for t in SEARCH_TREES if size_ok(p["depth"], t)]
        if not cps:
            continue
        zs = cross_val_z(ds, p, cps, aug=aug)
        for t in sorted(cps):
            q = dict(p, ntrees=t)
            T, cv = choose_threshold(sigmoid(zs[t]), ds)
            rows.append((q, macro(cv), max_lost(cv), T))
            log("  %s: macro accuracy %.4f, max good lost %.1f%%, T %.4f" % (
                " ".join("%s=%s" % (k, q[k]) for k in sorted(q)), macro(cv), 100 * max_lost(cv), T))
            if best is None or macro(cv) > best[1]:
                best = rows[-1]
    return rows, best[0]


def fmt_pct(x):
    return "n/a" if x != x else "%.1f%%" % (100 * x)


def fmt3(x):
    return "n/a" if x != x else "%.3f" % x


def cv_table(cv):
    """Markdown table of per-language metrics + the macro accuracy line."""
    out = ["| lang | lines | noise | accuracy | noise precision | noise recall | good lost |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for l, m in sorted(cv.items()):
        out.append("| %s | %d | %d | %s | %s | %s | %s |" % (
            l, m["lines"], m["noise"], fmt3(m["accuracy"]), fmt3(m["noise_precision"]),
            fmt3(m["noise_recall"]), fmt_pct(m["good_lost"])))
    worst = max(cv, key=lambda l: cv[l]["good_lost"])
    out.append("")
    out.append("macro accuracy %.3f; most good lines lost: %s %s" % (macro(cv), worst, fmt_pct(cv[worst]["good_lost"])))
    return "\n".join(out)


def logit(T):
    return math.log(T / (1.0 - T))
