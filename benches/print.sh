#!/usr/bin/env bash
# Whole-process timings of `folio print` on the 5 MB post, against the baselines the
# renderer's targets name: pulldown-cmark parsing the same file (examples/pulldown_parse)
# and mdcat printing it in colour (when `mdcat` is on PATH). Needs hyperfine. Then the
# coloured print's target: folio's coloured print against syntect alone highlighting the
# post's code on all cores (examples/syntect_only), in the same run, as a ratio.
#
#   bash benches/print.sh            # uses /tmp/folio-bench-huge, as `cargo bench` does
#   FOLIO_BENCH_POST=file.md bash benches/print.sh
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
post=${FOLIO_BENCH_POST:-${TMPDIR:-/tmp}/folio-bench-huge/huge/huge-post.md}
if [[ ! -f $post ]]; then
    ../shared/tools/gen-corpus -n 0 --huge "$(dirname "$(dirname "$post")")" >/dev/null
fi
cargo build --release --quiet --bin folio --example pulldown_parse --example syntect_only

folio=target/release/folio
commands=(
    "target/release/examples/pulldown_parse $post"
    "$folio print --width 100 --color never $post"
    "$folio print --width 100 --color always $post"
)
if command -v mdcat >/dev/null; then
    commands+=("mdcat --ansi --columns 100 $post")
fi
# No user config: the figures are folio's defaults.
config=$(mktemp -d)
FOLIO_CONFIG_DIR=$config hyperfine --warmup 2 --runs "${RUNS:-10}" -N "${commands[@]}"

# Coloured print / syntect alone, taken in turns so both see the same machine.
json=$(mktemp)
colour=()
syntect=()
for _ in 1 2 3 4 5; do
    FOLIO_CONFIG_DIR=$config hyperfine --runs 1 -N --export-json "$json" \
        "$folio print --width 100 --color always $post" >/dev/null 2>&1
    colour+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"]*1000)' "$json")")
    syntect+=("$(target/release/examples/syntect_only "$post" | sed -E 's/.* threads ([0-9]+) ms.*/\1/')")
done
python3 - "${colour[*]}" "${syntect[*]}" <<'PY'
import statistics, sys
colour = [float(x) for x in sys.argv[1].split()]
syntect = [float(x) for x in sys.argv[2].split()]
c, s = statistics.median(colour), statistics.median(syntect)
print(f"coloured print {c:.0f} ms / syntect alone on all cores {s:.0f} ms = {c / s:.2f} (target <= 1.2)")
PY
