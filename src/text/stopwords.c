/*
 * stopwords.c -- the tamis stop-word lists (Gopher's "at least 2 stop words"
 * rule in the tamis rule set): for each language a handful of its most
 * frequent function words, so that real prose always has two. Chosen by the
 * tamis developers; each word checked against stopwords-iso (MIT licence,
 * version 1.1.0); the few that are not in it are explained in
 * docs/STOPWORDS.md, which lists every word.
 *
 * Words are lower-case, NFC, and are tokens that tms_tamis_words produces:
 * single Han characters for Chinese (Simplified and Traditional forms),
 * Hiragana particles for Japanese (they stand alone between Kanji), and
 * free-standing Korean words (particles attach to the word before them).
 * Thai has no list: without a segmenter its words are whole phrases.
 */
#include "stopwords.h"
#include <string.h>

static const char *const sw_ar[] = { /* Arabic */
    "في", "من", "على", "إلى", "أن", "عن", "مع", "هذا", "التي", "الذي", "ما", "لا", "كان", "هو", "هذه", "كل",
    "بين", "قد", "ذلك", "أو",
};

static const char *const sw_bg[] = { /* Bulgarian */
    "и", "на", "в", "да", "се", "за", "от", "с", "е", "не", "че", "по", "са", "това", "до", "като", "ще",
    "му", "го",
};

static const char *const sw_ca[] = { /* Catalan */
    "de", "la", "i", "el", "que", "a", "en", "els", "les", "per", "un", "una", "del", "amb", "no", "es", "al",
    "més", "com", "va",
};

static const char *const sw_cs[] = { /* Czech */
    "a", "se", "na", "v", "je", "že", "to", "s", "z", "o", "do", "i", "k", "jako", "pro", "by", "ale", "jsou",
    "po", "tak",
};

static const char *const sw_da[] = { /* Danish */
    "og", "i", "at", "det", "en", "den", "til", "er", "som", "på", "de", "med", "for", "af", "ikke", "der",
    "har", "et", "var", "jeg",
};

static const char *const sw_de[] = { /* German */
    "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist", "im",
    "dem", "nicht", "ein", "eine", "es",
};

static const char *const sw_el[] = { /* Greek */
    "και", "το", "της", "του", "να", "η", "την", "σε", "με", "που", "για", "τα", "των", "από", "ο", "οι",
    "στο", "είναι", "θα", "δεν",
};

static const char *const sw_en[] = { /* English */
    "the", "be", "to", "of", "and", "that", "have", "with", "a", "in", "is", "it", "for", "on", "was", "as",
};

static const char *const sw_es[] = { /* Spanish */
    "de", "la", "que", "el", "en", "y", "a", "los", "se", "del", "las", "un", "por", "con", "no", "una", "su",
    "para", "es", "al",
};

static const char *const sw_fa[] = { /* Persian */
    "و", "در", "به", "از", "که", "این", "را", "با", "است", "برای", "آن", "یک", "هم", "تا", "بر", "می", "شده",
    "بود", "کرد", "نیز",
};

static const char *const sw_fi[] = { /* Finnish */
    "ja", "on", "ei", "se", "että", "hän", "oli", "ovat", "mutta", "kun", "niin", "tai", "myös", "jo", "kuin",
    "sen", "joka", "olla", "vain", "nyt",
};

static const char *const sw_fr[] = { /* French */
    "de", "la", "le", "et", "les", "des", "en", "un", "une", "du", "est", "que", "qui", "dans", "pour", "pas",
    "au", "il", "sur", "ne",
};

static const char *const sw_he[] = { /* Hebrew */
    "של", "את", "על", "לא", "זה", "הוא", "עם", "כי", "גם", "אם", "היא", "אני", "יש", "מה", "או", "כל", "אבל",
    "רק", "הם", "אל",
};

static const char *const sw_hi[] = { /* Hindi */
    "का", "की", "के", "है", "में", "और", "से", "को", "कि", "पर", "यह", "भी", "नहीं", "एक", "हैं", "तो", "था",
    "हो", "ने", "लिए",
};

static const char *const sw_hu[] = { /* Hungarian */
    "a", "az", "és", "hogy", "nem", "is", "egy", "van", "meg", "ez", "de", "csak", "már", "még", "mint", "ha",
    "azt", "volt", "vagy", "el",
};

static const char *const sw_id[] = { /* Indonesian */
    "yang", "dan", "di", "dengan", "untuk", "ini", "dari", "dalam", "tidak", "itu", "akan", "pada", "juga",
    "ke", "ada", "atau", "oleh", "saya", "bisa", "karena",
};

static const char *const sw_it[] = { /* Italian */
    "di", "e", "il", "la", "che", "in", "a", "per", "un", "è", "del", "non", "una", "con", "i", "le", "si",
    "da", "della", "al",
};

