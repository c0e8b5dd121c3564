#!/usr/bin/python3
"""Near-duplicate quality benchmark for the `near_dedup` stage (what `make
eval-neardup` runs).

Data, built at run time from the real documents in ../shared/data/ (never
copied into the repository):
  documents/turkunlp-register-core/*.tsv[.gz]   one document per line, LABEL TAB TEXT
                                                (ar ca fr hi id pt sv ur; newlines flattened)
  lines/turkunlp-line-quality/*.json            [{"text": [line...], "labels": [1|0...]}]
                                                (de en es fi fr sv; real line structure)
For each of --seeds seeds: documents of 100 to 4000 words are shuffled and
taken round-robin over the 12 languages (--bases, 2000). A candidate whose
Jaccard with an already chosen base is >= 0.2 is not a base: it is kept
aside as a pair found in the data itself (the data's own near-duplicates and
same-template pages) and up to --natural of them are added. --copies (600)
bases get a copy made by one kind of edit (EDITS: word substitutions,
insertions, deletions, dropped lines or sentences, appended footer or
prepended navigation made of real boilerplate lines (label 0 of the
line-quality data, from documents not used), both plus 0-3 substitutions
("syndicate"), truncation, a random mix of substitutions, insertions and
deletions). The amount of the edit is searched (bisection over a fixed random
plan) so that the copy's exact Jaccard with its base is within TOL (0.02) of
a target in TARGETS; --second (60) bases get a second copy (groups of 3). 20
short texts (< 5 words) are added twice. Everything is shuffled, so copies
do not always follow their base. The input is deterministic for a seed
(whatever PYTHONHASHSEED).

Similarity: the exact Jaccard of the SETS of word 5-gram shingles after
datatrove's simplify_text (lowercase, \\d+([.,]\\d+)? -> 0, its 129 PUNCTUATION
code points to spaces, whitespace collapsed, NFD minus Mn marks; equal to
the reference's minhash_simplified on all 109 golden documents) and a
whitespace split of the result. datatrove then tokenizes with spaCy, which
also splits symbols, digit-letter joints and English contractions; the split
is identical to spaCy's on 81 of those 109 documents.

Runs `tamis run --stages near_dedup --explain` in the configurations of
CONFIGS on each seed's input and scores, pooled over the seeds:
  recall@0.8   share of derived copies with exact J(copy, base) >= 0.8 that
               end in the same cluster as their base (one removed as a
               duplicate of the other, or both removed into one kept
               document); next to it the LSH expectation, P = 1-(1-J^8)^14
               averaged over the same pairs
  S-curve      recall per target bucket, next to the same LSH curve
  precision    share of removed documents whose exact J with their
               duplicate_of document is >= 0.5 (a second column: with the
               most similar other member of their cluster); computed from
               the texts, not from the recorded pairs
Target: recall@0.8 >= 0.95, precision >= 0.99 with verification on.

Writes Markdown to stdout and OUT/eval-neardup.md, OUT/eval-neardup.json,
and per seed OUT/seed-S/input.jsonl, truth.json (roles, edits, exact J of
every pair) and the tamis outputs. Exits 0 whether or not the targets are
met (it reports; it is not a test); 0 with a SKIP message when ../shared/data
is absent; 1 when tamis has no near_dedup stage or a run fails.

  /usr/bin/python3 scripts/eval-neardup.py --tamis build/tamis --out build/eval-neardup
"""
import argparse
import collections
import gzip
import json
import os
import random
import re
import subprocess
import sys
import time
import unicodedata

sys.dont_write_bytecode = True

TARGETS = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.5, 0.3]
EDITS = ["substitute", "insert", "delete", "drop_lines", "footer", "nav", "truncate", "mixed", "syndicate"]
TOL = 0.02
MIN_WORDS = 100
MAX_WORDS = 4000
NATURAL_MIN_J = 0.2
RECALL_J = 0.8
PRECISION_J = 0.5
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.99
NGRAM = 5
BANDS, ROWS = 14, 8

CONFIGS = [
    ("verify on, keep first", ["--near-verify", "on", "--keep", "first"]),
    ("verify off, keep first", ["--near-verify", "off", "--keep", "first"]),
    ("datatrove-current, keep reference", ["--rules", "datatrove-current", "--keep", "reference"]),
]

# ---- datatrove's simplify_text (RULES.md 2.1 PUNCTUATION, 2.7 step 1) ----
_PUNCT = ("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" + "«´»–—’“”„…∶━►、。〈〉《》「」【】！％（），．１：；？～"
          + "".join(map(chr, list(range(0, 9)) + [0xB, 0xC] + list(range(0xD, 0x20)) + list(range(0x7F, 0xA0)))))
assert len(_PUNCT) == 129
_TRANS = {ord(c): " " for c in _PUNCT}
_NUM = re.compile(r"\d+([.,،٫⎖⎗⎘]\d+)?")   # Python's \d on str is Unicode Nd, as \p{Nd}
_WS = re.compile(r"\s+")


