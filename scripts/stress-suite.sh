#!/usr/bin/env bash
# `npm run test:stress [-- RUNS [BURNERS]]`: the whole `npm test` suite RUNS times in a row (default
# 3) while BURNERS background processes (default 2, one per core of our machines) spin the CPU at
# normal priority, the way a shared, busy CI machine treats the tests. Any failure in any run fails
# the script. Writes test-results/stress/summary.md (and each run's vitest JSON report beside it).
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
burners="${2:-2}"
out="test-results/stress"
mkdir -p "$out"

npm run build >/dev/null

pids=()
stop_burners() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap stop_burners EXIT INT TERM
for _ in $(seq 1 "$burners"); do
  # a busy loop that also allocates a little, like another test process would
  node -e 'let x = 0; for (;;) { x = (x + Math.sqrt(x + 1)) % 1e9; if ((x | 0) % 1000 === 0) Buffer.alloc(1024); }' &
  pids+=("$!")
done

summary="$out/summary.md"
{
  echo "# npm test under load: $runs runs, $burners CPU burners"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), node $(node --version), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  echo
  echo "| run | files | tests passed | failed | skipped | duration | load (1/5/15 min) at end |"
  echo "|---|---|---|---|---|---|---|"
} >"$summary"

failed_runs=0
for i in $(seq 1 "$runs"); do
  report="$out/run-$i.json"
  started=$(date +%s)
  status=0
  npx vitest run --reporter=dot --reporter=json --outputFile="$report" || status=$?
  took=$(($(date +%s) - started))
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  line=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const files = r.testResults.length;
    console.log(`| ${process.argv[2]} | ${files} | ${r.numPassedTests} | ${r.numFailedTests} | ${r.numPendingTests} | ${Math.round(process.argv[3] / 60)} min | ${process.argv[4]} |`);
    for (const f of r.testResults) for (const t of f.assertionResults) if (t.status === "failed") console.error(`FAILED (run ${process.argv[2]}): ${f.name} › ${t.fullName}`);
  ' "$report" "$i" "$took" "$load" 2>>"$out/failures.txt" || echo "| $i | ? | ? | no report | ? | ${took} s | $load |")
  echo "$line" >>"$summary"
  [ "$status" = 0 ] || failed_runs=$((failed_runs + 1))
done

{
  echo
  if [ "$failed_runs" = 0 ]; then echo "All $runs runs passed."; else echo "$failed_runs of $runs runs had failures:"; cat "$out/failures.txt" 2>/dev/null || true; fi
} >>"$summary"
cat "$summary"
[ "$failed_runs" = 0 ]
