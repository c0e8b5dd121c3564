#!/bin/sh
# run.sh TAMIS [--bless] [CASE...] -- runs the CLI cases in tests/cli/cases.
# Each case NAME.sh runs from the repository root (so paths in the output are
# relative and the expected files portable) with TMP (a fresh temporary
# directory for its outputs), TAMIS (the binary) and SHARED (../shared, which
# may be absent) set; its stdout and exit status are compared with NAME.stdout and
# NAME.exit exactly (stderr too when NAME.stderr exists). A case that needs
# ../shared exits 77 when it is absent: it is skipped, with its message.
# --bless rewrites the expected files from the current output.
set -u
tamis=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
bless=0
[ "${1:-}" = "--bless" ] && { bless=1; shift; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$(cd "$root/../shared" 2>/dev/null && pwd || echo "$root/../shared")
cases=${*:-$(cd "$here/cases" && ls *.sh | sed 's/\.sh$//')}
passed=0; failed=0; skipped=0
for c in $cases; do
    tmp=$(mktemp -d)
    (cd "$root" && TMP=$tmp TAMIS=$tamis SHARED=$shared sh -eu "$here/cases/$c.sh" >"$tmp/.stdout" 2>"$tmp/.stderr"); rc=$?
    if [ "$rc" -eq 77 ]; then
        echo "skip $c: $(tail -n 1 "$tmp/.stderr")"; skipped=$((skipped + 1)); rm -rf "$tmp"; continue
    fi
    if [ "$bless" -eq 1 ]; then
        cp "$tmp/.stdout" "$here/cases/$c.stdout"; echo "$rc" > "$here/cases/$c.exit"
        [ -f "$here/cases/$c.stderr" ] && cp "$tmp/.stderr" "$here/cases/$c.stderr"
        echo "blessed $c"; rm -rf "$tmp"; continue
    fi
    ok=1
    want_rc=$(cat "$here/cases/$c.exit" 2>/dev/null || echo 0)
    [ "$rc" = "$want_rc" ] || { echo "FAIL $c: exit $rc, expected $want_rc"; ok=0; }
    if ! cmp -s "$tmp/.stdout" "$here/cases/$c.stdout"; then
        echo "FAIL $c: stdout differs:"; diff "$here/cases/$c.stdout" "$tmp/.stdout" | head -n 30; ok=0
    fi
    if [ -f "$here/cases/$c.stderr" ] && ! cmp -s "$tmp/.stderr" "$here/cases/$c.stderr"; then
        echo "FAIL $c: stderr differs:"; diff "$here/cases/$c.stderr" "$tmp/.stderr" | head -n 30; ok=0
    fi
    if [ "$ok" -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); sed 's/^/  stderr: /' "$tmp/.stderr" | head -n 10; fi
    rm -rf "$tmp"
done
echo "cli: $passed passed, $failed failed, $skipped skipped"
[ -n "${RESULTS:-}" ] && [ "$bless" -eq 0 ] && echo "$passed $failed" >> "$RESULTS"
[ "$failed" -eq 0 ]