static const char *const sw_ja[] = { /* Japanese */
    "の", "に", "は", "を", "が", "と", "で", "も", "た", "て", "し", "な", "か", "から",
};

static const char *const sw_ko[] = { /* Korean */
    "이", "그", "것", "수", "등", "및", "있다", "있는", "그리고", "하지만", "때", "또한", "함께", "다른", "모두", "우리", "따라", "어떤",
};

static const char *const sw_nl[] = { /* Dutch */
    "de", "en", "van", "het", "een", "in", "is", "dat", "op", "te", "zijn", "met", "voor", "niet", "aan",
    "er", "die", "ook",
};

static const char *const sw_no[] = { /* Norwegian (Bokmål) */
    "og", "i", "det", "er", "en", "til", "på", "som", "at", "av", "for", "med", "har", "de", "ikke", "den",
    "et", "jeg", "om", "var",
};

static const char *const sw_pl[] = { /* Polish */
    "i", "w", "na", "z", "się", "nie", "do", "to", "że", "jest", "o", "a", "jak", "po", "co", "ale", "od",
    "za", "tak", "dla",
};

static const char *const sw_pt[] = { /* Portuguese */
    "de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no", "se",
    "na", "por", "mais",
};

static const char *const sw_ro[] = { /* Romanian */
    "și", "şi", "de", "în", "a", "la", "cu", "că", "pe", "nu", "o", "din", "se", "un", "este", "mai", "care",
    "pentru", "ce", "să",
};

static const char *const sw_ru[] = { /* Russian */
    "и", "в", "не", "на", "что", "я", "с", "он", "как", "а", "то", "это", "по", "к", "но", "из", "у", "за",
    "от", "так",
};

static const char *const sw_sv[] = { /* Swedish */
    "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "de", "inte",
    "om", "ett", "jag", "var",
};

static const char *const sw_tr[] = { /* Turkish */
    "ve", "bir", "bu", "da", "de", "için", "ile", "çok", "ne", "o", "gibi", "daha", "en", "ama", "olarak",
    "her", "olan", "kadar", "sonra", "var",
};

static const char *const sw_uk[] = { /* Ukrainian */
    "і", "в", "на", "з", "не", "що", "до", "у", "та", "як", "це", "за", "й", "від", "по", "для", "але", "про",
    "а", "є",
};

static const char *const sw_vi[] = { /* Vietnamese */
    "của", "và", "các", "có", "là", "được", "trong", "cho", "không", "những", "với", "một", "người", "này",
    "đã", "để", "khi", "từ", "thì", "ra",
};

static const char *const sw_zh[] = { /* Chinese */
    "的", "是", "了", "在", "不", "和", "有", "我", "他", "也", "就", "都", "一", "上", "中", "到", "这", "這", "个", "個",
};

typedef struct sw_lang {
    char code[4];
    const char *const *words;
    size_t count;
} sw_lang;

#define SW(c) {#c, sw_##c, TMS_ARRAY_LEN(sw_##c)}
static const sw_lang LANGS[] = { /* sorted by code */
    SW(ar),
    SW(bg),
    SW(ca),
    SW(cs),
    SW(da),
    SW(de),
    SW(el),
    SW(en),
    SW(es),
    SW(fa),
    SW(fi),
    SW(fr),
    SW(he),
    SW(hi),
    SW(hu),
    SW(id),
    SW(it),
    SW(ja),
    SW(ko),
    SW(nl),
    SW(no),
    SW(pl),
    SW(pt),
    SW(ro),
    SW(ru),
    SW(sv),
    SW(tr),
    SW(uk),
    SW(vi),
    SW(zh),
};

/* ISO 639-2/3 codes (FineWeb-2's "rus_Cyrl", "cmn_Hani") and old or
 * macro-language codes, to the ISO 639-1 code of their list; sorted */
static const struct { char from[4], to[3]; } ALIASES[] = {
    {"ara", "ar"},
    {"arb", "ar"},
    {"bul", "bg"},
    {"cat", "ca"},
    {"ces", "cs"},
    {"chi", "zh"},
    {"cmn", "zh"},
    {"cze", "cs"},
    {"dan", "da"},
    {"deu", "de"},
    {"dut", "nl"},
    {"ell", "el"},
    {"eng", "en"},
    {"fas", "fa"},
    {"fin", "fi"},
    {"fra", "fr"},
    {"fre", "fr"},
    {"ger", "de"},
    {"gre", "el"},
    {"heb", "he"},
    {"hin", "hi"},
    {"hun", "hu"},
    {"in", "id"},
    {"ind", "id"},
    {"ita", "it"},
    {"iw", "he"},
    {"jpn", "ja"},
    {"kor", "ko"},
    {"nb", "no"},
    {"nld", "nl"},
    {"nn", "no"},
    {"nno", "no"},
    {"nob", "no"},
    {"nor", "no"},
    {"per", "fa"},
    {"pes", "fa"},
    {"pol", "pl"},
    {"por", "pt"},
    {"ron", "ro"},
    {"rum", "ro"},
    {"rus", "ru"},
    {"spa", "es"},
    {"swe", "sv"},
    {"tur", "tr"},
    {"ukr", "uk"},
    {"vie", "vi"},
    {"zho", "zh"},
};

