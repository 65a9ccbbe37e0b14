// Values the start scripts read from mounted Secrets (passwords, user names) land inside quoted JAAS strings
// and on properties lines: one shell function reads them all, and refuses anything that could leave either.

/** `secret_line FILE FIELD` prints FILE's value (a trailing newline dropped); FIELD is the spec field naming the Secret. */
export const SECRET_LINE = `# One line of printable ASCII without '"' or '\\': a value from a Secret cannot end its JAAS string or add a line.
secret_line() {
  if [ ! -r "$1" ]; then
    echo "start.sh: cannot read $1 (a key of the Secret $2 names)" >&2
    return 1
  fi
  if [ "$(LC_ALL=C grep -c '' "$1")" != 1 ] || LC_ALL=C grep -qav '^[ -~]*$' "$1" || LC_ALL=C grep -qa '["\\\\]' "$1" || [ -z "$(head -c 1 "$1" | tr -d '\\n')" ]; then
    echo "start.sh: $1 must hold one line of printable ASCII characters, without '\\"' or '\\\\' (it is quoted in a JAAS string or written on a properties line)" >&2
    return 1
  fi
  printf '%s' "$(cat "$1")"
}`;
