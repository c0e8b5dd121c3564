#!/bin/sh
# run-unit.sh BUILD -- runs every unit-test binary in BUILD/tests and sums
# their "N passed, N failed" lines.
build=${1:-build}
passed=0; failed=0; bad=0
for t in "$build"/tests/*; do
    [ -x "$t" ] || continue
    out=$("$t" 2>&1); rc=$?
    line=$(printf '%s\n' "$out" | tail -n 1)
    p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
    f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
    if [ -z "$p" ]; then
        echo "unit: $(basename "$t") crashed or printed no summary (exit $rc)"; printf '%s\n' "$out" | tail -n 20
        bad=$((bad + 1)); continue
    fi
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    [ "$f" -ne 0 ] && printf '%s\n' "$out"
    passed=$((passed + p)); failed=$((failed + f))
done
failed=$((failed + bad))
echo "unit: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "$passed $failed" >> "$RESULTS"
[ "$failed" -eq 0 ]
