# walking: the output directory inside an input directory is never read (a
# second run sees the same documents as the first), and a symlink loop is
# not followed forever
. tests/cli/lib.sh
mkdir -p "$TMP/in/sub"
cp tests/data/good/docs.jsonl "$TMP/in/"
cp tests/data/good/txt/one.txt "$TMP/in/sub/"
ln -s .. "$TMP/in/sub/loop"
for run in 1 2; do
    $TAMIS run --stages normalize,exact_dedup -q "$TMP/in" -o "$TMP/in/out"
    counts "$TMP/in/out" | head -n 1
done
python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['input_files'], 'input files')" "$TMP/in/out/summary.json"
