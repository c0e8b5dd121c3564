"""Synthetic training pages for the `lines` stage's model (used by
scripts/train-lines.py and scripts/eval-lines.py through lines_train_lib).

Why: the TurkuNLP annotators often labelled long teaser lines cut
mid-sentence ("...") as good, and their documents are single pages without
a site, so the training data holds almost no example of two kinds of noise
the stage must remove:
  1. a widget sentence glued to the truncated start of another article, the
     same widget on every line of a block ("<W> <teaser cut mid-...>..."),
  2. a site's boilerplate: lines repeated on every page of one site (menus,
     footers, prompts), whatever they look like.

What: from the training documents of one language (never a dev split of
de/en/es/fi; fr and sv have no train split, their training documents are
their dev split, as everywhere in the recipe), synthetic sites of 3-6 pages,
metadata.url "https://site-<k>.synthetic.test/p<j>.html", metadata.language
the language of the documents. A page is one real document (at most
PAGE_MAX_LINES = 30 non-blank lines), its lines with their own labels, plus
inserted lines, all labelled noise:
  - boilerplate chosen once per site, 2-4 of: a menu at the top and/or one
    at the bottom (3-7 words of good lines of other documents, capitalised,
    joined by " | ", " · " or " » "), a footer (a capitalised word and a
    year with a copyright sign), and a good sentence (6-30 words, ending in
    . ! or ?) of another document, at the top or the bottom. Each element is
    on each page with probability ELEMENT_P and always on two pages or more;
  - teaser blocks of 2-5 lines "<cut line><E>", E "..." or "…" fixed per
    site. A cut line is a good line of another document of the same
    language (15-50 words, starting with a capital) cut after 40-80% of its
    words, the cut ending in a letter, digit or comma. A site's teasers
    (SITE_MODES): "widget" (45%), a block on a page with probability
    2 * TEASER_P * (the page's share of good lines ending in . ! ?), each
    line "<W> <cut line><E>", W a phrase of WIDGETS fixed per site (of the
    site's language, WIDGET_ANY_P of the time of any; one not yet used in
    the round if any is left) and a different teaser on every line;
    "widget_once" (25%), the same on the site's most article-like page only
    (so W is repeated in that page alone, as in a single document);
    "plain" (20%), blocks of a pool of the site's teasers without W on two
    pages or more, each teaser line shown on two pages or more; none (10%).
    The blocks of a site are after the top boilerplate, before the bottom
    one or last of all (BLOCK_WHERE).
Lines with U+FFFD are never taken. The documents taken as pages and those
giving words, sentences and teasers ("donors") are disjoint in a round, so no
inserted sentence is also a good line of the same corpus. Each round's pages
form one JSONL file, its own corpus (as each real split is), so a page's
real lines occur once in it. Rounds are added (at most MAX_ROUNDS, each a
fresh shuffle) until a language has MIN_PAGES pages.

Weight: lines_train_lib gives the synthetic rows of a language SYN_SHARE
of that language's total weight, the real rows the rest, and splits the
synthetic share between the pages' own lines, the inserted boilerplate and
the inserted teasers by SYN_PARTS.

Deterministic: every choice comes from random.Random seeded with SEED, the
language and the round, over the documents sorted by id; the same training
documents give the same pages, byte for byte.
"""
import json
import os
import random

SEED = "tamis-lines-augment-1"
SITE_PAGES = (3, 6)
PAGE_MAX_LINES = 30
PAGE_SHARE = 0.6          # of a round's shuffled documents, this share of the first ones are pages
MIN_PAGES = 40
MAX_ROUNDS = 4
ELEMENT_P = 0.85
TEASER_P = 0.5
WIDGET_ANY_P = 0.4
TEASER_WORDS = (15, 50)   # words of a line cut into a teaser
# a site's teasers: widget blocks on TEASER_P of its pages, a widget block on one page only, plain, none
SITE_MODES = (0.45, 0.25, 0.20, 0.10)
BLOCK_WHERE = (0.15, 0.50, 0.35)   # a site's teaser blocks: after the top boilerplate, before the bottom one, last
SEPARATORS = (" | ", " · ", " » ")
ELLIPSES = ("...", "\u2026")

