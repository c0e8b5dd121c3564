"""lid_model.py -- counting, the sparse top-K table, the model file, and a
Python scorer that computes exactly what src/stage/lid/tamis_model.c does
(used to fit the calibration and to check the C code)."""
import struct

import numpy as np

import lid_common as C

MAGIC = b"TMSLID\x00\x01"
VERSION = 1
HEADER_SIZE = 80


def count(label_sources, labels, bits):
    """label_sources: {label: [(words, share)]} -> (keys, counts) sparse over
    bucket*NL+lang, and per-language totals. Each source's counts are scaled
    so that it makes `share` of its language's mass (the shares of a
    language's sources are renormalised to sum to 1), and every language's
    mass is the same (the mean number of features per language)."""
    nl = len(labels)
    keys, vals, totals = [], [], np.zeros(nl)
    per_lang = []
    for li, lab in enumerate(labels):
        srcs = [(C.features(w, bits).astype(np.int64), sh) for w, sh in label_sources[lab] if w]
        srcs = [(f, sh) for f, sh in srcs if len(f)]
        per_lang.append(srcs)
        totals[li] = sum(len(f) for f, _ in srcs)
    mean = totals.mean()
    for li, srcs in enumerate(per_lang):
        tot_sh = sum(sh for _, sh in srcs)
        for f, sh in srcs:
            k, c = np.unique(f, return_counts=True)
            keys.append(k * nl + li)
            vals.append(c * (mean * sh / tot_sh / len(f)))
    k = np.concatenate(keys)
    v = np.concatenate(vals)
    uk, inv = np.unique(k, return_inverse=True)
    return uk, np.bincount(inv, weights=v), np.full(nl, mean)


def build_table(keys, counts, totals, nl, bits, alpha, topk, qscale, min_count=0.0):
    """Per bucket the topk languages by weight log(1 + c'/alpha) (c' = count
    scaled as if every language had the mean amount of text), minus the
    (topk+1)-th weight (the residual every other language is assumed to have).
    Returns the table: topk u16 (lang | q << 8) per bucket, 0 = empty."""
    bucket = keys // nl
    lang = keys % nl
    scale = totals.mean() / totals
    cs = counts * scale[lang]
    keep = counts > min_count
    bucket, lang, cs = bucket[keep], lang[keep], cs[keep]
    w = np.log1p(cs / alpha)
    # sort by bucket, then weight descending
    order = np.lexsort((-w, bucket))
    bucket, lang, w = bucket[order], lang[order], w[order]
    nb = 1 << bits
    starts = np.searchsorted(bucket, np.arange(nb + 1))
    rank = np.arange(len(bucket)) - starts[bucket]
    # residual: the weight at rank topk in the bucket (0 when fewer languages)
    cnt = np.diff(starts)
    resid = np.zeros(nb)
    has = cnt > topk
    resid[has] = w[starts[:-1][has] + topk]
    sel = rank < topk
    q = np.round((w - resid[bucket]) * qscale)
    sel &= q >= 1
    q = np.minimum(q, 255)
    b2, l2, q2, r2 = bucket[sel], lang[sel], q[sel].astype(np.int64), rank[sel]
    # fixed slots: topk u16 per bucket, sorted by weight, 0 = empty
    table = np.zeros(nb * topk, dtype=np.uint16)
    table[b2 * topk + r2] = (l2 | (q2 << 8)).astype(np.uint16)
    return table


