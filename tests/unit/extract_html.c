/* extract_html.c -- unit tests for src/stage/extract/html.c: the text layout
 * (one block per line, tables as rows, lists, <br>, <pre>, whitespace and
 * invisible characters), what is removed (navigation, footers, asides,
 * comments, share bars, cookie banners, scripts, hidden elements), the
 * metadata fields, and robustness (empty, binary, garbage and truncated
 * input, 200k nested divs, reuse of one tms_html for many pages). */
#include "harness.h"
#include "core/alloc.h"
#include "core/utf8.h"
#include "stage/extract/html.h"
#include <time.h>

static tms_html *H;
static tms_html_result R;

/* The output's shape: one block per line, no empty line, no line that
 * starts or ends with a blank, no final newline; found iff text. */
static void check_shape(const tms_html_result *r)
{
    CHECK(r->text != NULL && strlen(r->text) == r->len);
    CHECK(r->found == (r->len > 0));
    for (size_t i = 0; i < r->len; i++) {
        bool line_start = i == 0 || r->text[i - 1] == '\n', line_end = i + 1 == r->len || r->text[i + 1] == '\n';
        if (r->text[i] == '\n') CHECK(!line_start && !line_end);
        if (line_start || line_end) CHECK(r->text[i] != ' ' && r->text[i] != '\t');
    }
}

static const tms_html_result *ex(const char *html)
{
    memset(&R, 0, sizeof R);
    CHECK(tms_html_extract(H, html, strlen(html), NULL, &R) == TAMIS_OK);
    check_shape(&R);
    return &R;
}

static bool has(const char *needle) { return R.text && strstr(R.text, needle) != NULL; }
static bool has_line(const char *line)
{
    size_t n = strlen(line);
    for (const char *p = R.text; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !memcmp(p, line, n)) return true;
        p = e ? e + 1 : p + len;
    }
    return false;
}

#define P1 "The council met on Monday to discuss the budget for the next year, and the mayor said that the plan was good."
#define P2 "It is the first time in a decade that the city has a surplus, which will be used for the schools and the roads."
#define P3 "Residents were invited to comment on the proposal at a public hearing that will be held at the end of the month."

#define NAV "<nav><ul><li><a href=/>Home</a></li><li><a href=/news>News</a></li><li><a href=/sport>Sport</a></li></ul></nav>"

TEST(blocks_one_per_line)
{
    ex("<html><body>" NAV "<article><h1>Budget approved</h1><p>" P1 "</p><p>" P2 "</p><p>" P3 "</p></article>"
       "<footer><p>Copyright 2024 Example Media. All rights reserved. Contact us for licensing.</p></footer>"
       "</body></html>");
    CHECK(R.found);
    CHECK(has_line("Budget approved"));
    CHECK(has_line(P1) && has_line(P2) && has_line(P3));
    CHECK(strstr(R.text, P1) < strstr(R.text, P2) && strstr(R.text, P2) < strstr(R.text, P3));
    CHECK(!has("Home") && !has("Sport") && !has("Copyright"));
    CHECK(R.text[R.len - 1] != '\n');
}

TEST(boilerplate_removed)
{
    ex("<html><body><div id=page><div class=content><p>" P1 "</p>"
       "<div class=share-buttons><a href=#>Share on Facebook</a> <a href=#>Tweet</a></div><p>" P2 "</p>"
       "<aside><p>Read also: an article that is not this one, with a long enough sentence in it for a paragraph.</p></aside>"
       "<p>" P3 "</p>"
       "<div id=comments><h3>3 comments</h3><p>Great article, I think that the council is right and the plan is good for us.</p></div>"
       "</div><div class=cookie-banner><p>We use cookies to improve your experience on our site and for the ads.</p></div>"
       "<div class=newsletter>Subscribe to our newsletter and get the news in your inbox every morning of the week.</div>"
       "<!-- a comment: The hidden plan of the council --><script>var x = 'the script text';</script>"
       "<style>p { color: red }</style><noscript>Please enable JavaScript</noscript>"
       "<div style='display: none'>The invisible text of the page that nobody sees on the screen.</div>"
       "<form><button>Send it now</button><select><option>Option one</option></select></form>"
       "</div></body></html>");
    CHECK(R.found);
    CHECK(has(P1) && has(P2) && has(P3));
    CHECK(!has("Facebook") && !has("Read also") && !has("Great article") && !has("cookies"));
    CHECK(!has("newsletter") && !has("hidden plan") && !has("script text") && !has("color"));
    CHECK(!has("JavaScript") && !has("invisible") && !has("Send it") && !has("Option one"));
}

