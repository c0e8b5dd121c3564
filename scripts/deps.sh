#!/bin/sh
# deps.sh -- makes sure the Debian packages tamis builds and tests with are
# installed: as root it installs the missing ones with apt-get; otherwise it
# prints the exact apt-get line and fails.
# Usage: scripts/deps.sh build|demo|check|fuzz|report
# (report: Chromium, for tests/report; optional: `make check` skips that test without it)
set -eu
build="gcc g++ make pkg-config libzstd-dev zlib1g-dev libutf8proc-dev libxxhash-dev libcld2-dev libmodest-dev libuchardet-dev"
demo="$build zstd python3"
check="$demo clang libclang-rt-dev"
fuzz="$check"
report="chromium"
case "${1:-build}" in
    build) want=$build ;;
    demo) want=$demo ;;
    check) want=$check ;;
    fuzz) want=$fuzz ;;
    report) want=$report ;;
    *) echo "usage: $0 build|demo|check|fuzz|report" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "tamis: installing missing build dependencies:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends $missing >&2
else
    echo "tamis: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
