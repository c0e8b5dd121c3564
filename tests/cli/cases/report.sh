# report.html and stats.json: what they hold matches the run's outputs, the
# same for any thread count, rebuilt byte for byte by `tamis report`, merged
# over shards, and absent with --no-report
. tests/cli/lib.sh
inputs="tests/data samples"
[ -d "$SHARED/data/crawl" ] && inputs="$inputs $SHARED/data/crawl" || echo "note: ../shared absent, local data only" >&2
$TAMIS run -q -j1 $inputs -o "$TMP/j1"
$TAMIS run -q -j2 $inputs -o "$TMP/j2"
cmp "$TMP/j1/stats.json" "$TMP/j2/stats.json"
echo "stats.json is the same with -j1 and -j2"

python3 - "$TMP/j2" <<'PY'
import json, subprocess, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
t = json.load(open(d + "/stats.json"))
assert t["format"] == "tamis-stats-1"
assert t["docs"] == s["docs_in"] and t["docs_kept"] == s["docs_kept"], "totals differ from summary.json"
assert t["bytes_read"] == s["bytes_in"] and t["bytes_kept"] == s["bytes_out"]
assert sum(t["length_before"].values()) == s["docs_in"] and sum(t["length_after"].values()) == s["docs_kept"]
stages = {st["name"]: st for st in s["stages"]}
for st in t["stages"]:
    assert st["docs_in"] == stages[st["name"]]["docs_in"], st["name"]
lines = stages.get("lines", {}).get("counters", {})
assert t["lines_removed"] == lines.get("lines_removed", 0), (t["lines_removed"], lines)
# every reason given is explained, with its option where it has one
for key in s["rejected_by_reason"]:
    assert key in t["rules"], "no rule for " + key
    assert t["rules"][key]["text"], key
# every removed line's reason is explained too (the report links it)
for l in t["removed_lines"]:
    assert l["stage"] + ":" + l["reason"] in t["rules"], l
assert sum(1 for l in t["removed_lines"] if l["error"] == 0) > 0
# samples: the reasons given (and kept), at most 6 each, drawn from the documents that got that reason
rej = {}
out = subprocess.run(["zstd", "-dc", d + "/rejected.jsonl.zst"], capture_output=True, check=True).stdout.decode()
for line in out.split("\n"):
    if line:
        r = json.loads(line)
        rej.setdefault(r["metadata"]["stage"] + ":" + r["metadata"]["filter_reason"], set()).add(r["id"])
for key, v in t["samples"].items():
    assert len(v["docs"]) <= 6 and v["docs"], key
    if key == "kept":
        assert v["offered"] == s["docs_kept"]
        continue
    assert v["offered"] == s["rejected_by_reason"][key], key
    for x in v["docs"]:
        assert x["id"] in rej[key], (key, x["id"])
        if "value" in x:  # a measured rejection: on the rejected side of its threshold
            assert x["value"] != x["threshold"] or key.endswith("_doc"), (key, x)
assert set(t["samples"]) == set(s["rejected_by_reason"]) | {"kept"}
# a rule's histogram counts the documents it measured: never more than reached its stage
for key, m in t["measures"].items():
    assert sum(m["bins"].values()) == m["n"] <= stages[key.split(":")[0]]["docs_in"], key
print("stats.json agrees with summary.json and the rejected documents:", len(t["samples"]) - 1, "reasons sampled,",
      len(t["measures"]), "rules measured")
PY

# the report is drawn from the two files only: rebuilt, it is the same page
cp "$TMP/j2/report.html" "$TMP/first.html"
rm "$TMP/j2/report.html"
$TAMIS report "$TMP/j2"
cmp "$TMP/first.html" "$TMP/j2/report.html"
echo "tamis report DIR rebuilds report.html byte for byte"

# --no-report: neither file
$TAMIS run -q --no-report tests/data -o "$TMP/none"
[ ! -e "$TMP/none/stats.json" ] && [ ! -e "$TMP/none/report.html" ]
echo "--no-report writes neither report.html nor stats.json"
# its report can still be made, from the summary alone
$TAMIS report "$TMP/none"
grep -q 'data-total="docs_in"' "$TMP/none/report.html"
echo "tamis report on a --no-report run: the summary's part"

# shards: one report of them all, in the directory that holds them
mkdir -p "$TMP/sh"
$TAMIS run -q tests/data -o "$TMP/sh/shard-00000"
$TAMIS run -q samples -o "$TMP/sh/shard-00001"
$TAMIS report "$TMP/sh"/shard-*
python3 - "$TMP/sh" <<'PY'
import json, re, sys
d = sys.argv[1]
parts = [json.load(open(f"{d}/shard-0000{i}/summary.json")) for i in (0, 1)]
html = open(d + "/report.html").read()
def total(k):
    return int(re.search(r'data-total="%s">([0-9,]+)<' % k, html).group(1).replace(",", ""))
for k in ("docs_in", "docs_kept", "docs_rejected", "bytes_in", "bytes_out"):
    assert total(k) == sum(p[k] for p in parts), k
reasons = {}
for p in parts:
    for k, v in p["rejected_by_reason"].items():
        reasons[k] = reasons.get(k, 0) + v
for k, v in reasons.items():
    m = re.search(r'<tr data-reason="%s">.*?<td class="num count">([0-9,]+)</td>' % re.escape(k), html)
    assert m and int(m.group(1).replace(",", "")) == v, k
# the merged sample of each reason is the smallest hashes of the shards' samples
stats = [json.load(open(f"{d}/shard-0000{i}/stats.json")) for i in (0, 1)]
for key in set(stats[0]["samples"]) | set(stats[1]["samples"]):
    docs = sorted((x for st in stats for x in st["samples"].get(key, {}).get("docs", [])), key=lambda x: x["h"])[:6]
    sec = html.split('id="ex-%s"' % key.replace(":", "--"))[1].split("</details>")[0]
    ids = re.findall(r'<div class="sample"><div><code>(.*?)</code>', sec)
    import html as h
    assert [h.unescape(i) for i in ids] == [x["id"] for x in docs], (key, ids)
print("merged report: totals and reasons are the shards' sums, samples the shards' smallest hashes")
PY
$TAMIS report "$TMP/sh/shard-00000" "$TMP/j1" 2>&1 | sed "s|$TMP|TMP|g" || true
$TAMIS report "$TMP/sh/shard-00000" "$TMP/j1" >/dev/null 2>&1 || echo "exit $?"