TEST(tables_lists_quotes_pre)
{
    ex("<html><body><main><p>" P1 "</p>"
       "<table><tr><th>Item</th><th>Cost</th></tr><tr><td>Schools</td><td>12 million</td></tr>"
       "<tr><td><b>Roads</b></td><td>8 million</td></tr></table>"
       "<ul><li>First point of the plan</li><li>Second <em>point</em> of the plan</li></ul>"
       "<blockquote>We are proud of this budget, said the mayor.</blockquote>"
       "<pre>line one\n  indented line\nline three</pre>"
       "<p>" P2 "<br>A new line after a break.<br/>And another.</p></main></body></html>");
    CHECK(R.found);
    CHECK(has_line("Item\tCost"));
    CHECK(has_line("Schools\t12 million"));
    CHECK(has_line("Roads\t8 million"));
    CHECK(has_line("First point of the plan"));
    CHECK(has_line("Second point of the plan"));
    CHECK(has_line("We are proud of this budget, said the mayor."));
    CHECK(has("line one\nindented line\nline three")); /* no line starts with a blank */
    CHECK(has_line(P2) && has_line("A new line after a break.") && has_line("And another."));
}

TEST(whitespace_and_invisible_chars)
{
    ex("<html><body><article><p>  The   coun\xc2\xad" "cil\n\tmet on Mon\xe2\x80\x8b"
       "day&nbsp;to discuss the bud&shy;get for the next year, and the mayor said that the plan was good.  </p>"
       "<p>" P2 "</p><p>" P3 "</p></article></body></html>");
    CHECK(has_line(P1));
    CHECK(!has("\xc2\xad") && !has("\xe2\x80\x8b") && !has("\xc2\xa0"));
}

TEST(metadata)
{
    ex("<!doctype html><html lang=en-GB><head><title>Budget approved | The Example Gazette</title>"
       "<meta property='og:site_name' content='The Example Gazette'>"
       "<meta name=author content='Jane Doe'>"
       "<meta property='article:published_time' content='2024-03-01T10:00:00Z'>"
       "<link rel=canonical href='https://example.org/budget'>"
       "</head><body><article><p>" P1 "</p><p>" P2 "</p></article></body></html>");
    CHECK(R.title && !strcmp(R.title, "Budget approved"));
    CHECK(R.author && !strcmp(R.author, "Jane Doe"));
    CHECK(R.date_published && !strcmp(R.date_published, "2024-03-01T10:00:00Z"));
    CHECK(R.canonical_url && !strcmp(R.canonical_url, "https://example.org/budget"));
    CHECK(R.site_name && !strcmp(R.site_name, "The Example Gazette"));
    CHECK(R.html_lang && !strcmp(R.html_lang, "en-GB"));

    ex("<html><head><meta property='og:title' content='The OG title'><title>Other</title>"
       "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"datePublished\":\"2023-01-02\","
       "\"author\":[{\"@type\":\"Person\",\"name\":\"Jos\\u00e9 Smith\"}],"
       "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Gazette\",\"logo\":{\"url\":\"x\"}}}</script>"
       "</head><body><p>" P1 "</p></body></html>");
    CHECK(R.title && !strcmp(R.title, "The OG title"));
    CHECK(R.author && !strcmp(R.author, "Jos\xc3\xa9 Smith"));
    CHECK(R.date_published && !strcmp(R.date_published, "2023-01-02"));
    CHECK(R.site_name && !strcmp(R.site_name, "Gazette"));
    CHECK(R.html_lang == NULL && R.canonical_url == NULL);
    CHECK(has(P1));

    ex("<html><body><h1>Only a <i>heading</i></h1><p>" P1 "</p><time datetime='2020-05-05'>May 5</time></body></html>");
    CHECK(R.title && !strcmp(R.title, "Only a"));
    CHECK(R.date_published && !strcmp(R.date_published, "2020-05-05"));
}

