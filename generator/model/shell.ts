// Just enough shell to read start scripts as people write them: assignments, `echo "k=v" >> file`,
// heredocs, ensemble loops, and the expansions that derive ids and ports from the Pod's hostname; and
// command lines: Kubernetes' `$(VAR)`, `sh -c` strings, `--override key=value` and long options.

export interface ScriptProperty {
  key: string;
  value: string;
  /** The integer loop that writes it, once per value of `variable` from `from` to `to` (raw shell words). */
  loop?: ScriptLoop;
}

export interface ScriptLoop {
  variable: string;
  from: string;
  to: string;
}

const ASSIGNMENT = /^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
/** A key may hold expansions (`server.$i`, `server.$((i + 1))`): a loop or the Pod's variables give it. */
const KEY = String.raw`[A-Za-z][A-Za-z0-9_.-]*(?:\$\(\([^()]*\)\)|\$\{?\w+\}?)*`;
const ECHO_PROPERTY = new RegExp(
  String.raw`\b(?:echo\s+(?:-e\s+)?|printf\s+)(["']?)(${KEY})=(.*?)(?:\\n)?\1\s*(?:>>|\|\s*tee\s+-a)`,
);
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

/** `key=value` lines a script appends to a properties file, with the integer loop each is written in. */
export function appendedProperties(script: string): ScriptProperty[] {
  const found: ScriptProperty[] = [];
  let heredoc: string | undefined;
  const loops: (ScriptLoop | undefined)[] = [];
  const push = (key: string, value: string) => {
    const loop = [...loops].reverse().find((l) => l !== undefined);
    found.push(loop ? { key, value, loop } : { key, value });
  };
  for (const line of logicalLines(separateLoops(script))) {
    if (heredoc) {
      if (line.trim() === heredoc) heredoc = undefined;
      else {
        const match = new RegExp(String.raw`^\s*(${KEY})=(.*)$`).exec(line);
        if (match) push(match[1], match[2].trim());
      }
      continue;
    }
    if (line.trim().startsWith("#")) continue;
    if (/^\s*(for|while|until)\b/.test(line)) {
      loops.push(loopHead(line));
      continue;
    }
    if (/^\s*done\b/.test(line)) {
      loops.pop();
      continue;
    }
    const start = HEREDOC_START.exec(line);
    if (start) {
      heredoc = start[1];
      continue;
    }
    const echo = ECHO_PROPERTY.exec(line);
    if (echo) push(echo[2], echo[3]);
  }
  return found;
}

/** `do` and `done` on lines of their own, so that a one-line loop reads like a written-out one. */
function separateLoops(script: string): string {
  return script.replace(/;\s*(do|done)\b/g, "\n$1").replace(/^(\s*do)\s+(?=\S)/gm, "$1\n");
}

/** The integer range of a loop's head: `for i in $(seq [A] B)`, `for ((i=A; i<=B; i++))`, `for i in 1 2 3`. */
function loopHead(line: string): ScriptLoop | undefined {
  const seq = /^\s*for\s+(\w+)\s+in\s+(?:\$\(|`)\s*seq\s+(\S+)(?:\s+(\S+))?\s*(?:\)|`)\s*$/.exec(line);
  if (seq)
    return seq[3] !== undefined
      ? { variable: seq[1], from: unquote(seq[2]), to: unquote(seq[3]) }
      : { variable: seq[1], from: "1", to: unquote(seq[2]) };
  const arithmetic = /^\s*for\s*\(\(\s*(\w+)\s*=\s*([^;]+?)\s*;\s*\w+\s*(<=|<)\s*([^;]+?)\s*;[^)]*\)\)\s*$/.exec(line);
  // Names in (( )) are variables without a `$`: the bounds are read as arithmetic.
  if (arithmetic)
    return {
      variable: arithmetic[1],
      from: `$((${arithmetic[2]}))`,
      to: arithmetic[3] === "<" ? `$((${arithmetic[4]} - 1))` : `$((${arithmetic[4]}))`,
    };
  const listed = /^\s*for\s+(\w+)\s+in\s+((?:\d+\s*)+)$/.exec(line);
  if (listed) {
    const values = listed[2].trim().split(/\s+/).map(Number);
    if (values.every((v, i) => v === values[0] + i))
      return { variable: listed[1], from: String(values[0]), to: String(values[values.length - 1]) };
  }
  return undefined;
}

/** A loop's text with its variable replaced by one value: `$i`, `${i}`, and a bare `i` in `$((...))`. */
export function withLoopValue(text: string, variable: string, value: number): string {
  const name = variable.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text
    .replace(
      /\$\(\(([^()]*)\)\)/g,
      (_whole, expression: string) =>
        `$((${expression.replace(new RegExp(`\\$?\\{?\\b${name}\\b\\}?`, "g"), String(value))}))`,
    )
    .replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, "g"), String(value));
}

