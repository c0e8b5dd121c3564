# -o - streams kept documents as plain JSONL; --rejected and --summary say
# where the rest goes; stdin is read with -
. tests/cli/lib.sh
cat tests/data/good/docs.jsonl | $TAMIS run --stages normalize,exact_dedup -q - -o - --rejected "$TMP/rej.jsonl.gz" --summary "$TMP/s.json"
echo "--- rejected (gzip by its name)"
gzip -dc "$TMP/rej.jsonl.gz"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['docs_in'], s['docs_kept'], s['docs_rejected'], s['outputs']['kept'], s['outputs']['rejected'].replace(sys.argv[2], 'TMP'))" "$TMP/s.json" "$TMP"
echo "--- without --rejected and --summary: counted only"
$TAMIS run --stages normalize,exact_dedup -q tests/data/good/docs.jsonl -o - | wc -l
ls "$TMP"
