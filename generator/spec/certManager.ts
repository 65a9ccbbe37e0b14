// kafka.tls.certManager: the TLS Secret issued by cert-manager instead of made by hand. Resolves the input
// with its defaults and refuses what cert-manager or the brokers could not use.
import { Problem } from "../problems";
import { SourceDocument } from "./documents";
import { TLS_KEYS } from "./defaults";
import { CertManagerSpec, TlsInput } from "./types";

export const CERT_MANAGER_DEFAULTS = {
  issuerKind: "Issuer" as const,
  issuerGroup: "cert-manager.io",
  passwordKey: "password",
  // Java 20 and later do not read cert-manager's older default (LegacyRC2); Modern2023 needs cert-manager 1.14.
  pkcs12Profile: "Modern2023" as const,
  /** cert-manager's own default lifetime, against which a renewBefore alone is checked. */
  duration: "2160h",
};

/** cert-manager refuses certificates that live less than an hour. */
const MIN_DURATION_SECONDS = 3600;

export function resolveCertManager(tls: TlsInput): CertManagerSpec | undefined {
  const input = tls.certManager;
  if (!input) return undefined;
  return {
    issuerRef: {
      name: input.issuerRef.name,
      kind: input.issuerRef.kind ?? CERT_MANAGER_DEFAULTS.issuerKind,
      group: input.issuerRef.group ?? CERT_MANAGER_DEFAULTS.issuerGroup,
    },
    passwordSecret: {
      name: input.passwordSecret.name,
      key: input.passwordSecret.key ?? CERT_MANAGER_DEFAULTS.passwordKey,
    },
    ...(input.duration !== undefined ? { duration: input.duration } : {}),
    ...(input.renewBefore !== undefined ? { renewBefore: input.renewBefore } : {}),
    pkcs12Profile: input.pkcs12Profile ?? CERT_MANAGER_DEFAULTS.pkcs12Profile,
    dnsNames: input.dnsNames ?? [],
    ipAddresses: input.ipAddresses ?? [],
  };
}

export function certManagerProblems(document: SourceDocument, tls: TlsInput): Problem[] {
  const input = tls.certManager;
  if (!input) return [];
  const field = (...path: string[]) => ["kafka", "tls", ...path];
  const problems: Problem[] = [];
  if (tls.keys && Object.keys(tls.keys).length) {
    problems.push(
      document.problem(
        field("keys"),
        `cannot be set with certManager: cert-manager writes ${TLS_KEYS.keystore} and ${TLS_KEYS.truststore}, and the password comes from certManager.passwordSecret`,
        { atKey: true },
      ),
    );
  }
  if (input.passwordSecret.name === tls.secret) {
    problems.push(
      document.problem(
        field("certManager", "passwordSecret", "name"),
        `expected a Secret other than tls.secret ("${tls.secret}"), which cert-manager writes: the password must exist before the keystore it encrypts`,
      ),
    );
  }
  const duration = durationSeconds(input.duration ?? CERT_MANAGER_DEFAULTS.duration);
  if (input.duration !== undefined && duration < MIN_DURATION_SECONDS) {
    problems.push(
      document.problem(
        field("certManager", "duration"),
        `expected at least 1h (cert-manager's minimum), got ${input.duration}`,
      ),
    );
  }
  if (input.renewBefore !== undefined && durationSeconds(input.renewBefore) >= duration) {
    const of =
      input.duration === undefined
        ? `cert-manager's default duration (${CERT_MANAGER_DEFAULTS.duration})`
        : `duration (${input.duration})`;
    problems.push(
      document.problem(
        field("certManager", "renewBefore"),
        `expected less than ${of}, got ${input.renewBefore}: the certificate would be renewed without end`,
      ),
    );
  }
  return problems;
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };

/** Seconds in a Go duration string that matched the schema's pattern (e.g. 2160h, 1h30m). */
export function durationSeconds(duration: string): number {
  return [...duration.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)/g)].reduce(
    (sum, [, amount, unit]) => sum + Number(amount) * UNIT_SECONDS[unit],
    0,
  );
}
