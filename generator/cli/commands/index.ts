// Every command, in the order --help lists them: adding one is a module here declaring its options with
// their help, and one line below.
import { Command } from "../command";
import { command as init } from "./init";
import { command as generate } from "./generate";
import { command as validate } from "./validate";
import { command as plan } from "./plan";
import { command as schema } from "./schema";

export const COMMANDS: Command[] = [init, generate, validate, plan, schema];