# generic widget phrases, each ending in a sentence end so that it is a segment of its own
WIDGETS = {
    "en": ("Advertisement.", "Sponsored content.", "Related stories...", "Most read today\u2026",
           "Editor's pick!"),
    "de": ("Anzeige.", "Lesen Sie auch...", "Mehr zum Thema\u2026", "Empfehlung der Redaktion.",
           "Das k\u00f6nnte Sie auch interessieren!"),
    "es": ("Publicidad.", "Te puede interesar...", "Lo m\u00e1s le\u00eddo\u2026", "Contenido patrocinado.",
           "Noticias relacionadas."),
    "fi": ("Mainos.", "Lue my\u00f6s...", "Luetuimmat\u2026", "Suosittelemme!", "Kaupallinen yhteisty\u00f6."),
    "fr": ("Publicit\u00e9.", "Lire aussi...", "\u00c0 lire \u00e9galement\u2026", "Contenu sponsoris\u00e9.",
           "Les plus lus du jour."),
    "sv": ("Annons.", "L\u00e4s ocks\u00e5...", "Mest l\u00e4st\u2026", "Rekommenderat!", "Fler nyheter..."),
}
ALL_WIDGETS = tuple(w for l in sorted(WIDGETS) for w in WIDGETS[l])
FOOTERS = ("\u00a9 {y} {w}", "\u00a9 {w} {y}", "Copyright \u00a9 {y} {w}", "{w} \u00a9 {y}", "Copyright {y} {w}")


def _blank(s):
    return s.strip() == ""


class SynDoc:
    """A synthetic page: id, lang, url, lines, noise (1 = noise), inserted (kind per line or None)."""

    def __init__(self, id, lang, url, lines, noise, inserted, source):
        self.id, self.lang, self.url = id, lang, url
        self.lines, self.noise, self.inserted, self.source = lines, noise, inserted, source

    def text(self):
        return "\n".join(self.lines)


def _good_lines(docs):
    """The donors' good lines, but those with a replacement character (broken encodings)."""
    return [l.strip() for d in docs for l, n in zip(d.lines, d.noise)
            if not n and not _blank(l) and "\ufffd" not in l]


def _pools(donors):
    """(menu words, sentences, teaser lines) of the donors' good lines, in a fixed order."""
    good = _good_lines(donors)
    words = set()
    for l in good:
        for w in l.split():
            w = w.strip(".,;:!?\"'()[]\u00ab\u00bb\u201c\u201d")
            if w.isalpha() and 3 <= len(w) <= 12:
                words.add(w[0].upper() + w[1:].lower())
    sentences = sorted({l for l in good if 6 <= len(l.split()) <= 30 and l[-1] in ".!?"})
    teasers = sorted({l for l in good if TEASER_WORDS[0] <= len(l.split()) <= TEASER_WORDS[1] and l[0].isupper()})
    return sorted(words), sentences, teasers


def cut(line, rng):
    """line cut after 40-80% of its words, ending in a letter, digit or comma (None if nothing is left)."""
    words = line.split()
    k = min(len(words) - 1, max(2, int(round(len(words) * rng.uniform(0.4, 0.8)))))
    s = " ".join(words[:k])
    while s and not (s[-1].isalnum() or s[-1] == ","):
        s = s[:-1].rstrip()
    return s if len(s.split()) >= 2 else None


def _teaser(pool, rng, used):
    """A cut teaser of a pool line not in used (used grows)."""
    for _ in range(50):
        l = rng.choice(pool)
        if l in used:
            continue
        c = cut(l, rng)
        if c:
            used.add(l)
            return c
    return None


def _article_share(d):
    """Share of good lines ending in a sentence end among the non-blank lines of a document."""
    n = [not y and l.rstrip()[-1] in ".!?" for l, y in zip(d.lines, d.noise) if not _blank(l)]
    return sum(n) / len(n) if n else 0.0


def _at_least_two(on, rng):
    """on: list of bools per page; make at least two True."""
    off = [i for i, v in enumerate(on) if not v]
    rng.shuffle(off)
    while sum(on) < 2 and off:
        on[off.pop()] = True
    return on


def _widget(lang, rng, used):
    """A widget phrase for a site: of its language (else, WIDGET_ANY_P of the time, of any), not yet
    used in the round if one is left (used grows)."""
    own = WIDGETS.get(lang, ALL_WIDGETS)
    first = ALL_WIDGETS if rng.random() < WIDGET_ANY_P else own
    free = list(first)
    for pool in (first, own, ALL_WIDGETS):
        if any(w not in used for w in pool):
            free = [w for w in pool if w not in used]
            break
    W = rng.choice(free)
    used.add(W)
    return W


