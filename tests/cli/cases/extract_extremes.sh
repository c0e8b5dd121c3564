# The extract stage on hostile pages, each run under a generous timeout (a
# guard, not a timing test; bench/html.py measures time and memory): a
# million nested <div>s, 50,000 unclosed <p> inside unclosed tables, a 12 MB
# article, a 20 MB page (over --max-html-bytes), random bytes, a page cut off
# mid-tag, and an empty file. Each ends kept or rejected with a reason.
. tests/cli/lib.sh
d="$TMP/pages"
mkdir -p "$d"
python3 - "$d" <<'PY'
import os, random, sys
d = sys.argv[1]
para = ("<p>The council of the small harbour town voted on Tuesday to rebuild the sea wall that has protected "
        "the old quarter since 1887, after two winters of storms left long cracks along its base.</p>\n")
open(f"{d}/deep.html", "w").write("<html><body><article><p>" + para[3:-5] + "</p>" + "<div>" * 1000000 +
                                  "deep inside" + "</div>" * 10 + "</article></body></html>")
open(f"{d}/unclosed.html", "w").write("<html><body>" + "<table><tr><td><p>cell text and more" * 50000)
open(f"{d}/big.html", "w").write("<html><body><article>" + para * 54000 + "</article></body></html>")
open(f"{d}/huge.html", "w").write("<html><body><article>" + para * 100000 + "</article></body></html>")
random.seed(7)
open(f"{d}/binary.html", "wb").write(bytes(random.randrange(256) for _ in range(200000)))
open(f"{d}/cut.html", "w").write("<html><head><title>Cut</title></head><body><article>" + para * 3 + "<p>and then <a hr")
open(f"{d}/empty.html", "w").write("")
PY
timeout 300 $TAMIS run -q -j2 --stages extract "$d" -o "$TMP/o" || echo "exit $?"
python3 - "$TMP/o" <<'PY'
import json, subprocess, sys
d = sys.argv[1]
for kind in ("kept", "rejected"):
    out = subprocess.run(["zstd", "-dc", f"{d}/{kind}.jsonl.zst"], capture_output=True, check=True).stdout
    for r in map(json.loads, out.decode().split("\n")[:-1]):
        m = r["metadata"]
        lines = r["text"].split("\n") if kind == "kept" else []
        what = (f'{len(lines)} lines, {len(r["text"])} chars, first: {lines[0][:50]!r}' if kind == "kept"
                else f'{m["stage"]}:{m["filter_reason"]}')
        print(kind[:4], r["id"], what)
s = json.load(open(d + "/summary.json"))
print("complete", s["complete"], "in", s["docs_in"], "kept", s["docs_kept"], "rejected", s["docs_rejected"])
PY
