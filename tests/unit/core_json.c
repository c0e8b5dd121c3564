/* core_json.c -- unit tests for src/core/json.c: the validating object
 * scanner (member spans, every error kind with its offset), the string
 * decoder, the escaping writer and key lookup. */
#include "harness.h"
#include "core/alloc.h"
#include "core/json.h"

static tms_arena A;

/* scans s (NUL-terminated) with max_depth 64 */
static tamis_status scan(const char *s, tms_json_object *o, tms_json_error *e)
{
    return tms_json_scan_object(s, strlen(s), 64, &A, o, e);
}

/* expects s to fail with message msg at byte offset off */
static int fails_at(const char *s, int depth, const char *msg, size_t off)
{
    tms_json_object o;
    tms_json_error e = {0};
    tamis_status st = tms_json_scan_object(s, strlen(s), depth, &A, &o, &e);
    if (st != TAMIS_E_DATA) { fprintf(stderr, "    %s: status %d\n", s, st); return 0; }
    if (!e.msg || strcmp(e.msg, msg) != 0 || e.offset != off) {
        fprintf(stderr, "    %s: got '%s' at %zu, want '%s' at %zu\n", s, e.msg ? e.msg : "(null)", e.offset, msg, off);
        return 0;
    }
    return 1;
}

static int member_is(const tms_json_member *m, const char *key, const char *val)
{
    return m->key_len == strlen(key) && !memcmp(m->key, key, m->key_len) && m->val_len == strlen(val) &&
           !memcmp(m->val, val, m->val_len);
}

TEST(scan_members_and_spans)
{
    const char *s = " {\"a\": 1, \"b\" :\t\"x\\\"y\" ,\"c\":{\"d\":[1,2,{\"e\":null}]},\"f\":[],\"g\":true,"
                    "\"h\":false,\"i\":-0.5e+10,\"\":\"\"}\n";
    tms_json_object o;
    tms_json_error e = {0};
    CHECK(scan(s, &o, &e) == TAMIS_OK);
    CHECK(o.n == 8);
    if (o.n != 8) return;
    CHECK(member_is(&o.m[0], "a", "1"));
    CHECK(member_is(&o.m[1], "b", "\"x\\\"y\""));
    CHECK(member_is(&o.m[2], "c", "{\"d\":[1,2,{\"e\":null}]}"));
    CHECK(member_is(&o.m[3], "f", "[]"));
    CHECK(member_is(&o.m[4], "g", "true"));
    CHECK(member_is(&o.m[5], "h", "false"));
    CHECK(member_is(&o.m[6], "i", "-0.5e+10"));
    CHECK(member_is(&o.m[7], "", "\"\""));
    /* spans point into the input, not into copies */
    CHECK(o.m[0].val == s + 7);
    CHECK(o.m[0].key == s + 3);
}

TEST(scan_empty_and_many_members)
{
    tms_json_object o;
    tms_json_error e;
    CHECK(scan("{}", &o, &e) == TAMIS_OK && o.n == 0);
    CHECK(scan(" \t\r\n{ \n } \r\n", &o, &e) == TAMIS_OK && o.n == 0);
    /* more members than the first allocation (16) keeps them all in order */
    char big[4096] = "{";
    for (int i = 0; i < 100; i++) {
        char m[32];
        snprintf(m, sizeof m, "%s\"k%d\":%d", i ? "," : "", i, i * 7);
        strcat(big, m);
    }
    strcat(big, "}");
    CHECK(scan(big, &o, &e) == TAMIS_OK);
    CHECK(o.n == 100);
    int ok = 1;
    for (size_t i = 0; i < o.n && i < 100; i++) {
        char k[16], v[16];
        snprintf(k, sizeof k, "k%zu", i);
        snprintf(v, sizeof v, "%zu", i * 7);
        ok &= member_is(&o.m[i], k, v);
    }
    CHECK(ok);
}