def simplify(text):
    t = _NUM.sub("0", text.lower()).translate(_TRANS)
    t = _WS.sub(" ", t.strip())
    t = "".join(c for c in unicodedata.normalize("NFD", t) if unicodedata.category(c) != "Mn")
    return t.strip()


def split_words(simplified):
    """A whitespace split. spaCy (datatrove) also splits symbols and digit-letter joints
    (©, ®, °, 0km, mojibake �) and English contractions (dont -> do nt), which this does not."""
    return simplified.split()


def words_of(text):
    return split_words(simplify(text))


def shingles(words):
    if len(words) < NGRAM:
        return frozenset()
    return frozenset(zip(*(words[i:] for i in range(NGRAM))))


def jaccard(a, b):
    if not a or not b:
        return 0.0
    inter = len(a & b) if len(a) < len(b) else len(b & a)
    return inter / (len(a) + len(b) - inter)


def lsh_p(j):
    return 1.0 - (1.0 - j ** ROWS) ** BANDS


# ---- source documents ----
class Doc:
    __slots__ = ("text", "lang", "src", "words", "sh", "noise")

    def __init__(self, text, lang, src, noise=()):
        self.text, self.lang, self.src, self.noise = text, lang, src, list(noise)
        self.words = words_of(text)
        self.sh = None


def _open_text(path):
    return gzip.open(path, "rt", encoding="utf-8", errors="replace") if path.endswith(".gz") \
        else open(path, encoding="utf-8", errors="replace")


def load_pool(data):
    pool = []
    core = os.path.join(data, "documents", "turkunlp-register-core")
    for name in sorted(os.listdir(core)):
        if ".tsv" not in name:
            continue
        lang = name[:2].lower()      # ArCORE-ar.tsv.gz, FrCORE-dev.tsv, SvCORE-train.tsv ...
        with _open_text(os.path.join(core, name)) as f:
            for i, line in enumerate(f, 1):
                tab = line.find("\t")
                text = (line[tab + 1:] if tab >= 0 else line).strip()
                if text:
                    pool.append(Doc(text, lang, "documents/turkunlp-register-core/%s:%d" % (name, i)))
    lq = os.path.join(data, "lines", "turkunlp-line-quality")
    for name in sorted(os.listdir(lq)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(lq, name), encoding="utf-8") as f:
            docs = json.load(f)
        for i, d in enumerate(docs):
            lines = [l.strip() for l in d["text"]]
            text = "\n".join(l for l in lines if l)
            noise = [l for l, lab in zip(lines, d["labels"]) if l and str(lab) == "0"]
            if text:
                pool.append(Doc(text, name.split("-")[0], "lines/turkunlp-line-quality/%s#%d" % (name, i), noise))
    return pool


def select(pool, n_base, rng):
    """Round-robin over languages; skip (and keep aside as natural pairs) documents overlapping a chosen one."""
    by_lang = {}
    for d in pool:
        if MIN_WORDS <= len(d.words) <= MAX_WORDS:
            by_lang.setdefault(d.lang, []).append(d)
    langs = sorted(by_lang)
    for l in langs:
        rng.shuffle(by_lang[l])
    index = {}     # shingle -> list of base numbers
    bases, natural, seen_text = [], [], set()
    pos = {l: 0 for l in langs}
    while len(bases) < n_base and any(pos[l] < len(by_lang[l]) for l in langs):
        for l in langs:
            if len(bases) >= n_base or pos[l] >= len(by_lang[l]):
                continue
            d = by_lang[l][pos[l]]
            pos[l] += 1
            d.sh = shingles(d.words)
            if not d.sh:
                continue
            key = " ".join(d.words)
            if key in seen_text:       # identical after simplification: exact duplicate in the data
                continue
            seen_text.add(key)
            counts = {}
            for s in d.sh:
                for b in index.get(s, ()):
                    counts[b] = counts.get(b, 0) + 1
            best, bj = None, 0.0
            for b, c in sorted(counts.items()):       # sorted: set order varies with PYTHONHASHSEED
                j = c / (len(d.sh) + len(bases[b].sh) - c)
                if j > bj:
                    best, bj = b, j
            if bj >= NATURAL_MIN_J:
                natural.append((d, bases[best], bj))
                continue
            for s in d.sh:
                index.setdefault(s, []).append(len(bases))
            bases.append(d)
    return bases, natural


# ---- controlled edits: a document is a list of raw tokens, "\n" between lines ----
NL = "\n"


def tokens_of(text):
    out = []
    for line in text.split("\n"):
        t = line.split()
        if t:
            if out:
                out.append(NL)
            out.extend(t)
    return out


def text_of(tokens):
    lines, cur = [], []
    for t in tokens:
        if t == NL:
            if cur:
                lines.append(" ".join(cur))
            cur = []
        else:
            cur.append(t)
    if cur:
        lines.append(" ".join(cur))
    return "\n".join(lines)


_tok_cache = {}


def tok_words(tokens):
    out = []
    for t in tokens:
        if t == NL:
            continue
        w = _tok_cache.get(t)
        if w is None:
            w = _tok_cache[t] = split_words(simplify(t))
        out.extend(w)
    return out


