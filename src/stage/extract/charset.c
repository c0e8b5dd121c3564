/*
 * charset.c -- HTML bytes to UTF-8 (charset.h).
 */
#include "charset.h"
#include "../../core/alloc.h"
#include "../../core/utf8.h"
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <uchardet.h>

#define META_WINDOW (64 * 1024)

const char *const tms_charset_source_names[] = {"none", "bom", "utf8", "http", "meta", "detected", "repaired"};

struct tms_charset {
    uchardet_t ud;
    iconv_t cd;          /* from cd_name, or (iconv_t)-1 */
    char cd_name[48];
    char guess[48];      /* uchardet's answer, copied: it frees its own at the next reset */
};

tamis_status tms_charset_create(tms_charset **out)
{
    tms_charset *c = tms_calloc(1, sizeof *c);
    if (!c) return TAMIS_E_NOMEM;
    c->ud = uchardet_new();
    c->cd = (iconv_t)-1;
    if (!c->ud) {
        tms_free(c);
        return TAMIS_E_NOMEM;
    }
    *out = c;
    return TAMIS_OK;
}

void tms_charset_free(tms_charset *c)
{
    if (!c) return;
    if (c->cd != (iconv_t)-1) iconv_close(c->cd);
    uchardet_delete(c->ud);
    tms_free(c);
}

/* ==== labels ==== */

typedef struct label_map {
    const char *label, *iconv;
} label_map;

/* WHATWG's mapping of labels to encodings, for the labels seen on the web;
 * a label not here is given to iconv as it is when iconv knows it. */
static const label_map labels[] = {
    {"utf8", "UTF-8"},           {"utf-8", "UTF-8"},             {"unicode-1-1-utf-8", "UTF-8"},
    {"us-ascii", "WINDOWS-1252"}, {"ascii", "WINDOWS-1252"},     {"iso-8859-1", "WINDOWS-1252"},
    {"iso8859-1", "WINDOWS-1252"}, {"latin1", "WINDOWS-1252"},   {"l1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"}, {"cp1252", "WINDOWS-1252"},  {"windows-1252", "WINDOWS-1252"},
    {"x-cp1252", "WINDOWS-1252"}, {"cp819", "WINDOWS-1252"},     {"ibm819", "WINDOWS-1252"},
    {"iso-8859-9", "WINDOWS-1254"}, {"latin5", "WINDOWS-1254"},  {"windows-1254", "WINDOWS-1254"},
    {"iso-8859-11", "CP874"},    {"tis-620", "CP874"},           {"windows-874", "CP874"},
    {"gb2312", "GB18030"},       {"gbk", "GB18030"},             {"x-gbk", "GB18030"},
    {"gb18030", "GB18030"},      {"chinese", "GB18030"},         {"csgb2312", "GB18030"},
    {"big5", "BIG5-HKSCS"},      {"big5-hkscs", "BIG5-HKSCS"},   {"x-x-big5", "BIG5-HKSCS"},
    {"euc-kr", "CP949"},         {"ks_c_5601-1987", "CP949"},    {"korean", "CP949"},
    {"windows-949", "CP949"},    {"shift_jis", "CP932"},         {"shift-jis", "CP932"},
    {"sjis", "CP932"},           {"x-sjis", "CP932"},            {"ms_kanji", "CP932"},
    {"windows-31j", "CP932"},    {"euc-jp", "EUC-JP"},
    {"koi8-r", "KOI8-R"},        {"koi8-u", "KOI8-U"},           {"koi8-ru", "KOI8-U"},
    {"utf-16", "UTF-16LE"},      {"utf-16le", "UTF-16LE"},       {"utf-16be", "UTF-16BE"},
};

const char *tms_charset_label(const char *label, size_t n)
{
    while (n && (*label == ' ' || *label == '\t' || *label == '"' || *label == '\'')) label++, n--;
    while (n && (label[n - 1] == ' ' || label[n - 1] == '\t' || label[n - 1] == '"' || label[n - 1] == '\'')) n--;
    if (!n || n > 40) return NULL;
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
        if (strlen(labels[i].label) == n && !strncasecmp(labels[i].label, label, n)) return labels[i].iconv;
    /* windows-125x, iso-8859-x and the like: iconv knows them by their label */
    static const char *const direct[] = {"WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1253", "WINDOWS-1255",
                                         "WINDOWS-1256", "WINDOWS-1257", "WINDOWS-1258", "ISO-8859-2",
                                         "ISO-8859-3",   "ISO-8859-4",   "ISO-8859-5",   "ISO-8859-6",
                                         "ISO-8859-7",   "ISO-8859-8",   "ISO-8859-10",  "ISO-8859-13",
                                         "ISO-8859-14",  "ISO-8859-15",  "ISO-8859-16",  "MACINTOSH",
                                         "IBM866",       "GB18030"};
    for (size_t i = 0; i < sizeof direct / sizeof *direct; i++)
        if (strlen(direct[i]) == n && !strncasecmp(direct[i], label, n)) return direct[i];
    if (n == 6 && !strncasecmp(label, "cp125", 5) && label[5] >= '0' && label[5] <= '8') {
        static const char *const cp[] = {"WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253",
                                         "WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257",
                                         "WINDOWS-1258"};
        return cp[label[5] - '0'];
    }
    return NULL;
}