TEST(scan_accepts_valid_numbers_and_strings)
{
    tms_json_object o;
    tms_json_error e;
    const char *good[] = {
        "{\"n\":0}", "{\"n\":-0}", "{\"n\":12.5}", "{\"n\":1E5}", "{\"n\":1e-5}", "{\"n\":-12.0e+3}",
        "{\"s\":\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"}", "{\"s\":\"\\u00e9\\uD83D\\uDE00\"}",
        "{\"s\":\"\\ud800\"}",                 /* a lone surrogate is valid JSON text */
        "{\"s\":\"\xff\xfe caf\xc3\xa9\"}",   /* invalid UTF-8 is left for normalize */
        "{\"a\":[[[]]],\"b\":{\"c\":{}}}",
    };
    for (size_t i = 0; i < TMS_ARRAY_LEN(good); i++) {
        tamis_status st = scan(good[i], &o, &e);
        if (st != TAMIS_OK) fprintf(stderr, "    rejected %s: %s at %zu\n", good[i], e.msg, e.offset);
        CHECK(st == TAMIS_OK);
    }
}

TEST(scan_string_errors)
{
    /* the unterminated string is reported at its opening quote */
    CHECK(fails_at("{\"a\":\"abc", 64, "unterminated string", 5));
    CHECK(fails_at("{\"abc", 64, "unterminated string", 1));
    CHECK(fails_at("{\"a\":\"abc\\", 64, "unterminated string", 5));
    /* a bad escape is reported at its backslash */
    CHECK(fails_at("{\"a\":\"x\\q\"}", 64, "invalid escape", 7));
    CHECK(fails_at("{\"a\":\"x\\'\"}", 64, "invalid escape", 7));
    CHECK(fails_at("{\"a\":\"\\u12G4\"}", 64, "invalid \\u escape", 6));
    CHECK(fails_at("{\"a\":\"\\u12\"}", 64, "invalid \\u escape", 6));
    CHECK(fails_at("{\"a\":\"\\u12", 64, "truncated \\u escape", 6));
    /* raw control characters are not allowed in strings (tab included) */
    CHECK(fails_at("{\"a\":\"x\ty\"}", 64, "control character in string", 7));
    CHECK(fails_at("{\"a\":\"x\ny\"}", 64, "control character in string", 7));
    CHECK(fails_at("{\"a\x01\":1}", 64, "control character in string", 3));
}

TEST(scan_structure_errors)
{
    CHECK(fails_at("", 64, "expected a JSON object", 0));
    CHECK(fails_at("   ", 64, "expected a JSON object", 3));
    CHECK(fails_at("[1,2]", 64, "expected a JSON object", 0));
    CHECK(fails_at("  \"text\"", 64, "expected a JSON object", 2));
    CHECK(fails_at("42", 64, "expected a JSON object", 0));
    CHECK(fails_at("{\"a\":1} x", 64, "trailing data after the object", 8));
    CHECK(fails_at("{\"a\":1}{}", 64, "trailing data after the object", 7));
    CHECK(fails_at("{\"a\":1", 64, "unterminated object", 0));
    CHECK(fails_at("{\"a\":[1,2", 64, "unterminated array", 5));
    CHECK(fails_at("{", 64, "unterminated object", 0));
    CHECK(fails_at("{a:1}", 64, "expected a string key", 1));
    CHECK(fails_at("{\"a\":1,}", 64, "expected a string key", 7));
    CHECK(fails_at("{\"a\" 1}", 64, "expected ':'", 5));
    CHECK(fails_at("{\"a\":1 \"b\":2}", 64, "expected ',' or '}'", 7));
    CHECK(fails_at("{\"a\":[1 2]}", 64, "expected ',' or ']'", 8));
    CHECK(fails_at("{\"a\":}", 64, "unexpected character", 5));
    CHECK(fails_at("{\"a\":", 64, "unexpected end of input", 5));
}

