// Just enough shell to read start scripts as people write them: assignments, `echo "k=v" >> file`,
// heredocs, ensemble loops, and the expansions that derive ids and ports from the Pod's hostname; and
// command lines: Kubernetes' `$(VAR)`, `sh -c` strings, `--override key=value` and long options.

export interface ScriptProperty {
  key: string;
  value: string;
}

const ASSIGNMENT = /^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const ECHO_PROPERTY = /\becho\s+(?:-e\s+)?(["']?)([A-Za-z][A-Za-z0-9_.-]*)=(.*?)\1\s*(?:>>|\|\s*tee\s+-a)/;
const HEREDOC_START = /\bcat\s+(?:>>\s*\S+\s+)?<<-?\s*['"]?(\w+)['"]?(?:\s*>>\s*\S+)?/;

/** Scripts of a ConfigMap: data entries that look like shell (a shebang, or a .sh name). */
export function isScript(name: string, text: string): boolean {
  return /\.sh$/.test(name) || text.startsWith("#!") || /^(run|start|init|entrypoint)$/.test(name);
}

export function assignments(script: string): [string, string][] {
  const found: [string, string][] = [];
  for (const line of logicalLines(script)) {
    const match = ASSIGNMENT.exec(line);
    if (match && !line.trim().startsWith("#")) found.push([match[1], unquote(match[2].trim())]);
  }
  return found;
}

/** `key=value` lines a script appends to a properties file. */
export function appendedProperties(script: string): ScriptProperty[] {
  const found: ScriptProperty[] = [];
  let heredoc: string | undefined;
  for (const line of logicalLines(script)) {
    if (heredoc) {
      if (line.trim() === heredoc) heredoc = undefined;
      else {
        const match = /^\s*([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(line);
        if (match) found.push({ key: match[1], value: match[2].trim() });
      }
      continue;
    }
    if (line.trim().startsWith("#")) continue;
    const start = HEREDOC_START.exec(line);
    if (start) {
      heredoc = start[1];
      continue;
    }
    const echo = ECHO_PROPERTY.exec(line);
    if (echo) found.push({ key: echo[2], value: echo[3] });
  }
  return found;
}

/** The variable bounding a loop that writes server.N lines, e.g. `for ((i=1; i<=$REPLICAS; i++))`. */
export function ensembleLoopVariable(script: string): string | undefined {
  if (!/server\.\$/.test(script)) return undefined;
  const forLoop = /for\s*\(\(\s*\w+\s*=\s*1\s*;\s*\w+\s*<=\s*\$?\{?([A-Za-z_]\w*)\}?\s*;/.exec(script);
  if (forLoop) return forLoop[1];
  const whileLoop = /while\s*\[\s*"?\$\{?\w+\}?"?\s+-le\s+"?\$\{?([A-Za-z_]\w*)\}?"?\s*\]/.exec(script);
  return whileLoop?.[1];
}

export interface Expansion {
  /** The Pod's hostname: <statefulset>-<ordinal>. */
  hostname: string;
  /** `hostname -d`: <service>.<namespace>.svc.<domain>. */
  domain: string;
  variables: Record<string, string>;
}

/** Expands a value the way bash would for one Pod; undefined when it uses something unknown. */
export function expand(raw: string, context: Expansion): string | undefined {
  let text = raw;
  const lookup = (name: string) => context.variables[name];
  for (let pass = 0; pass < 10; pass++) {
    const before = text;
    text = text
      .replace(/\$\(\s*hostname\s+-d\s*\)|`hostname -d`/g, context.domain)
      .replace(/\$\(\s*hostname(?:\s+-s)?\s*\)|`hostname(?:\s+-s)?`/g, context.hostname)
      .replace(/\$\{BASH_REMATCH\[1\]\}/g, context.hostname.replace(/-\d+$/, ""))
      .replace(/\$\{BASH_REMATCH\[2\]\}/g, context.hostname.replace(/^.*-/, ""))
      .replace(/\$\{([A-Za-z_]\w*)##\*-\}/g, (whole, name) => (lookup(name) !== undefined ? lookup(name).replace(/^.*-/, "") : whole))
      .replace(/\$\{([A-Za-z_]\w*)%-\*\}/g, (whole, name) => (lookup(name) !== undefined ? lookup(name).replace(/-[^-]*$/, "") : whole))
      .replace(/\$\{([A-Za-z_]\w*):-([^}]*)\}/g, (_whole, name, fallback) => lookup(name) ?? fallback)
      .replace(/\$\{([A-Za-z_]\w*)\}/g, (whole, name) => lookup(name) ?? whole)
      .replace(/\$([A-Za-z_]\w*)/g, (whole, name) => lookup(name) ?? whole)
      .replace(/\$\(\(([^()]*)\)\)/g, (whole, expression) => arithmetic(expression, lookup) ?? whole);
    if (text === before) break;
  }
  return /\$|`/.test(text) ? undefined : text;
}

function arithmetic(expression: string, lookup: (name: string) => string | undefined): string | undefined {
  const substituted = expression.replace(/\$?\{?([A-Za-z_]\w*)\}?/g, (_whole, name) => {
    const value = lookup(name);
    return value !== undefined && /^-?\d+$/.test(value) ? value : "NaN";
  });
  const value = integerExpression(substituted);
  return value === undefined ? undefined : String(value);
}

/**
 * Bash's integer arithmetic for the operators start scripts use (+ - * / % and parentheses, unary minus),
 * with the shell's precedence; undefined for anything else, division by zero, or a result past 2^53.
 */
export function integerExpression(text: string): number | undefined {
  const tokens = text.match(/\d+|[-+*/%()]|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const fail = (): never => {
    throw new RangeError("not an integer expression");
  };
  const factor = (): number => {
    const token = tokens[position++];
    if (token === "-") return -factor();
    if (token === "+") return factor();
    if (token === "(") {
      const inner = sum();
      if (tokens[position++] !== ")") fail();
      return inner;
    }
    return token !== undefined && /^\d+$/.test(token) ? Number(token) : fail();
  };
  const product = (): number => {
    let value = factor();
    while (peek() === "*" || peek() === "/" || peek() === "%") {
      const operator = tokens[position++];
      const right = factor();
      if (operator !== "*" && right === 0) fail();
      value = operator === "*" ? value * right : operator === "/" ? Math.trunc(value / right) : value % right;
    }
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === "+" || peek() === "-") value = tokens[position++] === "+" ? value + product() : value - product();
    return value;
  };
  try {
    const value = sum();
    return position === tokens.length && Number.isSafeInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Lines as a shell or a properties file reads them: an odd run of backslashes at a line's end continues it on the next. */
export function logicalLines(text: string): string[] {
  return text.replace(/(?<!\\)((?:\\\\)*)\\\r?\n[ \t]*/g, "$1 ").split("\n");
}

function unquote(value: string): string {
  const match = /^(["'])(.*)\1$/.exec(value);
  return match ? match[2] : value;
}

/** Kubernetes' own `$(VAR)` expansion of command and args: known names are replaced, `$$` escapes. */
export function kubernetesExpand(text: string, env: Record<string, string>): string {
  return text.replace(/\$(\$|\(([A-Za-z_][A-Za-z0-9_]*)\))/g, (whole, _inner, name) => (name === undefined ? whole : env[name] ?? whole));
}

/** Names used as `$(NAME)` in a command or args entry, escaped `$$(NAME)` left out. */
export function kubernetesReferences(text: string): string[] {
  return [...text.matchAll(/(\$*)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].filter((m) => m[1].length % 2 === 0).map((m) => m[2]);
}

/** The words of a command line, with the script strings of `sh -c` split into words as well. */
export function commandWords(argv: string[]): string[] {
  return argv.flatMap((entry) =>
    /\s/.test(entry)
      ? entry
          .replace(/\\\n/g, " ")
          .split(/[\s;&|]+/)
          .filter(Boolean)
          .map(unquote)
      : [entry],
  );
}

/** `--override key=value` arguments (Kafka's launcher applies them over the properties file). */
export function overrideArguments(words: string[]): ScriptProperty[] {
  const found: ScriptProperty[] = [];
  words.forEach((word, index) => {
    const pair = word === "--override" ? words[index + 1] : /^--override=(.*)$/.exec(word)?.[1];
    const match = pair !== undefined ? /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(unquote(pair)) : null;
    if (match) found.push({ key: match[1], value: match[2] });
  });
  return found;
}

/** The value of a long option, `--name=value` or `--name value`. */
export function longOption(words: string[], name: string): string | undefined {
  for (let index = 0; index < words.length; index++) {
    if (words[index] === `--${name}`) return words[index + 1];
    if (words[index].startsWith(`--${name}=`)) return words[index].slice(name.length + 3);
  }
  return undefined;
}

/** The expression a script writes into ZooKeeper's myid file (`echo X > .../myid`, `echo X | tee .../myid`). */
export function myidExpression(script: string): string | undefined {
  for (const line of logicalLines(script)) {
    const match = /\becho\s+(?:-n\s+)?(.+?)\s*(?:>|\|\s*tee(?:\s+-a)?)\s*\S*\/myid\b/.exec(line);
    if (match && !line.trim().startsWith("#")) return unquote(match[1]);
  }
  return undefined;
}
