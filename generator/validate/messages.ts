// A report's wording from its rule's messages: the text and hint of its message id, placeholders filled from
// its data. A wrong id or a placeholder without data is the rule's mistake, thrown rather than printed.
import { printable } from "../problems";
import { Message, Report, Rule } from "./rule";

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

export interface Wording {
  message: string;
  hint?: string;
  messageId: string;
}

export function wording(rule: Pick<Rule, "id" | "messages">, report: Report): Wording {
  const declared = rule.messages?.[report.messageId];
  if (declared === undefined) throw new Error(`rule ${rule.id} reports undeclared message ${report.messageId}`);
  const { text, hint } = parts(declared);
  const data = report.data ?? {};
  const unused = Object.keys(data).filter((name) => !placeholders(declared).includes(name));
  if (unused.length) throw new Error(`rule ${rule.id} gives message ${report.messageId} unused data ${unused}`);
  const fill = (template: string) =>
    template.replace(PLACEHOLDER, (_whole, name: string) => {
      if (!(name in data)) throw new Error(`rule ${rule.id} gives message ${report.messageId} no ${name}`);
      return String(data[name]);
    });
  return { message: fill(text), hint: hint === undefined ? undefined : fill(hint), messageId: report.messageId };
}

/** A finding's message, hint and message id, printable whatever the data holds. */
export function findingWording(rule: Pick<Rule, "id" | "messages">, report: Report): Wording {
  const { message, hint, messageId } = wording(rule, report);
  return {
    message: printable(message),
    hint: hint === undefined ? undefined : printable(hint),
    messageId,
  };
}

export function parts(message: Message): { text: string; hint?: string } {
  return typeof message === "string" ? { text: message } : message;
}

/** The placeholder names of a message's text and hint, each once, in order. */
export function placeholders(message: Message): string[] {
  const { text, hint } = parts(message);
  return [...new Set([...`${text}\n${hint ?? ""}`.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}