TEST(scan_number_and_literal_errors)
{
    CHECK(fails_at("{\"a\":-}", 64, "invalid number", 5));
    CHECK(fails_at("{\"a\":1.}", 64, "invalid number", 5));
    CHECK(fails_at("{\"a\":1.e5}", 64, "invalid number", 5));
    CHECK(fails_at("{\"a\":1e}", 64, "invalid number", 5));
    CHECK(fails_at("{\"a\":-1e+}", 64, "invalid number", 5));
    CHECK(fails_at("{\"a\":-x}", 64, "invalid number", 5));
    /* a leading zero ends the number; the next digit is then out of place */
    CHECK(fails_at("{\"a\":01}", 64, "expected ',' or '}'", 6));
    CHECK(fails_at("{\"a\":+1}", 64, "unexpected character", 5));
    CHECK(fails_at("{\"a\":.5}", 64, "unexpected character", 5));
    CHECK(fails_at("{\"a\":tru}", 64, "invalid literal", 5));
    CHECK(fails_at("{\"a\":nul", 64, "invalid literal", 5));
    CHECK(fails_at("{\"a\":falsy}", 64, "invalid literal", 5));
    CHECK(fails_at("{\"a\":True}", 64, "unexpected character", 5));
    CHECK(fails_at("{\"a\":NaN}", 64, "unexpected character", 5));
}

TEST(scan_depth_limit)
{
    /* the top-level object is level 1: max_depth N allows N nested containers */
    tms_json_object o;
    tms_json_error e;
    const char *four = "{\"a\":{\"b\":[{}]}}"; /* 4 levels; the innermost {} at byte 11 */
    CHECK(tms_json_scan_object(four, strlen(four), 4, &A, &o, &e) == TAMIS_OK);
    CHECK(fails_at(four, 3, "nesting too deep", 11));
    CHECK(fails_at("{\"a\":[]}", 1, "nesting too deep", 5));
    CHECK(tms_json_scan_object("{\"a\":1}", 7, 1, &A, &o, &e) == TAMIS_OK);
    /* deep nesting far past the limit fails without recursing to the end */
    size_t n = 200000;
    char *deep = malloc(n * 2 + 16);
    strcpy(deep, "{\"a\":");
    size_t k = 5;
    for (size_t i = 0; i < n; i++) deep[k++] = '[';
    for (size_t i = 0; i < n; i++) deep[k++] = ']';
    deep[k++] = '}';
    deep[k] = 0;
    CHECK(fails_at(deep, 64, "nesting too deep", 5 + 63));
    free(deep);
}

TEST(scan_no_memory)
{
    /* the members array is the scanner's only allocation */
    tms_arena a;
    tms_arena_init(&a, 1024);
    tms_json_object o;
    tms_json_error e;
    tms_alloc_fail_at(1);
    CHECK(tms_json_scan_object("{\"a\":1}", 7, 64, &a, &o, &e) == TAMIS_E_NOMEM);
    tms_alloc_fail_at(0);
    CHECK(tms_json_scan_object("{\"a\":1}", 7, 64, &a, &o, &e) == TAMIS_OK && o.n == 1);
    tms_arena_destroy(&a);
}

static int decodes_to(const char *raw, const char *want, size_t want_len)
{
    const char *out;
    size_t n;
    if (tms_json_decode_string(raw, strlen(raw), &A, &out, &n) != TAMIS_OK) return 0;
    if (n != want_len || memcmp(out, want, n) != 0) {
        fprintf(stderr, "    %s decoded to %zu bytes:", raw, n);
        for (size_t i = 0; i < n; i++) fprintf(stderr, " %02x", (unsigned char)out[i]);
        fprintf(stderr, "\n");
        return 0;
    }
    return 1;
}

