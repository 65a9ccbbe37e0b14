#!/usr/bin/env bash
# The pull-request check, for any CI: the committed tree must be what environments/ produce, and the rendered
# manifests must validate. scripts/pr-check.sh --help prints the usage below.
set -uo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/pr-check.sh [--fail-on error|warning] [FORMAT] [SUMMARY_FILE]

The pull-request check, for any CI: the committed tree must be what environments/ produce (generate --check),
and the rendered manifests must validate.
  FORMAT          what validate prints on stdout: text (default), short, github, json, sarif, junit, markdown;
                  unusable input (spec errors, a failing kustomize build) is reported in FORMAT too
  SUMMARY_FILE    also append a Markdown report there (e.g. "$GITHUB_STEP_SUMMARY"): the verdict, any drift,
                  then the findings
  --fail-on S     error (default) or warning: the lowest finding severity that fails the check
  -h, --help      print this help
Environment: KAFKA_OVERLAYS_ROOT, the repository (default: the current directory); KAFKA_OVERLAYS_BASE, the
target branch (e.g. origin/main) to judge the change against, adding the plan to SUMMARY_FILE;
KAFKA_OVERLAYS_FAIL_ON, the default of --fail-on; KAFKA_OVERLAYS_CACHE_DIR, where validate keeps parsed builds
and findings by content (default ~/.cache/kafka-overlays, outside the repository: CI restores and saves it);
KAFKA_OVERLAYS_CACHE_KEY, the key its entries are sealed with (from a CI secret: without it, a restored
cache is never read and the check runs cold, with the same verdict). Progress goes to stderr.
Exit codes: 0 passed, 1 drift or findings at or above --fail-on, 2 unusable input or usage.
USAGE
}

usage_error() {
  echo "pr-check.sh: $1" >&2
  exit 2
}

fail_on="${KAFKA_OVERLAYS_FAIL_ON:-error}"
arguments=()
while (($#)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --fail-on) (($# >= 2)) || usage_error "--fail-on needs a value"; fail_on="$2"; shift 2 ;;
    --fail-on=*) fail_on="${1#--fail-on=}"; shift ;;
    --) shift; arguments+=("$@"); break ;;
    -?*) usage_error "unknown option $1; see scripts/pr-check.sh --help" ;;
    *) arguments+=("$1"); shift ;;
  esac
done
case "$fail_on" in error | warning) ;; *) usage_error "--fail-on must be error or warning, got \"$fail_on\"" ;; esac
((${#arguments[@]} <= 2)) || usage_error "unexpected argument ${arguments[2]}; see scripts/pr-check.sh --help"
format="${arguments[0]:-text}"
summary="${arguments[1]:-}"
root="${KAFKA_OVERLAYS_ROOT:-.}"
base="${KAFKA_OVERLAYS_BASE:-}"
cache="${KAFKA_OVERLAYS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kafka-overlays}"
cli=(node "$(dirname "${BASH_SOURCE[0]}")/../bin/kafka-overlays.js")
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Annotation paths are the repository's: prefix the root's place in the Git work tree.
prefix="$(git -C "$root" rev-parse --show-prefix 2>/dev/null || true)"

echo "== kafka-overlays generate --check" >&2
"${cli[@]}" generate --check --root "$root" >"$scratch/generate.out" 2>&1
drift=$?
# Spec errors (exit 2) are reported by validate below, in FORMAT; show only what validate cannot see.
if ((drift != 2)); then cat "$scratch/generate.out" >&2; fi
drifted=()
if ((drift == 1)); then
  mapfile -t drifted < <(sed -n 's/^  \(added\|changed\|removed\) \+//p' "$scratch/generate.out")
  if [[ "$format" == github ]]; then
    for file in "${drifted[@]}"; do
      echo "::error file=${prefix}${file},title=generated tree out of date::differs from what environments/ produce: run npx kafka-overlays generate and commit the result"
    done
  fi
fi

echo "== kafka-overlays validate --format $format --fail-on $fail_on" >&2
# The cache only saves work: every entry is checked against its seal and the content it stands for.
# With a base and a summary, the same run writes the plan (what plan --base prints) for the summary.
plan=()
if [[ -n "$base" && -n "$summary" ]]; then plan=(--plan "$scratch/plan.md"); fi
"${cli[@]}" validate --root "$root" --cache "$cache" --format "$format" --fail-on "$fail_on" ${summary:+--summary "$scratch/validate.md"} ${base:+--base "$base"} "${plan[@]}"
findings=$?
if ((drift == 2 && findings != 2)); then cat "$scratch/generate.out" >&2; fi

status=0
if ((drift != 0 || findings != 0)); then status=1; fi
if ((drift == 2 || findings == 2)); then status=2; fi

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  results=(passed failed unusable)
  { echo "result=${results[$status]}"; echo "drift=$( ((drift == 1)) && echo true || echo false)"; } >>"$GITHUB_OUTPUT"
fi

if [[ -n "$summary" ]]; then
  {
    echo "# kafka-overlays pull-request check"
    echo
    case "$status" in
      0) echo "✅ **Passed**: the generated tree is up to date and validation found no errors." ;;
      1)
        reasons=()
        if ((drift == 1)); then reasons+=("the generated tree is out of date (${#drifted[@]} file(s))"); fi
        if ((findings == 1)); then reasons+=("validation found $([[ "$fail_on" == warning ]] && echo "errors or warnings" || echo errors)"); fi
        echo "❌ **Failed**: $(IFS=';'; echo "${reasons[*]}" | sed 's/;/; /g')." ;;
      2) echo "❌ **Failed: unusable input** (exit 2): nothing could be checked until the problems below are fixed." ;;
    esac
    echo
    if ((drift == 1)); then
      echo "## Generated tree out of date"
      echo
      echo "These files differ from what \`environments/\` produce. Run \`npx kafka-overlays generate\` and commit the result."
      echo
      printf -- '- `%s`\n' "${drifted[@]}"
      echo
    elif ((drift == 2 && findings != 2)); then
      echo "## kafka-overlays generate --check"
      echo
      echo '```'
      cat "$scratch/generate.out"
      echo '```'
      echo
    fi
    if [[ -f "$scratch/validate.md" ]]; then cat "$scratch/validate.md"; fi
    # validate's section already draws each changed environment's grid: the full plan is there when wanted.
    if [[ -f "$scratch/plan.md" ]]; then
      echo "<details><summary>The plan: placement tables before and after, and the manual steps in order</summary>"
      echo
      cat "$scratch/plan.md"
      echo
      echo "</details>"
    fi
  } >>"$summary"
fi
exit "$status"
