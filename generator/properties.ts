// Java properties files (server.properties, zoo.cfg), read and written as java.util.Properties reads them:
// the one reader the model uses for any ConfigMap's settings, and the escapes the generator writes with.
import { getProperties } from "properties-file";

/** The settings of a properties file in file order (a repeated key keeps its first place and its last value):
 * comments, `=`, `:` or whitespace separators, continuation lines and escapes as Java reads them. */
export function readProperties(text: string): [string, string][] {
  let read: Record<string, string>;
  try {
    read = getProperties(text);
  } catch {
    // A malformed \uXXXX stops Java's reader too; here the rest of the file is still worth reading.
    read = getProperties(text.replace(/\\u(?![0-9A-Fa-f]{4})/g, "u"));
  }
  return Object.entries(read);
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** A key on one line that reads back as itself: backslashes, separators, spaces, a leading comment mark and
 * control characters (tabs and form feeds among them) escaped. */
export function propertyKey(key: string): string {
  return key
    .replace(/\\/g, "\\\\")
    .replace(CONTROL, unicodeEscape)
    .replace(/[=: ]/g, (c) => `\\${c}`)
    .replace(/^[#!]/, (c) => `\\${c}`);
}

/** A value on one line that reads back as itself: a backslash (which would escape the next character, or at the
 * end of the line join the next line to this value) doubled, a leading space escaped, control characters (tabs
 * among them) as \uXXXX. */
export function propertyValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(CONTROL, unicodeEscape).replace(/^ /, "\\ ");
}