/** A sed edit of a file: `s/pattern/replacement/flags` or `/pattern/d`, with its pattern as a JavaScript one. */
export interface SedEdit {
  file: string;
  pattern: RegExp;
  /** The replacement in JavaScript's form; undefined for a deletion of the matching lines. */
  replacement?: string;
}

/** The edits of `sed -i` commands of a script; an edit that cannot be read is returned with no pattern. */
export function sedEdits(script: string): { edits: SedEdit[]; unread: string[] } {
  const edits: SedEdit[] = [];
  const unread: string[] = [];
  for (const line of logicalLines(script)) {
    if (line.trim().startsWith("#")) continue;
    for (const [command, ...parts] of shellCommands(line)) {
      if (command !== "sed") continue;
      if (!parts.some((p) => /^-[a-zA-Z]*i/.test(p) || p.startsWith("--in-place"))) continue;
      const extended = parts.some((p) => /^-[a-zA-Z]*[Er]/.test(p));
      const expressions: string[] = [];
      let file: string | undefined;
      for (let index = 0; index < parts.length; index++) {
        const part = parts[index];
        if (part === "-e" || part === "--expression") expressions.push(parts[++index] ?? "");
        else if (part.startsWith("-")) continue;
        else if (expressions.length === 0 && !parts.slice(0, index).includes("-e")) expressions.push(part);
        else file = part;
      }
      if (file === undefined) continue;
      for (const expression of expressions.flatMap((e) => e.split(/;\s*(?=[s/])/))) {
        const edit = sedExpression(expression, extended);
        if (edit) edits.push({ file, ...edit });
        else unread.push(`sed '${expression}' ${file}`);
      }
    }
  }
  return { edits, unread };
}

/**
 * Patterns are pull-request content run by a backtracking engine: one that could backtrack without bound (a
 * quantified group, a back-reference, many quantifiers) or a long one is not read.
 */
function boundedPattern(pattern: string): boolean {
  return pattern.length <= 200 && !/\)[*+?{]|\\[1-9]/.test(pattern) && (pattern.match(/[*+{]/g) ?? []).length <= 3;
}

function sedExpression(expression: string, extended: boolean): Omit<SedEdit, "file"> | undefined {
  const deletion = /^\s*\/((?:[^/\\]|\\.)*)\/\s*d\s*$/.exec(expression);
  const substitution = /^\s*s(.)((?:(?!\1)[^\\]|\\.)*)\1((?:(?!\1)[^\\]|\\.)*)\1([gI0-9]*)\s*$/.exec(expression);
  try {
    const pattern = deletion?.[1] ?? substitution?.[2];
    if (pattern === undefined) return undefined;
    const source = jsPattern(pattern, extended);
    if (!boundedPattern(source)) return undefined;
    if (deletion) return { pattern: new RegExp(source) };
    if (substitution) {
      const flags = substitution[4].includes("g") ? "g" : "";
      return {
        pattern: new RegExp(source, flags + (substitution[4].includes("I") ? "i" : "")),
        replacement: jsReplacement(substitution[3]),
      };
    }
  } catch {
    return undefined; // a pattern JavaScript reads otherwise
  }
  return undefined;
}

/** A sed pattern (basic or extended) in JavaScript's syntax. */
function jsPattern(pattern: string, extended: boolean): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      const next = pattern[++i];
      // In a basic pattern \( \) \{ \} \+ \? \| are the operators; their plain forms are literal.
      out += !extended && "(){}+?|".includes(next) ? next : `\\${next}`;
    } else out += !extended && "(){}+?|".includes(c) ? `\\${c}` : c;
  }
  return out;
}

/** A sed replacement in JavaScript's: `&` the match, `\N` a group; `$` is the shell's (already expanded). */
function jsReplacement(replacement: string): string {
  return replacement.replace(/\\(.)|&|\$/g, (whole, escaped: string | undefined) =>
    escaped !== undefined
      ? /\d/.test(escaped)
        ? `$${escaped}`
        : escaped === "n"
          ? "\n"
          : escaped
      : whole === "&"
        ? "$&"
        : "$$",
  );
}

