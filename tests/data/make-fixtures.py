#!/usr/bin/env python3
"""Writes the small input fixtures of tamis's tests (tests/data/good, tests/data/bad).
The texts are written for these tests; nothing is taken from ../shared.
Run from anywhere: python3 tests/data/make-fixtures.py (the outputs are committed)."""
import gzip, io, json, os, subprocess

here = os.path.dirname(os.path.abspath(__file__))

def write(rel, data):
    path = os.path.join(here, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write(data)
    return buf.getvalue()

def warc_record(wtype, headers, block, crlf=True):
    nl = "\r\n" if crlf else "\n"
    head = "WARC/1.0" + nl + "WARC-Type: " + wtype + nl
    for k, v in headers:
        head += f"{k}: {v}" + nl
    head += f"Content-Length: {len(block)}" + nl + nl
    return head.encode() + block + (nl + nl).encode()

# ---- good: a datatrove/dolma-shaped JSONL file with extra fields ----
good = [
    {"id": "news-1", "text": "The river rose by two metres overnight.\r\nResidents were moved to the school gym.  \n\n\n\nThe road reopens on Monday.",
     "source": "fixture", "added": "2026-01-02", "metadata": {"language": "en", "url": "https://example.org/river", "n": [1, 2]}},
    {"id": "news-2", "text": "Le conseil municipal a voté le budget.\nLa séance a duré trois heures.", "media": [],
     "metadata": {"language": "fr"}},
    {"text": "A document without an id gets FILE:LINE.", "source": "fixture"},
    {"id": "news-1-copy", "text": "The river rose by two metres overnight.\nResidents were moved to the school gym.\n\nThe road reopens on Monday.",
     "metadata": {"language": "en"}},
    {"id": "blank", "text": " \t\n\n  \r\n", "metadata": {}},
    {"id": 42, "text": "Numeric ids are kept as they are.", "metadata": "not an object"},
    {"id": "decomposed", "text": "Cafe\u0301 cre\u0300me, \u1100\u1161 and \u00e9t\u00e9.", "metadata": {"filter_reason": "stale input value"}},
]
lines = [json.dumps(d, ensure_ascii=False) for d in good]
lines.insert(3, "")  # a blank line: skipped and counted, not a document
write("good/docs.jsonl", "\n".join(lines) + "\n")
write("good/docs.jsonl.gz", gz(("\n".join(lines) + "\n").encode()))

# a JSONL file that starts with a UTF-8 byte order mark (Windows editors write one)
write("good/bom.jsonl", "\ufeff" + json.dumps({"id": "bom-1", "text": "The mark before the first line is not JSON."}) + "\n")

# ---- good: a tiny WET and WARC ----
wet = warc_record("warcinfo", [("WARC-Date", "2026-01-01T00:00:00Z"), ("WARC-Record-ID", "<urn:uuid:00000000-0000-0000-0000-000000000001>")],
                  b"software: tamis-fixture\r\n")
wet += warc_record("conversion", [("WARC-Target-URI", "https://example.org/a"), ("WARC-Date", "2026-01-01T00:00:01Z"),
                                  ("WARC-Record-ID", "<urn:uuid:00000000-0000-0000-0000-00000000000a>"), ("Content-Type", "text/plain")],
                   "Plain text of page A.\nSecond line of page A.".encode())
wet += warc_record("conversion", [("WARC-Target-URI", "https://example.org/b"), ("WARC-Date", "2026-01-01T00:00:02Z"),
                                  ("WARC-Record-ID", "<urn:uuid:00000000-0000-0000-0000-00000000000b>"), ("Content-Type", "text/plain")],
                   "Plain text of page A.\nSecond line of page A.".encode())
write("good/pages.warc.wet.gz", b"".join(gz(r) for r in [wet]))

html = b"<!DOCTYPE html><html><head><title>T</title></head><body><p>Hello.</p></body></html>"
resp = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
img = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\x00binary"
warc = warc_record("warcinfo", [("WARC-Record-ID", "<urn:uuid:10000000-0000-0000-0000-000000000001>")], b"software: fixture\r\n")
warc += warc_record("request", [("WARC-Target-URI", "https://example.org/"), ("WARC-Record-ID", "<urn:uuid:10000000-0000-0000-0000-000000000002>")],
                    b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")
warc += warc_record("response", [("WARC-Target-URI", "https://example.org/"), ("WARC-Date", "2026-01-01T00:00:03Z"),
                                 ("WARC-Record-ID", "<urn:uuid:10000000-0000-0000-0000-000000000003>"),
                                 ("Content-Type", "application/http; msgtype=response")], resp)
warc += warc_record("response", [("WARC-Target-URI", "https://example.org/logo.png"), ("WARC-Date", "2026-01-01T00:00:04Z"),
                                 ("WARC-Record-ID", "<urn:uuid:10000000-0000-0000-0000-000000000004>"),
                                 ("Content-Type", "application/http; msgtype=response")], img)
warc += warc_record("response", [("WARC-Target-URI", "dns:example.org"), ("WARC-Record-ID", "<urn:uuid:10000000-0000-0000-0000-000000000005>"),
                                 ("Content-Type", "text/dns")], b"20260101000000\nexample.org. 300 IN A 192.0.2.1\n")
warc += warc_record("metadata", [("WARC-Record-ID", "<urn:uuid:10000000-0000-0000-0000-000000000006>")], b"via: fixture\r\n")
warc += warc_record("revisit", [("WARC-Record-ID", "<urn:uuid:10000000-0000-0000-0000-000000000007>")], b"")
write("good/site.warc.gz", b"".join(gz(warc_record_bytes) for warc_record_bytes in [warc]))

# ---- good: a directory of .txt files ----
write("good/txt/one.txt", "First plain-text document.\n")
write("good/txt/sub/two.txt", "\ufeffSecond plain-text document, with a BOM.\n")
write("good/txt/notes.md", "Not read: unknown extension when walking a directory.\n")
write("good/txt/.hidden.txt", "Not read: hidden.\n")

# ---- bad input ----
bad_json = [
    '{"id": "ok-1", "text": "A fine document."}',
    '{"id": "unterminated", "text": "no end',
    '{"id": "bad-escape", "text": "bad \\q escape"}',
    '{"id": "bad-unicode", "text": "bad \\u12G4 escape"}',
    '{"id": "lone-surrogate", "text": "lone \\ud800 surrogate is repaired"}',
    '{"id": "deep", "text": "x", "metadata": ' + "[" * 100 + "]" * 100 + "}",
    '{"id": "no-text", "body": "the text field is missing"}',
    '{"id": "number-text", "text": 12}',
    '["an array, not an object"]',
    '{"id": "trailing"} garbage',
    '{"id": "ok-2", "text": "Another fine document."}',
]
write("bad/broken.jsonl", "\n".join(bad_json) + "\n")
# invalid UTF-8, NUL and controls inside a JSON string (raw bytes), and in a .txt file
write("bad/invalid_utf8.jsonl", b'{"id": "bytes", "text": "caf\xc3 \xff\xfe ok \xe2\x82 end", "note": "\xc0\xaf"}\n'
      b'{"id": "nul", "text": "nul \\u0000 and bell \\u0007 and c1 \\u0085 removed"}\n')
write("bad/nul_bytes.txt", b"text with a NUL\x00 byte and \x01 controls\r\nand a CR line\r\n")
# truncated gzip: the first 60% of a gzip member
full = gz(("\n".join(json.dumps({"id": f"t{i}", "text": f"Document number {i} of a file cut short. " * 3}) for i in range(200)) + "\n").encode())
write("bad/truncated.jsonl.gz", full[: len(full) * 6 // 10])
# gzip member followed by garbage
write("bad/trailing_garbage.jsonl.gz", gz(b'{"id": "g1", "text": "before the garbage"}\n') + b"this is not gzip")
# WARC whose Content-Length lies (too long, then too short), then a good record
good_rec = warc_record("conversion", [("WARC-Target-URI", "https://example.org/good"), ("WARC-Record-ID", "<urn:uuid:20000000-0000-0000-0000-000000000003>")],
                       b"The record after the liars is read.")
too_long = b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:20000000-0000-0000-0000-000000000001>\r\nContent-Length: 500\r\n\r\nshort body, length says 500\r\n\r\n"
too_short = b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:20000000-0000-0000-0000-000000000002>\r\nContent-Length: 5\r\n\r\nthis body is longer than five bytes\r\n\r\n"
no_len = b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:20000000-0000-0000-0000-000000000004>\r\n\r\nno content length\r\n\r\n"
write("bad/lying.warc", b"leading garbage line\n" + too_short + good_rec + too_long + good_rec.replace(b"000000000003", b"000000000005") + no_len + good_rec.replace(b"000000000003", b"000000000006"))
# a WARC cut in the middle of a record
write("bad/cut.warc.gz", gz(good_rec + good_rec[: len(good_rec) // 2]))
# a zstd file cut short
if subprocess.run(["which", "zstd"], capture_output=True).returncode == 0:
    z = subprocess.run(["zstd", "-q", "-c", "-3"], input=("\n".join(json.dumps({"id": f"z{i}", "text": f"zstd document {i} " * 5}) for i in range(300)) + "\n").encode(), capture_output=True).stdout
    write("bad/truncated.jsonl.zst", z[: len(z) // 2])
print("fixtures written under", here)
