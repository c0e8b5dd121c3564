# The extract stage: HTML files (UTF-8; latin-1 declared in a meta tag;
# Shift_JIS declaring nothing) become their main text with the page's
# metadata; a page of menus only is no_main_content. From a WARC: HTTP
# headers stripped, the status and charset of the response used (a 404 is
# http_error, an image not_html). From JSONL with --html-field: the text goes
# to the text field, the HTML field stays as it was, records without it pass
# through. Every document is kept or rejected once.
. tests/cli/lib.sh
meta() { # DIR: per kept document, id and the extract metadata
    python3 - "$1" <<'PY'
import json, subprocess, sys
for kind in ("kept", "rejected"):
    out = subprocess.run(["zstd", "-dc", f"{sys.argv[1]}/{kind}.jsonl.zst"], capture_output=True, check=True).stdout
    for d in map(json.loads, out.decode().splitlines()):
        m = d["metadata"]
        keys = ["title", "author", "date_published", "canonical_url", "site_name", "html_lang", "charset",
                "http_status", "content_type", "url", "filter_reason"]
        print(kind[:4], d["id"], json.dumps({k: m[k] for k in keys if k in m}, ensure_ascii=False))
        if kind == "kept":
            for line in d["text"].split("\n"):
                print("    |", line)
PY
}
$TAMIS run -q --stages extract tests/data/html -o "$TMP/files"
meta "$TMP/files"
counts "$TMP/files" | grep -E '^(complete|reasons|stage extract)'

echo "--- a WARC: a windows-1252 page (charset in the HTTP header), a 404, an image, a redirect"
python3 - "$TMP/crawl.warc" <<'PY'
import sys, zlib
def record(uri, http):
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{zlib.crc32(uri.encode()):08x}-0000-0000-0000-000000000000>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"
page = ("<html><head><title>Pr\u00e9visions m\u00e9t\u00e9o</title></head><body><article><p>Les pr\u00e9visions "
        "annoncent un week-end ensoleill\u00e9 sur toute la c\u00f4te, avec des temp\u00e9ratures proches de vingt-cinq "
        "degr\u00e9s l'apr\u00e8s-midi et un vent faible venu du sud.</p><p>Les pr\u00e9fectures rappellent "
        "qu'il faut boire r\u00e9guli\u00e8rement et \u00e9viter les efforts aux heures les plus chaudes.</p>"
        "</article></body></html>").encode("cp1252")
def http(status, ctype, body):
    return (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
with open(sys.argv[1], "wb") as f:
    f.write(record("https://meteo.example.test/week-end", http("200 OK", "text/html; charset=windows-1252", page)))
    f.write(record("https://meteo.example.test/missing", http("404 Not Found", "text/html",
                                                              b"<html><body><p>Not found</p></body></html>")))
    f.write(record("https://meteo.example.test/logo.png", http("200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(40))))
    f.write(record("https://meteo.example.test/old", http("301 Moved Permanently", "text/html",
                                                          b"<html><body><a href='/new'>moved</a></body></html>")))
PY
$TAMIS run -q --stages extract "$TMP/crawl.warc" -o "$TMP/warc"
meta "$TMP/warc" | sed 's/urn:uuid:[0-9a-f-]*/urn:uuid:N/'
counts "$TMP/warc" | grep -E '^(complete|reasons)'

echo "--- JSONL with --html-field html"
python3 - > "$TMP/pages.jsonl" <<'PY'
import json
print(json.dumps({"id": "p1", "url": "https://www.example-gazette.test/x", "html": open("tests/data/html/article.html").read()}))
print(json.dumps({"id": "p2", "text": "A record without HTML passes through the extract stage untouched."}))
print(json.dumps({"id": "p3", "text": "old text", "html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"}))
print(json.dumps({"id": "p4", "text": 5, "html": open("tests/data/html/article.html").read()}))
print(json.dumps({"id": "p5", "html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"}))
PY
$TAMIS run -q --stages extract --html-field html "$TMP/pages.jsonl" -o "$TMP/jsonl"
zstd -qdc "$TMP/jsonl/kept.jsonl.zst" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print("kept", d["id"], "fields:", list(d), "html kept as it was:", "html" not in d or d["html"].startswith("<"),
          "text:", json.dumps(d["text"][:60]))'
zstd -qdc "$TMP/jsonl/rejected.jsonl.zst" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print("rejected", d["id"], d["metadata"]["stage"] + ":" + d["metadata"]["filter_reason"], "fields:", list(d),
          "text as it was:", json.dumps(d.get("text")))'
zstd -qdc "$TMP/jsonl/kept.jsonl.zst" | grep -c '"text":' | sed 's/^/kept records with one "text" key each: /'
$TAMIS run -q --stages extract --html-field text "$TMP/pages.jsonl" -o "$TMP/x" 2>&1 || echo "exit $?"
echo "--- without the extract stage, HTML is rejected at reading"
$TAMIS run -q --stages normalize tests/data/html/article.html -o "$TMP/none"
counts "$TMP/none" | grep -E '^reasons'