const char *const *tms_stopwords(const char *lang, size_t lang_len, size_t *count)
{
    char code[4];
    size_t n = 0;
    *count = 0;
    /* the primary subtag: up to '-' or '_', lower-cased */
    while (n < lang_len && lang[n] != '-' && lang[n] != '_') {
        char c = lang[n];
        if (n == 3 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return NULL;
        code[n++] = (char)(c | 0x20);
    }
    if (n < 2) return NULL;
    code[n] = 0;
    for (size_t i = 0; i < TMS_ARRAY_LEN(ALIASES); i++)
        if (!strcmp(ALIASES[i].from, code)) {
            memcpy(code, ALIASES[i].to, 3);
            break;
        }
    size_t lo = 0, hi = TMS_ARRAY_LEN(LANGS);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(LANGS[mid].code, code);
        if (c == 0) {
            *count = LANGS[mid].count;
            return LANGS[mid].words;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

bool tms_stopwords_has(const char *const *list, size_t count, const char *w, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < count; i++) {
        const char *e = list[i];
        if (e[0] != w[0]) continue;
        size_t k = 1;
        while (k < n && e[k] && e[k] == w[k]) k++; /* stops at e's end: no over-read */
        if (k == n && e[n] == 0) return true;
    }
    return false;
}

const char *tms_stopwords_languages(void)
{
    return "ar bg ca cs da de el en es fa fi fr he hi hu id it ja ko nl no pl pt ro ru sv tr uk vi zh";
}

/* ==== Guessing a document's stop-word language ==== */

#include <pthread.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define GBITS 11
static struct { uint64_t key; uint32_t mask; } gtab[1u << GBITS];
static const char *gcodes[32];
static size_t ngcodes;
static pthread_once_t gonce = PTHREAD_ONCE_INIT;

static void gbuild(void)
{
    for (size_t l = 0; l < TMS_ARRAY_LEN(LANGS) && l < 32; l++) {
        gcodes[ngcodes] = LANGS[l].code;
        for (size_t i = 0; i < LANGS[l].count; i++) {
            uint64_t k = XXH3_64bits(LANGS[l].words[i], strlen(LANGS[l].words[i])) | 1;
            size_t j = (size_t)(k >> (64 - GBITS));
            while (gtab[j].key && gtab[j].key != k) j = (j + 1) & ((1u << GBITS) - 1);
            gtab[j].key = k;
            gtab[j].mask |= 1u << ngcodes;
        }
        ngcodes++;
    }
}

static uint32_t gmask(const char *w, size_t n)
{
    uint64_t k = XXH3_64bits(w, n) | 1;
    size_t j = (size_t)(k >> (64 - GBITS));
    while (gtab[j].key) {
        if (gtab[j].key == k) return gtab[j].mask;
        j = (j + 1) & ((1u << GBITS) - 1);
    }
    return 0;
}

const char *tms_stopwords_guess(const char *text, size_t len)
{
    pthread_once(&gonce, gbuild);
    if (len > TMS_STOPWORDS_GUESS_BYTES) len = TMS_STOPWORDS_GUESS_BYTES;
    uint32_t hits[32] = {0};
    size_t words = 0;
    char low[64];
    size_t wl = 0;
    bool in = false;
    for (size_t i = 0; i <= len;) {
        int32_t c = -1;
        utf8proc_ssize_t k = 1;
        if (i < len) {
            unsigned char b = (unsigned char)text[i];
            if (b < 0x80) c = b;
            else {
                k = utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &c);
                if (k < 1) k = 1, c = 0xFFFD;
            }
        }
        bool alnum = false;
        if (c >= 0) {
            if (c < 0x80) alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            else {
                utf8proc_category_t cat = utf8proc_category(c);
                alnum = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MN;
            }
        }
        if (alnum) {
            int32_t lc = c < 0x80 ? (c >= 'A' && c <= 'Z' ? c | 0x20 : c) : utf8proc_tolower(c);
            if (wl + 4 <= sizeof low) wl += (size_t)utf8proc_encode_char(lc, (utf8proc_uint8_t *)low + wl);
            in = true;
        } else if (in) {
            words++;
            for (uint32_t m = gmask(low, wl); m; m &= m - 1) hits[__builtin_ctz(m)]++;
            wl = 0;
            in = false;
        }
        i += (size_t)k;
    }
    size_t best = 0;
    for (size_t l = 1; l < ngcodes; l++)
        if (hits[l] > hits[best]) best = l;
    /* a few hits in a long text prove nothing */
    if (hits[best] < 3 || hits[best] * 50 < words) return NULL;
    return gcodes[best];
}