TEST(decode_string)
{
    CHECK(decodes_to("\"\"", "", 0));
    CHECK(decodes_to("\"a\\nb\"", "a\nb", 3));
    CHECK(decodes_to("\"say \\\"hi\\\"\"", "say \"hi\"", 8));
    CHECK(decodes_to("\"\\\\\\/\\b\\f\\r\\t\"", "\\/\b\f\r\t", 6));
    CHECK(decodes_to("\"caf\\u00e9\"", "caf\xc3\xa9", 5));
    CHECK(decodes_to("\"\\u00E9\"", "\xc3\xa9", 2));
    CHECK(decodes_to("\"\\u20ac\"", "\xe2\x82\xac", 3));
    CHECK(decodes_to("\"\\u0000\"", "\0", 1));
    /* a surrogate pair becomes one 4-byte character */
    CHECK(decodes_to("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4));
    CHECK(decodes_to("\"x\\uD83D\\uDE00y\"", "x\xf0\x9f\x98\x80y", 6));
    /* lone surrogates become U+FFFD; the character after a lone high one is kept */
    CHECK(decodes_to("\"\\ud83d\"", "\xef\xbf\xbd", 3));
    CHECK(decodes_to("\"\\ude00\"", "\xef\xbf\xbd", 3));
    CHECK(decodes_to("\"\\ud83dx\"", "\xef\xbf\xbdx", 4));
    CHECK(decodes_to("\"\\ud83d\\u0041\"", "\xef\xbf\xbd" "A", 4));
    CHECK(decodes_to("\"\\ude00\\ud83d\"", "\xef\xbf\xbd\xef\xbf\xbd", 6));
    CHECK(decodes_to("\"\\ud83d\\ud83d\\ude00\"", "\xef\xbf\xbd\xf0\x9f\x98\x80", 7));
}

TEST(decode_without_escapes_points_into_raw)
{
    const char *raw = "\"plain caf\xc3\xa9 text\"";
    const char *out;
    size_t n;
    CHECK(tms_json_decode_string(raw, strlen(raw), &A, &out, &n) == TAMIS_OK);
    CHECK(out == raw + 1);
    CHECK(n == strlen(raw) - 2);
}

static int puts_as(const char *in, size_t n, const char *want, uint64_t want_rep)
{
    tms_buf b;
    tms_buf_init(&b, 1 << 20);
    uint64_t rep = 0;
    int ok = tms_json_put_string(&b, in, n, &rep) == TAMIS_OK && b.len == strlen(want) &&
             !memcmp(b.data, want, b.len) && rep == want_rep && b.data[b.len] == 0;
    if (!ok) fprintf(stderr, "    wrote '%.*s' (repaired %llu), want '%s'\n", (int)b.len, b.data ? b.data : "",
                     (unsigned long long)rep, want);
    tms_buf_free(&b);
    return ok;
}

TEST(put_string_escapes)
{
    CHECK(puts_as("", 0, "\"\"", 0));
    CHECK(puts_as("plain", 5, "\"plain\"", 0));
    CHECK(puts_as("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"", 0));
    CHECK(puts_as("\n\t\r\b\f", 5, "\"\\n\\t\\r\\b\\f\"", 0));
    CHECK(puts_as("\x01\x1f", 2, "\"\\u0001\\u001f\"", 0));
    CHECK(puts_as("a\0b", 3, "\"a\\u0000b\"", 0));
    CHECK(puts_as("\x7f", 1, "\"\\u007f\"", 0));
    /* valid UTF-8 is copied as is */
    CHECK(puts_as("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", 0));
}

TEST(put_string_repairs_invalid_utf8)
{
    CHECK(puts_as("a\xff" "b", 3, "\"a\xef\xbf\xbd" "b\"", 1));
    /* an overlong pair is two maximal invalid subparts */
    CHECK(puts_as("\xc0\x80", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"", 2));
    /* a truncated 3-byte sequence at the end is one */
    CHECK(puts_as("x\xe2\x82", 3, "\"x\xef\xbf\xbd\"", 1));
    /* an encoded surrogate is three */
    CHECK(puts_as("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", 3));
    /* the repaired counter may be NULL */
    tms_buf b;
    tms_buf_init(&b, 100);
    CHECK(tms_json_put_string(&b, "\xff", 1, NULL) == TAMIS_OK && b.len == 5);
    tms_buf_free(&b);
}

TEST(put_string_output_scans_back)
{
    /* every ASCII byte, controls included, goes through put_string and
     * decodes back to itself */
    char in[256];
    for (int i = 0; i < 128; i++) in[i] = (char)i;
    tms_buf b;
    tms_buf_init(&b, 1 << 20);
    CHECK(tms_buf_adds(&b, "{\"t\":") == TAMIS_OK);
    CHECK(tms_json_put_string(&b, in, 128, NULL) == TAMIS_OK);
    CHECK(tms_buf_addc(&b, '}') == TAMIS_OK);
    tms_json_object o;
    tms_json_error e;
    CHECK(tms_json_scan_object(b.data, b.len, 64, &A, &o, &e) == TAMIS_OK && o.n == 1);
    if (o.n == 1) {
        const char *out;
        size_t n;
        CHECK(tms_json_decode_string(o.m[0].val, o.m[0].val_len, &A, &out, &n) == TAMIS_OK);
        CHECK(n == 128 && memcmp(out, in, 128) == 0);
    }
    tms_buf_free(&b);
}

TEST(put_string_respects_cap)
{
    tms_buf b;
    tms_buf_init(&b, 8);
    /* the writer reserves for the worst case, so a cap below it fails cleanly */
    CHECK(tms_json_put_string(&b, "abcdefgh", 8, NULL) == TAMIS_E_TOO_BIG);
    CHECK(b.len == 0);
    tms_buf_free(&b);
}

TEST(get_and_key_is)
{
    const char *s = "{\"te\\u0078t\":\"escaped\",\"id\":1,\"a\\\"b\":2,\"\\u00e9t\\u00e9\":3,\"tab\\there\":4}";
    tms_json_object o;
    tms_json_error e;
    CHECK(scan(s, &o, &e) == TAMIS_OK && o.n == 5);
    const tms_json_member *m = tms_json_get(&o, "text");
    CHECK(m && m == &o.m[0]);
    CHECK(tms_json_get(&o, "id") == &o.m[1]);
    CHECK(tms_json_get(&o, "a\"b") == &o.m[2]);
    CHECK(tms_json_get(&o, "\xc3\xa9t\xc3\xa9") == &o.m[3]);
    CHECK(tms_json_get(&o, "tab\there") == &o.m[4]);
    CHECK(tms_json_get(&o, "te\\u0078t") == NULL); /* raw bytes are not the key */
    CHECK(tms_json_get(&o, "tex") == NULL);
    CHECK(tms_json_get(&o, "texts") == NULL);
    CHECK(tms_json_get(&o, "") == NULL);
    CHECK(tms_json_key_is(&o.m[1], "id"));
    CHECK(!tms_json_key_is(&o.m[1], "i"));
    CHECK(!tms_json_key_is(&o.m[0], "tex"));
}

TEST(get_last_duplicate_wins)
{
    const char *s = "{\"text\":\"first\",\"x\":0,\"text\":\"second\",\"t\\u0065xt\":\"third\",\"y\":1}";
    tms_json_object o;
    tms_json_error e;
    CHECK(scan(s, &o, &e) == TAMIS_OK && o.n == 5);
    const tms_json_member *m = tms_json_get(&o, "text");
    CHECK(m == &o.m[3]);
    CHECK(m && member_is(m, "t\\u0065xt", "\"third\""));
}

TEST(key_is_surrogate_pair)
{
    /* an escaped key decodes like a string value: a pair is one character */
    const char *s = "{\"\\ud83d\\ude00\":1,\"\\ud83dx\":2}";
    tms_json_object o;
    tms_json_error e;
    CHECK(scan(s, &o, &e) == TAMIS_OK && o.n == 2);
    if (o.n != 2) return;
    CHECK(tms_json_key_is(&o.m[0], "\xf0\x9f\x98\x80"));
    CHECK(!tms_json_key_is(&o.m[0], "\xef\xbf\xbd\xef\xbf\xbd"));
    CHECK(tms_json_key_is(&o.m[1], "\xef\xbf\xbdx"));
    CHECK(tms_json_get(&o, "\xf0\x9f\x98\x80") == &o.m[0]);
}

TEST(key_is_long_escaped_keys)
{
    /* an escaped key longer than any internal scratch space is compared in
     * full: neither its prefix nor a longer key matches */
    char key[700], json[800];
    memset(key, 'k', 600);
    key[600] = 0;
    snprintf(json, sizeof json, "{\"\\u006b%s\":1}", key + 1); /* "\u006b" + 599 'k' = 600 'k' */
    tms_json_object o;
    tms_json_error e;
    CHECK(scan(json, &o, &e) == TAMIS_OK && o.n == 1);
    if (o.n != 1) return;
    CHECK(tms_json_key_is(&o.m[0], key));
    key[300] = 0;
    CHECK(!tms_json_key_is(&o.m[0], key));
    key[252] = 0;
    CHECK(!tms_json_key_is(&o.m[0], key));
    key[251] = 0;
    CHECK(!tms_json_key_is(&o.m[0], key));
    memset(key, 'k', 601);
    key[601] = 0;
    CHECK(!tms_json_key_is(&o.m[0], key));
}

/* For valid UTF-8 the fast writer must give exactly what the checking one
 * gives: random strings of ASCII, escapes, controls and 2/3/4-byte
 * characters, at every length around the 8- and 16-byte steps and the
 * 16 KiB rounds. */
TEST(put_string_utf8_matches_checking_writer)
{
    static const char *const pieces[] = {"a", " ", "\"", "\\", "\n", "\t", "\x01", "\x7f", "\xc3\xa9",
                                         "\xe0\xa4\x95", "\xed\x9f\xbf", "\xef\xbf\xbd", "\xf0\x9f\x98\x80",
                                         "\xe2\x80\xa8", "0123456789abcdef"};
    unsigned seed = 12345;
    tms_buf a, b, t;
    tms_buf_init(&a, 1 << 24);
    tms_buf_init(&b, 1 << 24);
    tms_buf_init(&t, 1 << 24);
    for (int round = 0; round < 400; round++) {
        tms_buf_reset(&t);
        size_t want = round < 300 ? (size_t)round : (size_t)16384 * (size_t)(round % 3 + 1) + (size_t)(round % 7);
        while (t.len < want) {
            seed = seed * 1103515245u + 12345u;
            CHECK(tms_buf_adds(&t, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]) == TAMIS_OK);
        }
        tms_buf_reset(&a);
        tms_buf_reset(&b);
        uint64_t rep = 0;
        CHECK(tms_json_put_string(&a, t.data, t.len, &rep) == TAMIS_OK);
        CHECK(tms_json_put_string_utf8(&b, t.data, t.len) == TAMIS_OK);
        CHECK(rep == 0);
        CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    }
    tms_buf_free(&a);
    tms_buf_free(&b);
    tms_buf_free(&t);
}

int main(void)
{
    tms_arena_init(&A, 1 << 16);
    RUN(put_string_utf8_matches_checking_writer);
    RUN(scan_members_and_spans);
    RUN(scan_empty_and_many_members);
    RUN(scan_accepts_valid_numbers_and_strings);
    RUN(scan_string_errors);
    RUN(scan_structure_errors);
    RUN(scan_number_and_literal_errors);
    RUN(scan_depth_limit);
    RUN(scan_no_memory);
    RUN(decode_string);
    RUN(decode_without_escapes_points_into_raw);
    RUN(put_string_escapes);
    RUN(put_string_repairs_invalid_utf8);
    RUN(put_string_output_scans_back);
    RUN(put_string_respects_cap);
    RUN(get_and_key_is);
    RUN(get_last_duplicate_wins);
    RUN(key_is_surrogate_pair);
    RUN(key_is_long_escaped_keys);
    tms_arena_destroy(&A);
    DONE("core_json");
}