TEST(no_content)
{
    ex("<html><body>" NAV "<footer><a href=/imprint>Imprint</a> <a href=/privacy>Privacy</a></footer></body></html>");
    CHECK(!R.found && R.len == 0 && R.text[0] == 0);
    ex("<html><head><title>Empty page</title></head><body></body></html>");
    CHECK(!R.found && R.title && !strcmp(R.title, "Empty page"));
    /* only navigation and a copyright line: never the footer's text */
    ex("<html><body><nav><a href=/>Home</a> <a href=/a>About</a> <a href=/b>Blog</a></nav>"
       "<footer>(c) 2024</footer></body></html>");
    CHECK(!R.found && R.len == 0);
    ex("<html><body><nav><a href=/>Home</a> <a href=/a>About</a></nav><div class=footer>(c) 2024</div></body></html>");
    CHECK(!R.found && R.len == 0);
    ex("<html><body><div class=nav><a href=/>Home</a> <a href=/a>About</a></div><div id=footer><p>\xc2\xa9 2024 "
       "Example Company. All rights reserved worldwide.</p></div></body></html>");
    CHECK(!R.found && R.len == 0);
}

/* The headline starts the text, whether it heads the article's box or sits
 * just before it; a short block right before a share bar stays when it is
 * the headline, a table row or a list item. */
TEST(headline_and_last_rows)
{
    static const char *const layouts[] = {
        /* headline inside the article, a widget between it and the text */
        "<html><head><title>Harbour town votes to rebuild its sea wall | Gazette</title></head><body>" NAV
        "<main><article><h1>Harbour town votes to rebuild its sea wall</h1>"
        "<div class=audio-player>Getting your audio player ready...</div><p>" P1 "</p><p>" P2 "</p>"
        "<table><tr><th>Phase</th><th>Cost</th></tr><tr><td>Foundations</td><td>4.2 million</td></tr>"
        "<tr><td>Wall</td><td>7.9 million</td></tr></table>"
        "<ul><li>Work starts in May.</li><li>The ferry moves in June.</li></ul><p>" P3 "</p>"
        "<ul><li>First step.</li><li>Last step.</li></ul>"
        "<div class=share-buttons><a href=#>Share on Facebook</a> <a href=#>Share on Twitter</a></div>"
        "</article></main></body></html>",
        /* headline in a title box of its own before the text, a byline between */
        "<html><head><title>Harbour town votes to rebuild its sea wall</title></head><body>" NAV
        "<div class=title-box><h1>Harbour town votes to rebuild its sea wall</h1></div><div class=byline>By Jane Doe</div>"
        "<div class=story><p>" P1 "</p><p>" P2 "</p>"
        "<table><tr><th>Phase</th><th>Cost</th></tr><tr><td>Foundations</td><td>4.2 million</td></tr>"
        "<tr><td>Wall</td><td>7.9 million</td></tr></table>"
        "<ul><li>Work starts in May.</li><li>The ferry moves in June.</li></ul><p>" P3 "</p>"
        "<ul><li>First step.</li><li>Last step.</li></ul>"
        "<div class=share-buttons><a href=#>Share on Facebook</a> <a href=#>Share on Twitter</a></div>"
        "</div></body></html>",
    };
    for (size_t k = 0; k < TMS_ARRAY_LEN(layouts); k++) {
        ex(layouts[k]);
        CHECK(R.found);
        CHECK(!strncmp(R.text, "Harbour town votes to rebuild its sea wall\n", 43));
        CHECK(has_line("Phase\tCost") && has_line("Foundations\t4.2 million") && has_line("Wall\t7.9 million"));
        CHECK(has_line("Last step.") && has_line(P3));
        CHECK(!has("Share on") && !has("audio player") && !has("Home"));
    }
}