def _site(k, lang, pages, words, sentences, teasers, rng, round_no, used_w):
    """The SynDocs of one site built on the documents `pages`."""
    n = len(pages)
    kinds = rng.sample(("menu", "menu_bottom", "footer", "sentence"), rng.randint(2, 4))
    el = {}
    for kind in kinds:
        if kind in ("menu", "menu_bottom"):
            text = rng.choice(SEPARATORS).join(rng.sample(words, rng.randint(3, 7)))
        elif kind == "footer":
            text = rng.choice(FOOTERS).format(y=rng.randint(1998, 2024), w=rng.choice(words))
        else:
            text = rng.choice(sentences)
        el[kind] = (text, _at_least_two([rng.random() < ELEMENT_P for _ in range(n)], rng))
    sentence_top = rng.random() < 0.4
    # teasers
    mode = rng.choices(("widget", "widget_once", "plain", "none"), SITE_MODES)[0]
    E = rng.choice(ELLIPSES)
    blocks = [[] for _ in range(n)]
    # where the blocks go: after the top boilerplate, before the bottom one, or last of all
    where = rng.choices(("top", "bottom", "end"), BLOCK_WHERE)[0]
    # teasers go on article pages rather: a page's chance grows with its share of good sentences
    good = [_article_share(d) for d in pages]
    used = set()
    if mode in ("widget", "widget_once"):
        W = _widget(lang, rng, used_w)
        once = max(range(n), key=lambda i: (good[i], rng.random()))
        for i in range(n):
            if (rng.random() < TEASER_P * 2 * good[i]) if mode == "widget" else i == once:
                for _ in range(rng.randint(2, 5)):
                    t = _teaser(teasers, rng, used)
                    if t:
                        blocks[i].append("%s %s%s" % (W, t, E))
    elif mode == "plain":
        pool = [t for t in (_teaser(teasers, rng, used) for _ in range(rng.randint(2, 5))) if t]
        on = _at_least_two([rng.random() < TEASER_P * 2 * good[i] for i in range(n)], rng)
        for i in range(n):
            if on[i] and pool:
                shown = rng.sample(pool, max(2, len(pool) - rng.randint(0, 1)) if len(pool) >= 2 else len(pool))
                blocks[i] = [t + E for t in shown]
        seen = {}
        for b in blocks:
            for t in b:
                seen[t] = seen.get(t, 0) + 1
        blocks = [[t for t in b if seen[t] >= 2] for b in blocks]
    out = []
    for i, d in enumerate(pages):
        top, bottom = [], []

        def put(where, kind):
            if kind in el and el[kind][1][i]:
                where.append((el[kind][0], kind))

        put(top, "menu")
        if sentence_top:
            put(top, "sentence")
        if where == "top":
            top += [(t, "teaser") for t in blocks[i]]
        elif where == "bottom":
            bottom += [(t, "teaser") for t in blocks[i]]
        if not sentence_top:
            put(bottom, "sentence")
        put(bottom, "menu_bottom")
        put(bottom, "footer")
        if where == "end":
            bottom += [(t, "teaser") for t in blocks[i]]
        lines = [t for t, _ in top] + list(d.lines) + [t for t, _ in bottom]
        noise = [1] * len(top) + list(d.noise) + [1] * len(bottom)
        inserted = [kd for _, kd in top] + [None] * len(d.lines) + [kd for _, kd in bottom]
        out.append(SynDoc("syn-%s-r%d-site%d-p%d" % (lang, round_no, k, i + 1), lang,
                          "https://site-%d.synthetic.test/p%d.html" % (k, i + 1), lines, noise, inserted, d.id))
    return out


def build_round(docs, lang, round_no, first_site=1):
    """The synthetic pages of one round for the documents `docs` (one language), and the next site number."""
    rng = random.Random("%s-%s-%d" % (SEED, lang, round_no))
    order = sorted(docs, key=lambda d: d.id)
    rng.shuffle(order)
    npages = int(len(order) * PAGE_SHARE)
    pages = [d for d in order[:npages] if sum(not _blank(l) for l in d.lines) <= PAGE_MAX_LINES]
    donors = [d for d in order if d not in pages]
    words, sentences, teasers = _pools(donors)
    if len(pages) < SITE_PAGES[0] or len(words) < 20 or not sentences or len(teasers) < 10:
        return [], first_site
    sizes = []
    left = len(pages)
    while left >= SITE_PAGES[0]:
        s = min(left, rng.randint(*SITE_PAGES))
        if 0 < left - s < SITE_PAGES[0]:
            s = left if left <= SITE_PAGES[1] else left - SITE_PAGES[0]
        sizes.append(s)
        left -= s
    out, at, k, used_w = [], 0, first_site, set()
    for s in sizes:
        out += _site(k, lang, pages[at:at + s], words, sentences, teasers, rng, round_no, used_w)
        at += s
        k += 1
    return out, k


