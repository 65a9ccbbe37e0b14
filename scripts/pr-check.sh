#!/usr/bin/env bash
# The pull-request check, for any CI: the committed tree must be what environments/ produce, and the rendered
# manifests must validate. Usage: scripts/pr-check.sh [FORMAT] [SUMMARY_FILE]
#   FORMAT        what validate prints on stdout: text (default), github, json, sarif, junit, markdown
#   SUMMARY_FILE  also append the Markdown report there (e.g. "$GITHUB_STEP_SUMMARY")
# Runs on the repository in KAFKA_OVERLAYS_ROOT (default: the current directory). With KAFKA_OVERLAYS_BASE set
# to the target branch (e.g. origin/main), the change is judged against it and the plan is added to SUMMARY_FILE.
# Exit 1 on drift or error findings, 2 on unusable input.
set -uo pipefail
format="${1:-text}"
summary="${2:-}"
root="${KAFKA_OVERLAYS_ROOT:-.}"
base="${KAFKA_OVERLAYS_BASE:-}"
cli=(npx --no-install kafka-overlays)

echo "== kafka-overlays generate --check" >&2
"${cli[@]}" generate --check --root "$root" >&2
drift=$?

echo "== kafka-overlays validate --format $format" >&2
"${cli[@]}" validate --root "$root" --format "$format" ${summary:+--summary "$summary"} ${base:+--base "$base"}
findings=$?

if [[ -n "$base" && -n "$summary" ]]; then
  echo "== kafka-overlays plan --base $base" >&2
  "${cli[@]}" plan --root "$root" --base "$base" --format markdown >>"$summary" || findings=2
fi

if ((drift == 2 || findings == 2)); then exit 2; fi
if ((drift != 0 || findings != 0)); then exit 1; fi
exit 0