TEST(garbage_inputs)
{
    ex("");
    CHECK(!R.found);
    ex("   ");
    CHECK(!R.found);
    ex("just some text without any tags, which is still the text of the page and should be kept.");
    CHECK(R.found && has("just some text"));
    ex("<html><body><p>" P1 "</p><p>" P2 "</p><div class=\"cont");
    CHECK(R.found && has(P1));
    ex("<html><body><p>" P1 "</p><p>" P2 "<a href='http://example.org/unterminated");
    CHECK(has(P1));
    ex("<<<>>></></><!--<![CDATA[<?xml?><p <p <table><td><tr></table></tr></td></p>&#0;&#xD800;&#99999999;&bogus;");
    unsigned char bin[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof bin; i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (unsigned char)(x >> 16);
    }
    memset(&R, 0, sizeof R);
    CHECK(tms_html_extract(H, (const char *)bin, sizeof bin, NULL, &R) == TAMIS_OK);
    check_shape(&R);
    /* NUL bytes inside the page */
    const char nul[] = "<p>before\0after the nul byte in the paragraph</p>";
    CHECK(tms_html_extract(H, nul, sizeof nul - 1, NULL, &R) == TAMIS_OK);
    check_shape(&R);
    /* NUL bytes between multi-byte characters: myhtml garbles the merged text
     * (found by fuzz_html); the output must still be valid UTF-8 */
    static const unsigned char nuls[] = {
        0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
        0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
        0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
        0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
        0x0a, 0x0a, 0x22, 0x3e, 0x3c, 0x7f, 0xdb, 0x00, 0x00, 0x60, 0x61, 0x00, 0x00, 0x68, 0x31, 0x3e, 0x55,
        0x6e, 0x20, 0x74, 0x69, 0xe7, 0x91, 0x65, 0x3c, 0x2f, 0x68, 0x31, 0x3e, 0x38, 0x37, 0x34, 0x74, 0x03,
        0x00, 0x70, 0x3e, 0x79, 0x3c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6a, 0x3e, 0x6d, 0x70, 0xc3, 0x01, 0x00, 0xaa, 0x74,
        0x65, 0x3c, 0x6c, 0x69, 0x3e, 0x31, 0x6c, 0x3c, 0x36, 0x68,
    };
    CHECK(tms_html_extract(H, (const char *)nuls, sizeof nuls, NULL, &R) == TAMIS_OK);
    check_shape(&R);
    CHECK(tms_utf8_valid_prefix(R.text, R.len) == R.len);
    /* cut off inside a tag, after non-ASCII text and a long run of blanks:
     * myhtml's text merge overlaps itself there */
    char cut[256];
    memset(cut, '\r', 93);
    memcpy(cut + 93, "\xc3\xb5<d\xc3\x9b\xe2\x80\x9e<\x01\x01\xe2\x80\x9e", 16);
    CHECK(tms_html_extract(H, cut, 109, NULL, &R) == TAMIS_OK);
    check_shape(&R);
    CHECK(tms_utf8_valid_prefix(R.text, R.len) == R.len && has("\xc3\xb5"));
    /* whitespace-only lines of a <pre>, blanks at the ends of its lines */
    ex("<html><body><pre>\n\n   \t \n  code();  \n\n\t\tmore();\t\n   </pre><p>" P1 "</p></body></html>");
    CHECK(has("code();\nmore();"));
}

TEST(deep_nesting)
{
    size_t depth = 200000;
    const char *head = "<html><body><article><p>" P1 "</p><p>" P2 "</p>";
    size_t cap = strlen(head) + depth * 11 + 1024;
    char *s = tms_malloc(cap);
    CHECK(s != NULL);
    if (!s) return;
    size_t n = 0;
    memcpy(s + n, head, strlen(head));
    n += strlen(head);
    for (size_t i = 0; i < depth; i++) memcpy(s + n, "<div>", 5), n += 5;
    memcpy(s + n, "deep text", 9), n += 9;
    for (size_t i = 0; i < depth; i++) memcpy(s + n, "</div>", 6), n += 6;
    s[n] = 0;
    clock_t t0 = clock();
    memset(&R, 0, sizeof R);
    CHECK(tms_html_extract(H, s, n, NULL, &R) == TAMIS_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 10); /* quadratic without the guard: minutes */
    CHECK(R.found && has(P1) && has(P2));
    tms_free(s);
    /* the tree is usable again afterwards */
    ex("<html><body><article><p>" P3 "</p></article></body></html>");
    CHECK(has_line(P3));
}

TEST(container_choice)
{
    /* the article among teasers, sidebars and link lists, no semantic tags */
    ex("<html><body><div class=header><a href=/>Logo</a> <a href=/a>About us</a></div>"
       "<div class=main-wrapper><div class=teasers><div><a href=/x>Another story about the weather in the city "
       "today</a></div><div><a href=/y>And one more story about the traffic on the roads this week</a></div></div>"
       "<div class=post-body><p>" P1 "</p><p>" P2 "</p><p>" P3 "</p></div>"
       "<div class=related-posts><h3>Related</h3><ul><li><a href=/r1>The budget of last year, explained in detail"
       "</a></li><li><a href=/r2>What the mayor said about schools</a></li></ul></div></div>"
       "<div class=sidebar><p>About the author: she writes about the city and the council for the paper.</p></div>"
       "</body></html>");
    CHECK(R.found && has(P1) && has(P2) && has(P3));
    CHECK(!has("Another story") && !has("Related") && !has("About the author") && !has("Logo"));
}