def segments(tokens):
    """Lines when the document has >= 4, else sentences (tokens ending in . ! ? or their kin)."""
    segs, cur = [], []
    for t in tokens:
        if t == NL:
            if cur:
                segs.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        segs.append(cur)
    if len(segs) >= 4:
        return segs, True
    segs, cur = [], []
    for t in tokens:
        if t == NL:
            continue
        cur.append(t)
        if t[-1] in ".!?。！？؟।۔":
            segs.append(cur)
            cur = []
    if cur:
        segs.append(cur)
    return segs, False


def boiler_block(pool_lines, rng, nwords):
    """Real boilerplate lines (label 0 of the line-quality data, documents not used here), nwords tokens."""
    out, n = [], 0
    start = rng.randrange(len(pool_lines))
    i = start
    while n < nwords:
        t = pool_lines[i % len(pool_lines)].split()
        i += 1
        t = t[:nwords - n]
        if out:
            out.append(NL)
        out.extend(t)
        n += len(t)
    return out


class Plan:
    """A seeded edit whose amount k is searched; apply(k) is a prefix of the same random plan."""

    def __init__(self, kind, tokens, rng, vocab, boiler):
        self.kind, self.tokens = kind, tokens
        n = sum(1 for t in tokens if t != NL)
        self.kmax = n - NGRAM
        wpos = [i for i, t in enumerate(tokens) if t != NL]
        if kind == "substitute":
            rng.shuffle(wpos)
            self.pos = wpos
            self.repl = [rng.choice(vocab) for _ in wpos]
        elif kind == "delete":
            rng.shuffle(wpos)
            self.pos = wpos
        elif kind == "insert":
            self.kmax = 3 * n
            self.ins = [(rng.randrange(len(tokens) + 1), rng.choice(vocab)) for _ in range(self.kmax)]
        elif kind == "drop_lines":
            self.segs, self.as_lines = segments(tokens)
            self.order = list(range(len(self.segs)))
            rng.shuffle(self.order)
            self.kmax = len(self.segs) - 1
        elif kind in ("footer", "nav"):
            self.kmax = 4 * n
            self.block = boiler_block(boiler, rng, self.kmax)
        elif kind == "truncate":
            pass
        elif kind == "mixed":
            self.kmax = n
            self.ops = [(rng.choice("sid"), rng.random(), rng.choice(vocab)) for _ in range(n)]
        elif kind == "syndicate":
            self.kmax = 4 * n
            nsub = rng.randrange(0, 4)
            rng.shuffle(wpos)
            self.sub = [(p, rng.choice(vocab)) for p in wpos[:nsub]]
            self.head = boiler_block(boiler, rng, self.kmax)
            self.tail = boiler_block(boiler, rng, self.kmax)
            self.split = rng.random()
        else:
            raise ValueError(kind)

    def apply(self, k):
        t = self.tokens
        if self.kind == "substitute":
            t = list(t)
            for p, w in zip(self.pos[:k], self.repl):
                t[p] = w
            return t
        if self.kind == "delete":
            gone = set(self.pos[:k])
            return [x for i, x in enumerate(t) if i not in gone]
        if self.kind == "insert":
            t = list(t)
            for p, w in sorted(self.ins[:k], key=lambda e: -e[0]):
                t.insert(p, w)
            return t
        if self.kind == "drop_lines":
            gone = set(self.order[:k])
            out = []
            for i, s in enumerate(self.segs):
                if i in gone:
                    continue
                if out and self.as_lines:
                    out.append(NL)
                out.extend(s)
            return out
        if self.kind == "footer":
            return list(t) + [NL] + self.block[:k] if k else list(t)
        if self.kind == "nav":
            return self.block[:k] + [NL] + list(t) if k else list(t)
        if self.kind == "truncate":
            words = [i for i, x in enumerate(t) if x != NL]
            return t[:words[len(words) - k - 1] + 1] if k else list(t)
        if self.kind == "mixed":
            t = list(t)
            for op, u, w in self.ops[:k]:
                i = min(int(u * len(t)), len(t) - 1)
                if op == "s" and t[i] != NL:
                    t[i] = w
                elif op == "i":
                    t.insert(i, w)
                elif op == "d" and t[i] != NL and len(t) > NGRAM + 1:
                    del t[i]
            return t
        if self.kind == "syndicate":
            t = list(t)
            for p, w in self.sub:
                t[p] = w
            kh = int(k * self.split)
            kt = k - kh
            return (self.head[:kh] + [NL] if kh else []) + t + ([NL] + self.tail[:kt] if kt else [])
        raise ValueError(self.kind)


def make_copy(base, kind, target, rng, vocab, boiler):
    """Search the edit amount whose exact J is nearest the target; None if not within TOL."""
    tokens = tokens_of(base.text)
    plan = Plan(kind, tokens, rng, vocab, boiler)
    if plan.kmax < 1:
        return None
    cache = {}

    def J(k):
        if k not in cache:
            cache[k] = jaccard(base.sh, shingles(tok_words(plan.apply(k))))
        return cache[k]

    lo, hi = 1, plan.kmax          # find the smallest k with J(k) < target (J is about decreasing in k)
    if J(hi) >= target:
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if J(mid) >= target:
            lo = mid + 1
        else:
            hi = mid
    best = min((k for k in (lo - 1, lo, lo + 1) if 1 <= k <= plan.kmax), key=lambda k: abs(J(k) - target))
    if abs(J(best) - target) > TOL:
        return None
    return text_of(plan.apply(best)), best