def build(docs, lang):
    """[(round, [SynDoc])] for the documents of one language: rounds until MIN_PAGES pages."""
    rounds, total, k = [], 0, 1
    for r in range(1, MAX_ROUNDS + 1):
        pages, k = build_round(docs, lang, r, k)
        if not pages:
            break
        rounds.append((r, pages))
        total += len(pages)
        if total >= MIN_PAGES:
            break
    return rounds


def write_jsonl(docs, path):
    tmp = path + ".partial"
    with open(tmp, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps({"id": d.id, "text": d.text(), "metadata": {"url": d.url, "language": d.lang}},
                               ensure_ascii=False) + "\n")
    os.replace(tmp, path)


class Augmenter:
    """aug(train) -> lines_train_lib.Dataset of the synthetic rows built from train's documents.

    docs: every document the training rows may come from (lines-data Doc objects); features_bin:
    build/lines-features; work: scratch directory. Results are cached by the set of documents."""

    def __init__(self, docs, features_bin, work, ld, lt):
        self.byid = {d.id: d for d in docs}
        self.features_bin, self.work, self.ld, self.lt = features_bin, work, ld, lt
        self.cache = {}
        self.last_stats = None
        os.makedirs(work, exist_ok=True)

    def __call__(self, train):
        ids = sorted(set(train.doc[train.syn == 0].tolist()))
        key = tuple(ids)
        if key in self.cache:
            self.last_stats = self.cache[key][1]
            return self.cache[key][0]
        bylang = {}
        for i in ids:
            d = self.byid[i]
            bylang.setdefault(d.lang, []).append(d)
        parts, stats = [], {}
        for lang in sorted(bylang):
            st = stats.setdefault(lang, {"rounds": 0, "sites": 0, "pages": 0, "rows": 0, "inserted": {}})
            for r, pages in build(bylang[lang], lang):
                path = os.path.join(self.work, "aug-%s-r%d.jsonl" % (lang, r))
                write_jsonl(pages, path)
                names, feats = self.ld.features(self.features_bin, path, pages)
                ds = self.lt.Dataset.from_docs(pages, feats, names, self.ld.is_blank, syn=True)
                parts.append(ds)
                st["rounds"] += 1
                st["sites"] += len({p.url.split("/")[2] for p in pages})
                st["pages"] += len(pages)
                st["rows"] += len(ds.y)
                for p in pages:
                    for kind in p.inserted:
                        if kind:
                            st["inserted"][kind] = st["inserted"].get(kind, 0) + 1
        res = self.lt.Dataset.concat(parts) if parts else None
        if res is None:
            res = train.subset(train.doc != train.doc)
        self.cache[key] = (res, stats)
        self.last_stats = stats
        return res


def stats_text(stats, real_rows, share, parts):
    """Lines describing what the augmentation built, per language."""
    out = []
    tot = sum(parts.values())
    for lang in sorted(stats):
        s = stats[lang]
        ins = s["inserted"]
        nt = ins.get("teaser", 0)
        nb = sum(ins.values()) - nt
        out.append("  %s: %d rounds, %d sites, %d pages: %d synthetic rows (%d boilerplate: %s; %d teasers) vs %d real; "
                   "weight %.0f%% of the language (page lines %.1f%%, boilerplate %.1f%%, teasers %.1f%%)"
                   % (lang, s["rounds"], s["sites"], s["pages"], s["rows"], nb,
                      ", ".join("%s %d" % (k, ins[k]) for k in sorted(ins) if k != "teaser"), nt,
                      real_rows.get(lang, 0), 100 * share, 100 * share * parts[1] / tot,
                      100 * share * parts[2] / tot, 100 * share * parts[3] / tot))
    return out


if __name__ == "__main__":
    import sys
    sys.stderr.write("library of scripts/train-lines.py; nothing to run\n")
    sys.exit(2)
