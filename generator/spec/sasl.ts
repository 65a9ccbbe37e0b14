// kafka.sasl of an environment document: its defaults, and the entries it cannot share with hand-set configuration.
import { Problem } from "../problems";
import { SourceDocument } from "./documents";
import { SASL_KEYS, SASL_MECHANISM } from "./defaults";
import { KafkaInput, KafkaSpec } from "./types";

/** The resolved kafka.sasl (absent when the environment does not ask for SASL). */
export function resolveSasl(input: KafkaInput): Pick<KafkaSpec, "sasl"> {
  if (!input.sasl) return {};
  return {
    sasl: {
      mechanism: input.sasl.mechanism ?? SASL_MECHANISM,
      listeners: input.sasl.listeners ?? ["internal", "external"],
      secret: input.sasl.secret,
      keys: { ...SASL_KEYS, ...input.sasl.keys },
    },
  };
}

/** Entries the start script writes from kafka.sasl: set by hand as well, the broker would get two answers. */
const OWNED =
  /^(sasl\.enabled\.mechanisms|sasl\.mechanism\.inter\.broker\.protocol|listener\.name\.[^.]+\.(sasl\.enabled\.mechanisms|scram-sha-(256|512)\.sasl\.jaas\.config))$/;

export function saslProblems(document: SourceDocument, kafka: KafkaSpec, input: KafkaInput): Problem[] {
  const sasl = kafka.sasl;
  if (!sasl) return [];
  const problems: Problem[] = [];
  if (sasl.keys.username === sasl.keys.password) {
    const field = input.sasl?.keys?.password !== undefined ? "password" : "username";
    problems.push(
      document.problem(
        ["kafka", "sasl", "keys", field],
        `expected the user name and the password under different keys of Secret ${sasl.secret}, got "${sasl.keys.username}" for both`,
      ),
    );
  }
  for (const section of ["config", "configUnchecked"] as const) {
    for (const key of Object.keys(input[section] ?? {})) {
      if (OWNED.test(key)) {
        problems.push(
          document.problem(
            ["kafka", section, key],
            "is set by kafka-overlays from kafka.sasl (mechanism, listeners, and the credential from its Secret); remove it",
            { atKey: true },
          ),
        );
      }
    }
  }
  return problems;
}