/** Whether a script changes the ZooKeeper membership at run time (`reconfig -add` / `-remove` / `-members`). */
export function reconfigures(script: string): boolean {
  return logicalLines(script).some(
    (line) => !line.trim().startsWith("#") && /\breconfig\s+(-add|-remove|-members)\b/.test(line),
  );
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
      .replace(/\$\{([A-Za-z_]\w*)##\*-\}/g, (whole, name) =>
        lookup(name) !== undefined ? lookup(name).replace(/^.*-/, "") : whole,
      )
      .replace(/\$\{([A-Za-z_]\w*)%-\*\}/g, (whole, name) =>
        lookup(name) !== undefined ? lookup(name).replace(/-[^-]*$/, "") : whole,
      )
      .replace(/\$\{([A-Za-z_]\w*):-([^}]*)\}/g, (_whole, name, fallback) => lookup(name) ?? fallback)
      .replace(/\$\{([A-Za-z_]\w*)\}/g, (whole, name) => lookup(name) ?? whole)
      .replace(/\$([A-Za-z_]\w*)/g, (whole, name) => lookup(name) ?? whole)
      .replace(/\$\(\(([^()]*)\)\)/g, (whole, expression) => arithmetic(expression, lookup) ?? whole);
    if (text === before) break;
  }
  // A `{{name}}` placeholder is filled in by something at start: not a value.
  return /\$|`|\{\{[^}]*\}\}/.test(text) ? undefined : text;
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
  return text.replace(/\$(\$|\(([A-Za-z_][A-Za-z0-9_]*)\))/g, (whole, _inner, name) =>
    name === undefined ? whole : (env[name] ?? whole),
  );
}

/** Names used as `$(NAME)` in a command or args entry, escaped `$$(NAME)` left out. */
export function kubernetesReferences(text: string): string[] {
  return [...text.matchAll(/(\$*)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)]
    .filter((m) => m[1].length % 2 === 0)
    .map((m) => m[2]);
}

/** The words of a command line, with the script strings of `sh -c` split into words as well. */
export function commandWords(argv: string[]): string[] {
  return argv.flatMap((entry) => (/\s/.test(entry) ? shellCommands(entry).flat() : [entry]));
}

/** What ends a command outside quotes, longest first. */
const SEPARATORS = ["&&", "||", ";", "|", "&", "\n"];

/**
 * The commands of a shell text with their words as the shell groups them: quotes removed (single quotes
 * literal; in double quotes a backslash escapes only \" \\ \$ and \`), an unquoted backslash escaping the next
 * character (and joining lines), and `$(…)`, `$((…))`, `${…}` and backquotes kept whole and unexpanded, whatever
 * they hold. Commands end at `;`, `&&`, `||`, `|`, `&` and newlines outside quotes; `>&` and `&>` redirect.
 */
export function shellCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const add = (part: string) => (word = (word ?? "") + part);
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      if (text[i + 1] !== "\n") add(text[i + 1] ?? c);
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      add(text.slice(i + 1, close < 0 ? text.length : close));
      i = close < 0 ? text.length : close + 1;
    } else if (c === '"') {
      add("");
      for (i++; i < text.length && text[i] !== '"';) {
        if (text[i] === "\\" && '"\\$`\n'.includes(text[i + 1] ?? "x")) {
          if (text[i + 1] !== "\n") add(text[i + 1]);
          i += 2;
        } else if (startsExpansion(text, i)) {
          const end = expansionEnd(text, i);
          add(text.slice(i, end));
          i = end;
        } else add(text[i++]);
      }
      i++;
    } else if (startsExpansion(text, i)) {
      const end = expansionEnd(text, i);
      add(text.slice(i, end));
      i = end;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
      i++;
    } else {
      const separator = SEPARATORS.find((s) => text.startsWith(s, i));
      const redirect = c === "&" && (/[<>]$/.test(word ?? "") || text[i + 1] === ">");
      if (separator && !redirect) {
        endCommand();
        i += separator.length;
      } else add(text[i++]);
    }
  }
  endCommand();
  return commands;
}

function startsExpansion(text: string, i: number): boolean {
  return text[i] === "`" || (text[i] === "$" && (text[i + 1] === "(" || text[i + 1] === "{"));
}

/** The index just past an expansion starting at i (`$(`, `${` or a backquote): nesting and quotes inside count. */
function expansionEnd(text: string, i: number): number {
  if (text[i] === "`") {
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === "\\") j++;
      else if (text[j] === "`") return j + 1;
    }
    return text.length;
  }
  const [open, close] = text[i + 1] === "(" ? ["(", ")"] : ["{", "}"];
  let depth = 0;
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === "'" && open === "(") j = Math.max(j, text.indexOf("'", j + 1));
    else if (c === '"') j = quoteEnd(text, j);
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
  }
  return text.length;
}

/** The index of the double quote closing the one at i (or the text's end). */
function quoteEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j;
  }
  return text.length;
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