# ---- build the benchmark input ----
def build(data, seed, n_base, n_copies, n_second, n_natural, n_short=20):
    rng = random.Random(seed)
    pool = load_pool(data)
    bases, natural = select(pool, n_base, rng)
    used = set(id(d) for d in bases)
    nat = sorted(natural, key=lambda e: -e[2])
    # keep the natural pairs whose partner we have; the strongest ones and a spread of the rest
    pick = [e for e in nat if e[2] >= 0.5][:n_natural // 2]
    rest = [e for e in nat if e[2] < 0.5]
    rng.shuffle(rest)
    pick += rest[:n_natural - len(pick)]
    for d, _, _ in pick:
        d.sh = d.sh or shingles(d.words)
        used.add(id(d))
    boiler = [l for d in pool if id(d) not in used for l in d.noise if len(l.split()) >= 2]
    vocab_by_lang = {}
    for d in pool:
        if id(d) in used:
            continue
        v = vocab_by_lang.setdefault(d.lang, set())
        for t in d.text.split():
            if t.isalpha() and len(t) >= 2:
                v.add(t)
    vocab_by_lang = {l: sorted(v) for l, v in vocab_by_lang.items()}
    allvocab = sorted(set(w for v in vocab_by_lang.values() for w in v))

    docs = []   # {"text", "role", ...}
    for b in bases:
        docs.append({"text": b.text, "role": "base", "lang": b.lang, "src": b.src, "sh": b.sh})
    base_of = {id(b): i for i, b in enumerate(bases)}
    pairs = []  # (doc a, doc b, J, kind): a derived from / paired with b
    order = list(range(len(bases)))
    rng.shuffle(order)
    queue = collections.deque(order)
    fails = {}
    copies_of = {}
    made = slot = 0
    while made < n_copies and queue and slot < 20 * n_copies:
        target = TARGETS[slot % len(TARGETS)]
        kind = EDITS[(slot // len(TARGETS) + slot) % len(EDITS)]
        slot += 1
        got = None
        for _ in range(min(8, len(queue))):
            bi = queue.popleft()
            b = bases[bi]
            r = random.Random("%d/%d/%s/%s" % (seed, bi, kind, target))
            got = make_copy(b, kind, target, r, vocab_by_lang.get(b.lang) or allvocab, boiler)
            if got:
                break
            fails[kind] = fails.get(kind, 0) + 1
            queue.append(bi)       # too short for this target and edit: another edit may fit it later
        if not got:
            continue
        text, k = got
        sh = shingles(words_of(text))
        j = jaccard(b.sh, sh)
        docs.append({"text": text, "role": "copy", "lang": b.lang, "src": b.src, "sh": sh, "base": bi,
                     "edit": kind, "amount": k, "target": target, "j": j})
        copies_of.setdefault(bi, []).append(len(docs) - 1)
        pairs.append((len(docs) - 1, bi, j, kind))
        made += 1
    # second copies: groups of three (base + two copies)
    with_copy = sorted(copies_of)
    rng.shuffle(with_copy)
    for bi in with_copy[:n_second]:
        b = bases[bi]
        for tries in range(6):
            kind = rng.choice(EDITS)
            target = rng.choice([t for t in TARGETS if t >= 0.7])
            got = make_copy(b, kind, target, random.Random("%d/%d/2/%d" % (seed, bi, tries)),
                            vocab_by_lang.get(b.lang) or allvocab, boiler)
            if got:
                break
        if not got:
            continue
        text, k = got
        sh = shingles(words_of(text))
        j = jaccard(b.sh, sh)
        docs.append({"text": text, "role": "copy", "lang": b.lang, "src": b.src, "sh": sh, "base": bi,
                     "edit": kind, "amount": k, "target": target, "j": j, "second": True})
        pairs.append((len(docs) - 1, bi, j, kind))
        for c in copies_of[bi]:
            pairs.append((len(docs) - 1, c, jaccard(docs[c]["sh"], sh), "copy-copy"))
        copies_of[bi].append(len(docs) - 1)
    for d, b, j in pick:
        docs.append({"text": d.text, "role": "natural", "lang": d.lang, "src": d.src, "sh": d.sh,
                     "base": base_of[id(b)], "j": j})
        pairs.append((len(docs) - 1, base_of[id(b)], j, "natural"))
    # documents under 5 words (real short boilerplate lines, each twice): never removed
    short = sorted(set(l for d in pool for l in d.noise if 1 <= len(l.split()) and len(words_of(l)) < NGRAM))
    rng.shuffle(short)
    for l in short[:n_short]:
        for _ in range(2):
            docs.append({"text": l, "role": "short", "lang": "-", "src": "-", "sh": frozenset()})
    partners = set(p[1] for p in pairs if p[3] == "natural")
    for i in range(len(bases)):
        if i in partners:
            docs[i]["role"] = "natural-partner"
        elif i not in copies_of:
            docs[i]["role"] = "unrelated"
    perm = list(range(len(docs)))
    rng.shuffle(perm)            # perm[new position] = old index
    newpos = {old: new for new, old in enumerate(perm)}
    out = [docs[o] for o in perm]
    for i, d in enumerate(out):
        d["id"] = "nd-%05d" % i
        if "base" in d:
            d["base"] = newpos[d["base"]]
    pairs = [(newpos[a], newpos[b], j, k) for a, b, j, k in pairs]
    stats = {"pool": len(pool), "bases": len(bases), "natural_found": len(natural), "natural_used": len(pick),
             "copies": sum(1 for d in out if d["role"] == "copy"), "search_failures": fails,
             "boilerplate_lines": len(boiler)}
    return out, pairs, stats


# ---- running tamis and reading its output ----
def zstd_records(path):
    r = subprocess.run(["zstd", "-dc", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("zstd -dc %s: %s" % (path, r.stderr.decode("utf-8", "replace")))
    return [json.loads(l) for l in r.stdout.decode("utf-8").split("\n") if l.strip()]


def run_tamis(binary, inp, outdir, extra):
    cmd = [binary, "run", "--stages", "near_dedup"] + list(extra) + ["--explain", inp, "-o", outdir]
    t0 = time.time()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.time() - t0
    if r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode,
                                                r.stderr.decode("utf-8", "replace")[-2000:]))
    return cmd, wall, zstd_records(os.path.join(outdir, "kept.jsonl.zst")), \
        zstd_records(os.path.join(outdir, "rejected.jsonl.zst"))


def score(docs, pairs, inp, kept, rejected):
    n = len(docs)
    byid = {d["id"]: i for i, d in enumerate(docs)}
    warn = []
    state = [None] * n      # ("kept", cluster_id, size) | ("removed", dup_of index) | ("rejected", reason)
    for rec in kept:
        i = byid.get(rec.get("id"))
        if i is None:
            warn.append("kept: unknown id %r" % rec.get("id"))
            continue
        m = rec.get("metadata") or {}
        cid, size = m.get("minhash_cluster_id"), m.get("minhash_cluster_size")
        if cid is None or size is None:
            warn.append("kept %s: no minhash_cluster_id/minhash_cluster_size" % rec["id"])
        state[i] = ("kept", cid, size)
    other = {}
    for rec in rejected:
        i = byid.get(rec.get("id"))
        if i is None:
            warn.append("rejected: unknown id %r" % rec.get("id"))
            continue
        m = rec.get("metadata") or {}
        reason = m.get("filter_reason")
        if reason != "near_duplicate":
            other[reason] = other.get(reason, 0) + 1
            state[i] = ("rejected", reason)
            continue
        if m.get("stage") != "near_dedup":
            warn.append("%s: stage %r" % (rec["id"], m.get("stage")))
        dup = m.get("duplicate_of")
        f, _, line = (dup or "").rpartition(":")
        if f != inp or not line.isdigit() or not 1 <= int(line) <= n:
            warn.append("%s: duplicate_of %r is not %s:LINE" % (rec["id"], dup, inp))
            state[i] = ("rejected", "near_duplicate (bad duplicate_of)")
            continue
        state[i] = ("removed", int(line) - 1)
    missing = sum(1 for s in state if s is None)
    if missing:
        warn.append("%d input documents are in neither output" % missing)

    def root(i):
        seen = 0
        while state[i] and state[i][0] == "removed" and seen < n:
            i = state[i][1]
            seen += 1
        return i

    chains = sum(1 for s in state if s and s[0] == "removed" and state[s[1]] and state[s[1]][0] != "kept")
    if chains:
        warn.append("%d removed documents point to a document that is not kept" % chains)

    def cluster(i):
        r = root(i)
        s = state[r]
        if s and s[0] == "kept" and s[1] is not None and (s[2] or 0) > 1:
            return ("c", s[1])
        return ("doc", r)

    members = {}
    for i in range(n):
        if state[i] and state[i][0] in ("kept", "removed"):
            members.setdefault(cluster(i), []).append(i)
    bad_size = 0
    for i, s in enumerate(state):
        if s and s[0] == "kept" and s[2] is not None:
            if s[2] != len(members.get(cluster(i), [i])):
                bad_size += 1
    if bad_size:
        warn.append("%d kept documents whose minhash_cluster_size is not 1 + the documents removed into "
                    "their cluster" % bad_size)
    cid_roots = {}
    for i, s in enumerate(state):
        if s and s[0] == "kept" and s[1] is not None and (s[2] or 0) > 1:
            cid_roots.setdefault(s[1], []).append(i)
    shared = sum(1 for v in cid_roots.values() if len(v) > 1)
    if shared:
        warn.append("%d minhash_cluster_id values are carried by more than one kept document" % shared)

    def same(a, b):
        return state[a] and state[b] and state[a][0] in ("kept", "removed") \
            and state[b][0] in ("kept", "removed") and cluster(a) == cluster(b)

    # recall over (copy, base) pairs
    buckets = {}
    for a, b, j, kind in pairs:
        d = docs[a]
        if d["role"] != "copy" or kind == "copy-copy":
            continue
        t = d["target"]
        e = buckets.setdefault(t, {"n": 0, "hit": 0, "jmin": 1, "jmax": 0, "jsum": 0, "psum": 0})
        e["n"] += 1
        e["hit"] += 1 if same(a, b) else 0
        e["jmin"], e["jmax"] = min(e["jmin"], j), max(e["jmax"], j)
        e["jsum"] += j
        e["psum"] += lsh_p(j)
    hi = [(a, b, j, kind) for a, b, j, kind in pairs if docs[a]["role"] == "copy" and kind != "copy-copy"
          and j >= RECALL_J]
    hit = [p for p in hi if same(p[0], p[1])]
    missed_by_edit = {}
    for p in hi:
        if not same(p[0], p[1]):
            missed_by_edit[p[3]] = missed_by_edit.get(p[3], 0) + 1
    nat = [(a, b, j) for a, b, j, kind in pairs if kind == "natural"]
    # precision over removed documents
    removed = [i for i, s in enumerate(state) if s and s[0] == "removed"]
    prec_dup, prec_clu, worst, below_03, later = 0, 0, [], 0, 0
    by_role = {}
    for i in removed:
        t = state[i][1]
        later += t > i
        j = jaccard(docs[i]["sh"], docs[t]["sh"])
        below_03 += j < 0.3
        jm = max([jaccard(docs[i]["sh"], docs[o]["sh"]) for o in members.get(cluster(i), []) if o != i] or [0])
        prec_dup += j >= PRECISION_J
        prec_clu += jm >= PRECISION_J
        by_role[docs[i]["role"]] = by_role.get(docs[i]["role"], 0) + 1
        if j < PRECISION_J:
            worst.append((j, jm, docs[i]["id"], docs[t]["id"], len(docs[i]["sh"]), len(docs[t]["sh"])))
    worst.sort()
    nclusters = sum(1 for k, v in members.items() if len(v) > 1)
    return {
        "recall_n": len(hi), "recall_hit": len(hit), "recall_psum": sum(lsh_p(p[2]) for p in hi),
        "missed_by_edit": missed_by_edit,
        "buckets": {str(t): buckets[t] for t in sorted(buckets, reverse=True)},
        "natural": {"n": len(nat), "merged": sum(1 for a, b, j in nat if same(a, b)),
                    "n_j_ge_0.8": sum(1 for a, b, j in nat if j >= RECALL_J),
                    "merged_j_ge_0.8": sum(1 for a, b, j in nat if same(a, b) and j >= RECALL_J),
                    "n_j_lt_0.5": sum(1 for a, b, j in nat if j < PRECISION_J),
                    "merged_j_lt_0.5": sum(1 for a, b, j in nat if same(a, b) and j < PRECISION_J)},
        "removed_short": by_role.get("short", 0),
        "removed_j_lt_0.3": below_03, "removed_into_later_doc": later,
        "removed": len(removed), "removed_by_role": by_role, "clusters": nclusters,
        "precise_dup": prec_dup, "precise_cluster": prec_clu,
        "false_positives": [{"j_dup": round(w[0], 4), "j_cluster": round(w[1], 4), "removed": w[2],
                             "duplicate_of": w[3], "shingles": [w[4], w[5]]} for w in worst[:10]],
        "other_rejections": other, "warnings": warn,
    }


def merge(a, b):
    """Pool two seeds' scores: counts add, J ranges widen, lists join."""
    if a is None:
        return json.loads(json.dumps(b))
    out = {}
    for k in set(a) | set(b):
        x, y = a.get(k), b.get(k)
        if x is None or y is None:
            out[k] = json.loads(json.dumps(x if y is None else y))
        elif k == "jmin":
            out[k] = min(x, y)
        elif k == "jmax":
            out[k] = max(x, y)
        elif isinstance(x, dict):
            out[k] = merge(x, y)
        elif isinstance(x, list):
            out[k] = x + y
        else:
            out[k] = x + y
    return out


def ratio(n, d):
    return n / d if d else None


def fmt(x, d=3):
    return "-" if x is None else ("%.*f" % (d, x))


def describe(docs, pairs):
    roles, langs, by_edit = {}, {}, {}
    for d in docs:
        roles[d["role"]] = roles.get(d["role"], 0) + 1
        if d["role"] != "short":
            langs[d["lang"]] = langs.get(d["lang"], 0) + 1
    for a, b, j, kind in pairs:
        if docs[a]["role"] == "copy" and kind != "copy-copy":
            by_edit[kind] = by_edit.get(kind, 0) + 1
    return {"docs": len(docs), "roles": roles, "langs": langs, "copies_by_edit": by_edit}


def kv(d):
    return ", ".join("%s %s" % (k, d[k]) for k in sorted(d)) or "none"


def report(args, seeds, data, runs, errors):
    L = ["# Near-duplicate benchmark (`make eval-neardup`)\n"]
    tot = None
    for d in data:
        tot = merge(tot, {k: d[k] for k in ("docs", "roles", "langs", "copies_by_edit", "search_failures",
                                               "natural_found", "natural_used", "build_s")})
    L.append("%d seeds (%s), each an input of about %d documents made at run time from %d real documents of "
             "../shared/data (%.1f s to build all). Pooled over the seeds: %d documents: %s. Languages: %s." % (
                 len(seeds), " ".join(map(str, seeds)), tot["docs"] / len(seeds), data[0]["pool"], tot["build_s"],
                 tot["docs"], kv(tot["roles"]), kv(tot["langs"])))
    L.append("")
    L.append("J = exact Jaccard of the sets of word 5-grams after datatrove's simplify_text and a whitespace split. "
             "**Recall@%.1f**: derived copies with J(copy, base) >= %.1f that end in the same cluster as their base "
             "(next to it, the LSH expectation: P = 1-(1-J^8)^14 averaged over the same pairs). **Precision**: removed "
             "documents whose J with their `duplicate_of` document is >= %.1f; \"cluster\": with the most similar "
             "other member of their cluster. Targets: recall@%.1f >= %.2f; precision >= %.2f with verification on.\n"
             % (RECALL_J, RECALL_J, PRECISION_J, RECALL_J, TARGET_RECALL, TARGET_PRECISION))
    names = [n for n, _ in CONFIGS if n in runs]
    if names:
        L.append("| configuration | recall@%.1f | LSH expectation | precision (duplicate_of) | precision (cluster) "
                 "| removed | removed at J < 0.3 | tamis wall s per run |" % RECALL_J)
        L.append("|---|---|---|---|---|---|---|---|")
        for n in names:
            s = runs[n]["score"]
            L.append("| %s | **%s** (%d/%d) | %s | **%s** (%d/%d) | %s (%d/%d) | %d | %d | %.2f |" % (
                n, fmt(ratio(s["recall_hit"], s["recall_n"])), s["recall_hit"], s["recall_n"],
                fmt(ratio(s["recall_psum"], s["recall_n"])),
                fmt(ratio(s["precise_dup"], s["removed"]), 4), s["precise_dup"], s["removed"],
                fmt(ratio(s["precise_cluster"], s["removed"]), 4), s["precise_cluster"], s["removed"],
                s["removed"], s["removed_j_lt_0.3"], sum(runs[n]["walls"]) / len(runs[n]["walls"])))
        L.append("")
        L.append("Per seed (recall@%.1f / precision (duplicate_of)): %s.\n" % (RECALL_J, "; ".join(
            "%s: %s" % (n, ", ".join("%s / %s" % (fmt(ratio(x["recall_hit"], x["recall_n"])),
                                                  fmt(ratio(x["precise_dup"], x["removed"]), 4))
                                     for x in runs[n]["per_seed"])) for n in names)))
        L.append("Recall per target bucket (pooled; J min–max = the exact J of the bucket's copies), next to the LSH "
                 "curve averaged over the same pairs:\n")
        L.append("| target J | pairs | J min–max | LSH P | " + " | ".join(names) + " |")
        L.append("|" + "---|" * (4 + len(names)))
        b0 = runs[names[0]]["score"]["buckets"]
        for t in sorted(b0, key=float, reverse=True):
            e = b0[t]
            cells = [fmt(ratio(runs[n]["score"]["buckets"][t]["hit"], runs[n]["score"]["buckets"][t]["n"]))
                     if t in runs[n]["score"]["buckets"] else "-" for n in names]
            L.append("| %s | %d | %.3f–%.3f | %.3f | %s |" % (t, e["n"], e["jmin"], e["jmax"], e["psum"] / e["n"],
                                                             " | ".join(cells)))
        L.append("")
        for n in names:
            s = runs[n]["score"]
            nt = s["natural"]
            L.append("- **%s** (`%s`): removed by role: %s (documents under 5 words removed: %d, must be 0). "
                     "Removed as a duplicate of a later input document: %d. "
                     "Pairs found in the data itself merged: %d/%d at J >= %.1f, %d/%d at J < %.1f. Copies at "
                     "J >= %.1f missed, by edit: %s. Other rejections: %s." % (
                         n, runs[n]["cmd"], kv(s["removed_by_role"]), s["removed_short"],
                         s["removed_into_later_doc"],
                         nt["merged_j_ge_0.8"], nt["n_j_ge_0.8"], RECALL_J, nt["merged_j_lt_0.5"],
                         nt["n_j_lt_0.5"], PRECISION_J, RECALL_J, kv(s["missed_by_edit"]),
                         kv(s["other_rejections"])))
            for fp in sorted(s["false_positives"], key=lambda f: f["j_dup"])[:5]:
                L.append("  - removed below J %.1f (seed %d): %s, J %.3f with its duplicate_of %s "
                         "(%.3f with the closest member of its cluster)" % (
                             PRECISION_J, fp["seed"], fp["removed"], fp["j_dup"], fp["duplicate_of"],
                             fp["j_cluster"]))
            for w in s["warnings"][:10]:
                L.append("  - WARNING: %s" % w)
        L.append("")
    for n, e in errors.items():
        L.append("- **%s**: FAILED: %s" % (n, e))
    L.append("Copies by edit (pooled): %s. Edit searches that missed the target by more than %.2f (retried on "
             "another base): %s. Pairs in the data itself (J >= %.1f with a chosen base): %d found, %d used." % (
                 kv(tot["copies_by_edit"]), TOL, kv(tot["search_failures"]), NATURAL_MIN_J, tot["natural_found"],
                 tot["natural_used"]))
    return "\n".join(L) + "\n"


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tamis", default=os.path.join(here, "build", "tamis"))
    ap.add_argument("--data", default=os.path.join(os.path.dirname(here), "shared", "data"))
    ap.add_argument("--out", default=os.path.join(here, "build", "eval-neardup"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=3, help="inputs built with seeds SEED, SEED+1, ...; scores pooled")
    ap.add_argument("--bases", type=int, default=2000)
    ap.add_argument("--copies", type=int, default=600)
    ap.add_argument("--second", type=int, default=60, help="bases that get a second copy")
    ap.add_argument("--natural", type=int, default=40, help="pairs found in the data to include, at most")
    ap.add_argument("--gen-only", action="store_true", help="build and describe the inputs, run nothing")
    args = ap.parse_args()

    if not os.path.isdir(os.path.join(args.data, "documents")) or not os.path.isdir(os.path.join(args.data, "lines")):
        print("eval-neardup: SKIP: %s (../shared/data) is absent" % args.data)
        return 0
    if not args.gen_only:
        r = subprocess.run([args.tamis, "stages"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0 or not re.search(r"^near_dedup\b", r.stdout.decode("utf-8", "replace"), re.M):
            print("eval-neardup: %s has no near_dedup stage (`tamis stages`); nothing to score "
                  "(--gen-only builds the inputs alone)" % args.tamis, file=sys.stderr)
            return 1
    os.makedirs(args.out, exist_ok=True)
    seeds = [args.seed + i for i in range(args.seeds)]
    data, runs, errors = [], {}, {}
    for seed in seeds:
        sd = os.path.join(args.out, "seed-%d" % seed)
        os.makedirs(sd, exist_ok=True)
        t0 = time.time()
        docs, pairs, stats = build(args.data, seed, args.bases, args.copies, args.second, args.natural)
        stats.update(describe(docs, pairs), seed=seed, build_s=time.time() - t0)
        data.append(stats)
        inp = os.path.join(sd, "input.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
        for a, b, j, kind in pairs:     # the recorded J is the J of the texts as written
            assert abs(jaccard(shingles(words_of(docs[a]["text"])), docs[b]["sh"]) - j) < 1e-12, (a, b)
        with open(os.path.join(sd, "truth.json"), "w", encoding="utf-8") as f:
            json.dump({"seed": seed, "stats": stats,
                       "docs": [dict({k: d[k] for k in ("id", "role", "lang", "src", "edit", "amount", "target", "j")
                                      if k in d}, **({"base": docs[d["base"]]["id"]} if "base" in d else {}))
                                for d in docs],
                       "pairs": [{"a": docs[a]["id"], "b": docs[b]["id"], "j": round(j, 6), "kind": k}
                                 for a, b, j, k in pairs]}, f, ensure_ascii=False, indent=0)
        if args.gen_only:
            continue
        for name, extra in CONFIGS:
            if name in errors:
                continue
            od = os.path.join(sd, "run-" + re.sub(r"[^a-z0-9]+", "-", name).strip("-"))
            try:
                cmd, wall, kept, rej = run_tamis(args.tamis, inp, od, extra)
            except (RuntimeError, OSError) as e:
                errors[name] = str(e)
                continue
            sc = score(docs, pairs, inp, kept, rej)
            for fp in sc["false_positives"]:
                fp["seed"] = seed
            sc["warnings"] = ["seed %d: %s" % (seed, w) for w in sc["warnings"]]
            r = runs.setdefault(name, {"cmd": " ".join(os.path.basename(c) if c == args.tamis else c
                                                        for c in cmd), "walls": [], "per_seed": [], "score": None})
            r["walls"].append(wall)
            r["per_seed"].append({"seed": seed, "recall_hit": sc["recall_hit"], "recall_n": sc["recall_n"],
                                  "precise_dup": sc["precise_dup"], "removed": sc["removed"]})
            r["score"] = merge(r["score"], sc)
    md = report(args, seeds, data, runs, errors)
    sys.stdout.write(md)
    with open(os.path.join(args.out, "eval-neardup.md"), "w", encoding="utf-8") as f:
        f.write(md)
    with open(os.path.join(args.out, "eval-neardup.json"), "w", encoding="utf-8") as f:
        json.dump({"seeds": seeds, "data": data, "targets": {"recall": TARGET_RECALL, "precision": TARGET_PRECISION},
                   "recall_j": RECALL_J, "precision_j": PRECISION_J, "tol": TOL, "runs": runs, "errors": errors},
                  f, indent=1)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