/* ==== declarations ==== */

/* the charset= value after p (within [p, end)), or NULL */
static const char *charset_value(const char *p, const char *end, size_t *len)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    if (p >= end || *p != '=') return NULL;
    p++;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')) p++;
    const char *s = p;
    while (p < end && (p - s) < 40 &&
           ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == ':' || *p == '.'))
        p++;
    *len = (size_t)(p - s);
    return *len ? s : NULL;
}

static const char *memcasemem(const char *h, size_t hn, const char *n, size_t nn)
{
    if (nn > hn) return NULL;
    for (size_t i = 0; i + nn <= hn; i++)
        if ((h[i] | 0x20) == (n[0] | 0x20) && !strncasecmp(h + i, n, nn)) return h + i;
    return NULL;
}

/* The charset the page declares: in a <meta> tag or an <?xml ... encoding>
 * within the window; NULL when none is known to iconv. */
static const char *declared(const char *page, size_t n)
{
    size_t w = n < META_WINDOW ? n : META_WINDOW;
    const char *end = page + w;
    for (const char *p = page; (p = memcasemem(p, (size_t)(end - p), "<meta", 5)) != NULL; p += 5) {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        const char *tend = gt ? gt : end;
        const char *cs = memcasemem(p, (size_t)(tend - p), "charset", 7);
        if (!cs) continue;
        size_t l;
        const char *v = charset_value(cs + 7, tend, &l);
        const char *name = v ? tms_charset_label(v, l) : NULL;
        if (name) return name;
    }
    if (w >= 5 && !memcmp(page, "<?xml", 5)) {
        const char *gt = memchr(page, '>', w);
        const char *e = gt ? memcasemem(page, (size_t)(gt - page), "encoding", 8) : NULL;
        size_t l;
        const char *v = e ? charset_value(e + 8, gt, &l) : NULL;
        if (v) return tms_charset_label(v, l);
    }
    return NULL;
}

static const char *http_charset(const char *ct)
{
    if (!ct) return NULL;
    size_t n = strlen(ct);
    const char *cs = memcasemem(ct, n, "charset", 7);
    size_t l;
    const char *v = cs ? charset_value(cs + 7, ct + n, &l) : NULL;
    return v ? tms_charset_label(v, l) : NULL;
}

/* ==== conversion ==== */

/* Converts with iconv from `from`; false when the bytes do not convert
 * cleanly (an invalid or incomplete sequence). */
static tamis_status convert(tms_charset *c, const char *from, const char *page, size_t n, tms_buf *out, bool *ok)
{
    *ok = false;
    if (c->cd == (iconv_t)-1 || strcmp(c->cd_name, from) != 0) {
        if (c->cd != (iconv_t)-1) iconv_close(c->cd);
        c->cd = iconv_open("UTF-8", from);
        snprintf(c->cd_name, sizeof c->cd_name, "%s", c->cd == (iconv_t)-1 ? "" : from);
        if (c->cd == (iconv_t)-1) return TAMIS_OK;
    }
    iconv(c->cd, NULL, NULL, NULL, NULL);
    tms_buf_reset(out);
    TMS_TRY(tms_buf_reserve(out, n + n / 2 + 16));
    char *in = (char *)(uintptr_t)page;
    size_t inleft = n;
    /* browsers decode the bytes 0x80-0x9F these code pages leave unassigned as the C1 control of the same value */
    bool c1 = !strncmp(from, "WINDOWS-125", 11) || !strcmp(from, "CP874");
    while (inleft) {
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len;
        size_t r = iconv(c->cd, &in, &inleft, &o, &oleft);
        out->len = (size_t)(o - out->data);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) {
            TMS_TRY(tms_buf_reserve(out, inleft * 2 + 64));
            continue;
        }
        if (errno == EILSEQ && c1 && inleft) {
            unsigned char b = (unsigned char)*in;
            if (b >= 0x80 && b <= 0x9F) {
                TMS_TRY(tms_buf_reserve(out, 2));
                out->data[out->len++] = (char)0xC2;
                out->data[out->len++] = (char)b;
                in++;
                inleft--;
                continue;
            }
        }
        /* a page cut in its last character (crawlers cut long responses): U+FFFD for it */
        if (errno == EINVAL && inleft < 4) {
            TMS_TRY(tms_buf_add(out, "\xEF\xBF\xBD", 3));
            break;
        }
        out->data[out->len] = 0;
        return TAMIS_OK; /* EILSEQ, or EINVAL inside the page: not this encoding */
    }
    char *o = out->data + out->len;
    size_t oleft = out->cap - out->len;
    iconv(c->cd, NULL, NULL, &o, &oleft);
    out->len = (size_t)(o - out->data);
    out->data[out->len] = 0;
    *ok = true;
    return TAMIS_OK;
}