TEST(class_hints_weighed)
{
    /* layout switches and content tokens outweigh a boilerplate word */
    ex("<html><body><div class='entry-content no-share'><p>" P1 "</p><p>" P2 "</p></div>"
       "<div class='share-bar'><p>Share this article with your friends on every network you like today.</p></div>"
       "</body></html>");
    CHECK(has(P1) && has(P2) && !has("Share this"));
    ex("<html><body><div class='blog_teaser_text'><p>" P1 "</p><p>" P2 "</p></div>"
       "<div class='article-related'><p>Another article that the editors picked for you from our archive.</p></div>"
       "</body></html>");
    CHECK(has(P1) && has(P2) && !has("Another article"));
    /* an opinion piece is not a comment section; an article's header is kept */
    ex("<html><body><div class='commentary'><article><header><p class=lead>" P3 "</p></header><p>" P1
       "</p><p>" P2 "</p></article></div><div id=comments><p>I disagree with the mayor, the plan is not good "
       "for the city.</p></div></body></html>");
    CHECK(has(P1) && has(P2) && has(P3) && !has("I disagree"));
}

TEST(declared_language_wrong)
{
    /* German text under lang=en: the stop words of the text decide */
    ex("<html lang=en><body><nav><a href=/>Start</a></nav><div><p>Der Rat der Stadt hat am Montag den Haushalt "
       "f\xc3\xbcr das n\xc3\xa4" "chste Jahr beschlossen, und die B\xc3\xbcrgermeisterin ist mit dem Plan zufrieden.</p>"
       "<p>Die Schulen und die Stra\xc3\x9f" "en bekommen mehr Geld als im letzten Jahr, sagte sie nach der Sitzung.</p>"
       "</div></body></html>");
    CHECK(R.found && has("Der Rat der Stadt") && has("Die Schulen"));
}

TEST(reuse_many_pages)
{
    for (int i = 0; i < 200; i++) {
        ex(i % 2 ? "<html><body><article><p>" P1 "</p></article></body></html>"
                 : "<html lang=de><body><p>Der Rat hat am Montag den Haushalt f\xc3\xbcr das n\xc3\xa4"
                   "chste Jahr beschlossen, und die B\xc3\xbcrgermeisterin ist zufrieden mit dem Plan.</p></body></html>");
        CHECK(R.found);
    }
}

/* Photo credits (in a caption or on a short line of their own), the caption
 * of the picture above the article, and calls to action closing it go;
 * MathJax's "CtxtMenu_Attached" is not a menu. */
TEST(credits_and_calls_to_action)
{
    ex("<html><body><article><figure><img src=a.jpg><figcaption>The harbour at dawn, seen from the north "
       "pier</figcaption></figure><p>" P1 "</p><figure><img src=b.jpg><figcaption>The old wall. Photo: Getty "
       "Images</figcaption></figure><p>" P2 "</p><p>Foto: dpa</p><p>Figure 2: the costs of the wall by phase.</p>"
       "<p>" P3 "</p><p>Follow us on Twitter and subscribe to our newsletter for more news from the town.</p>"
       "</article></body></html>");
    CHECK(has_line(P1) && has_line(P2) && has_line(P3));
    CHECK(!has("harbour at dawn") && !has("Getty") && !has("dpa") && !has("Figure 2") && !has("Follow us"));
    ex("<html><body><article><p>" P1 " When <span class=\"MathJax CtxtMenu_Attached_0\"><math><mi>a</mi><mo>"
       "\xe2\x89\xa0</mo><mn>0</mn></math></span>, there are two solutions.</p><p>" P2 "</p></article></body></html>");
    CHECK(has("a \xe2\x89\xa0 0"));
}

int main(void)
{
    if (tms_html_create(&H) != TAMIS_OK) return 1;
    RUN(blocks_one_per_line);
    RUN(boilerplate_removed);
    RUN(tables_lists_quotes_pre);
    RUN(whitespace_and_invisible_chars);
    RUN(metadata);
    RUN(no_content);
    RUN(headline_and_last_rows);
    RUN(credits_and_calls_to_action);
    RUN(garbage_inputs);
    RUN(deep_nesting);
    RUN(container_choice);
    RUN(class_hints_weighed);
    RUN(declared_language_wrong);
    RUN(reuse_many_pages);
    tms_html_free(H);
    DONE("extract_html");
}