class Model:
    def __init__(self, labels, bits, topk, table, qscale, priors, masks, temp_a=1.0, temp_b=0.0,
                 cal=(0.0, 1.0, 0.0)):
        self.labels, self.bits, self.topk = labels, bits, topk
        self.masks = [int(x) for x in masks]
        self.cal = tuple(float(np.float32(c)) for c in cal)
        self.table = table.reshape(-1, topk)
        self.qscale, self.temp_a, self.temp_b = qscale, temp_a, temp_b
        self.priors = np.asarray(priors, dtype=np.float32)
        self.elang = (self.table & 0xFF).astype(np.int64)
        self.eq = (self.table >> 8).astype(np.int64)

    def raw(self, text):
        """(integer score per language, number of features, main script
        classes mask) as the C scorer (for texts short enough that it reads them whole)."""
        nl = len(self.labels)
        words = C.words_of(text)
        f = C.features(words, self.bits)
        if len(f) == 0:
            return np.zeros(nl, dtype=np.int64), 0, 0
        acc = np.bincount(self.elang[f].ravel(), weights=self.eq[f].ravel(), minlength=nl + 1)[:nl]
        return acc.astype(np.int64), len(f), C.main_scripts(words)

    def allowed(self, main):
        ok = np.array([(m & main) != 0 for m in self.masks], dtype=bool)
        return ok if ok.any() else np.ones(len(self.masks), dtype=bool)

    def logits(self, acc, n, dom):
        z = acc / self.qscale / self.temperature(n) + self.priors
        return np.where(self.allowed(dom), z, -np.inf)

    def temperature(self, n):
        return self.temp_a * max(n, 1) ** self.temp_b

    def score(self, p_top, n):
        """The calibrated score of the best answer, whose softmax probability is p_top."""
        p = min(max(float(p_top), 1e-9), 1 - 1e-9)
        z = self.cal[0] + self.cal[1] * np.log(p / (1 - p)) + self.cal[2] * np.log(n)
        return 1 / (1 + np.exp(-z))

    def probs(self, acc, n, dom):
        z = self.logits(acc, n, dom)
        z = z - z.max()
        p = np.exp(z)
        return p / p.sum()

    def write(self, path):
        nl = len(self.labels)
        langs = b"".join(l.encode().ljust(8, b"\0") for l in self.labels)
        cidx, cblocks = C.cmap_blocks(C.cmap())
        body = []

        def pad8(b):
            return b + b"\0" * (-len(b) % 8)

        body.append(pad8(langs))
        body.append(pad8(self.priors.astype("<f4").tobytes()))
        body.append(pad8(cidx.astype("<u2").tobytes()))
        body.append(pad8(cblocks.astype("<i2").tobytes()))
        sclass, _ = C.script_classes()
        body.append(pad8(sclass.astype("u1").tobytes()))
        body.append(pad8(np.array(self.masks, dtype="<u8").tobytes()))
        body.append(pad8(self.table.astype("<u2").tobytes()))
        body = b"".join(body)
        total = HEADER_SIZE + len(body)
        mask = 0
        for n in C.ORDERS:
            mask |= 1 << n
        mask |= 1 << C.WORD_ORDER
        head = struct.pack("<8sIIIIIIIIIffffffI", MAGIC, VERSION, HEADER_SIZE, nl, self.bits,
                           self.topk, mask, C.WORD_MAX, len(cblocks), len(cidx),
                           self.temp_a, self.temp_b, self.qscale, *self.cal, total)
        assert len(head) == 72
        csum = fnv1a(head + b"\0" * 8 + body)
        data = head + struct.pack("<II", csum, 0) + body
        with open(path, "wb") as f:
            f.write(data)
        return len(data)


def fnv1a(b):
    """32-bit FNV-1a over bytes (the model's checksum), vectorised in blocks."""
    h = 0x811C9DC5
    for byte in b:
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def load(path):
    """Reads a model file back (for checks: scripts/eval-lid.py --check-python)."""
    data = open(path, "rb").read()
    (magic, version, hsize, nl, bits, topk, mask, word_max, ncb, nci, ta, tb, qs, c0, c1, c2, total,
     csum, _) = struct.unpack("<8sIIIIIIIIIffffffIII", data[:HEADER_SIZE])
    assert magic == MAGIC and version == VERSION and total == len(data)
    assert csum == fnv1a(data[:72] + b"\0\0\0\0" + data[76:])
    at = HEADER_SIZE

    def take(n, dtype):
        nonlocal at
        a = np.frombuffer(data, dtype=dtype, count=n, offset=at)
        at += (n * np.dtype(dtype).itemsize + 7) & ~7
        return a
    langs = take(nl * 8, "u1").reshape(nl, 8)
    labels = [bytes(r).rstrip(b"\0").decode() for r in langs]
    priors = take(nl, "<f4")
    take(nci, "<u2")
    take(ncb * 256, "<i2")
    take(nci * 256 // C.SCRIPT_BLOCK, "u1")
    masks = take(nl, "<u8")
    table = take((1 << bits) * topk, "<u2")
    return Model(labels, bits, topk, table.copy(), qs, priors, masks, ta, tb, (c0, c1, c2))
