# Quality stages on hand-made documents: the reasons and --explain's
# measurement when rejecting; --tag-only keeps everything and says why each
# document would have gone; the summary accounts for both.
. tests/cli/lib.sh
# the quality stages as the default set runs them, without lines (its own cases test it)
Q=normalize,exact_dedup,gopher_repetition,gopher_quality,fineweb_quality
python3 - "$TMP/in.jsonl" <<'PY'
import json, sys
good = ("The river runs past the old mill and the children walk to school along it every morning. "
        "In the spring the water is high and fast, and the farmers watch it with care because the fields are close. "
        "Later in the year it is slow and clear, and you can see the stones on the bottom and the fish that live there. "
        "People have lived by this river for a long time, and they have stories about it that they tell to visitors.")
docs = [
    {"id": "good", "text": good},
    {"id": "short", "text": "Too short to be a document."},
    {"id": "repeated", "text": "\n".join(["Buy cheap watches here today."] * 12)},
    {"id": "hashes", "text": good + " " + " ".join(["#tag"] * 30)},
    {"id": "list", "text": "\n".join("- item number %d" % i for i in range(40))},
]
with open(sys.argv[1], "w") as f:
    for d in docs:
        f.write(json.dumps(d) + "\n")
PY
$TAMIS run -q --explain --stages $Q "$TMP/in.jsonl" -o "$TMP/o"
show "$TMP/o"
counts "$TMP/o"
echo "--- explain of each rejection"
zstd -dc "$TMP/o/rejected.jsonl.zst" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["id"], json.dumps(d["metadata"]["explain"], sort_keys=True))
'
echo "--- --tag-only: all kept, with would_reject"
$TAMIS run -q --tag-only --explain --stages $Q "$TMP/in.jsonl" -o "$TMP/t"
zstd -dc "$TMP/t/kept.jsonl.zst" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    m = d["metadata"]
    print(d["id"], m.get("would_reject"), sorted(m.get("explain", {})))
'
python3 - "$TMP/t/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("in", s["docs_in"], "kept", s["docs_kept"], "rejected", s["docs_rejected"], "would", s["docs_would_reject"])
print("would_reject_by_reason", json.dumps(s["would_reject_by_reason"], sort_keys=True))
for st in s["stages"]:
    print("stage", st["name"], "in", st["docs_in"], "would", st["docs_would_reject"])
PY
echo "--- a tag-only output re-run normally drops would_reject"
zstd -dc "$TMP/t/kept.jsonl.zst" > "$TMP/again.jsonl"
$TAMIS run -q --stages normalize "$TMP/again.jsonl" -o "$TMP/a"
zstd -dc "$TMP/a/kept.jsonl.zst" | grep -c would_reject || true