tamis_status tms_charset_decode(tms_charset *c, const char *page, size_t n, const char *http_ct, tms_buf *out_buf,
                                const char **out, size_t *out_len, tms_charset_source *src, const char **name,
                                uint64_t *replaced)
{
    *replaced = 0;
    *src = TMS_CS_NONE;
    *name = NULL;
    *out = NULL;
    *out_len = 0;
    const unsigned char *u = (const unsigned char *)page;
    bool ok;
    /* 1. a byte-order mark decides (a UTF-8 page's invalid bytes become U+FFFD, counted) */
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *src = TMS_CS_BOM, *name = "UTF-8";
        if (tms_utf8_valid_prefix(page + 3, n - 3) == n - 3) {
            *out = page + 3, *out_len = n - 3;
            return TAMIS_OK;
        }
        tms_buf_reset(out_buf);
        TMS_TRY(tms_utf8_append_repaired(out_buf, page + 3, n - 3, replaced));
        *out = out_buf->data, *out_len = out_buf->len, *src = TMS_CS_REPAIRED;
        return TAMIS_OK;
    } else if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const char *from = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        TMS_TRY(convert(c, from, page + 2, n - 2, out_buf, &ok));
        if (ok) {
            *out = out_buf->data, *out_len = out_buf->len, *src = TMS_CS_BOM, *name = from;
            return TAMIS_OK;
        }
    }
    /* 2. valid UTF-8 */
    if (tms_utf8_valid_prefix(page, n) == n) {
        *out = page, *out_len = n, *src = TMS_CS_UTF8, *name = "UTF-8";
        return TAMIS_OK;
    }
    /* 3. UTF-8 with a few invalid sequences, when the server or the page says UTF-8 or the page has
     * more valid multi-byte sequences than invalid ones (Latin-1 text hardly ever has any) */
    const char *decl[2] = {http_charset(http_ct), declared(page, n)};
    bool says_utf8 = (decl[0] && !strcmp(decl[0], "UTF-8")) || (decl[1] && !strcmp(decl[1], "UTF-8"));
    uint64_t bad = 0, multi = 0;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t k = tms_utf8_decode(u + i, n - i, &cp);
        if (cp < 0) bad++;
        else multi++;
        i += k;
    }
    if (bad <= 16 + n / 1024 && (says_utf8 || multi > bad)) {
        tms_buf_reset(out_buf);
        TMS_TRY(tms_utf8_append_repaired(out_buf, page, n, NULL));
        *out = out_buf->data, *out_len = out_buf->len, *src = TMS_CS_REPAIRED, *name = "UTF-8";
        *replaced = bad;
        return TAMIS_OK;
    }
    /* 4. what the server, then the page, declares */
    for (int k = 0; k < 2; k++) {
        const char *from = decl[k];
        if (!from || !strcmp(from, "UTF-8") || (k == 1 && decl[0] == from)) continue;
        if (!strncmp(from, "UTF-16", 6)) continue; /* a UTF-16 page without a BOM does not declare in ASCII */
        TMS_TRY(convert(c, from, page, n, out_buf, &ok));
        if (ok) {
            *out = out_buf->data, *out_len = out_buf->len, *src = k ? TMS_CS_META : TMS_CS_HTTP, *name = from;
            return TAMIS_OK;
        }
    }
    /* 5. uchardet */
    uchardet_reset(c->ud);
    if (uchardet_handle_data(c->ud, page, n < (1u << 20) ? n : (1u << 20)) != 0) return TAMIS_E_NOMEM;
    {
        uchardet_data_end(c->ud);
        const char *g = uchardet_get_charset(c->ud);
        /* its names are iconv's, but for a few labels browsers read otherwise */
        const char *from = g && *g ? tms_charset_label(g, strlen(g)) : NULL;
        if (!from && g && *g && strlen(g) < sizeof c->guess) from = strcpy(c->guess, g); /* iconv knows its names */
        if (from && strcmp(from, "UTF-8") != 0) {
            TMS_TRY(convert(c, from, page, n, out_buf, &ok));
            if (ok) {
                *out = out_buf->data, *out_len = out_buf->len, *src = TMS_CS_DETECTED, *name = from;
                return TAMIS_OK;
            }
        }
    }
    return TAMIS_OK;
}
