// A cert-manager Certificate whose Secret a Kafka StatefulSet mounts must hold what the Pod reads: the PKCS12
// (or JKS) stores, which cert-manager writes only when asked, encrypted with the password the Pod reads, for
// names covering every broker behind the headless Service. Otherwise the brokers fail to start, or their peers
// and clients refuse the certificate, only once cert-manager has issued it.
import { K8sObject, Manifest, ManifestSet } from "../../manifests/types";
import { Report, Rule } from "../rule";
import { Workload, literalEnv, namespaceOf, workloadsOf } from "../../model";

/** The stores cert-manager can write into a Certificate's Secret, by file extension, and their fixed names. */
const STORES: Record<string, { format: "pkcs12" | "jks"; names: string[] }> = {
  p12: { format: "pkcs12", names: ["keystore.p12", "truststore.p12"] },
  jks: { format: "jks", names: ["keystore.jks", "truststore.jks"] },
};
const PASSWORD = /pass/i;
const extension = (key: string) => key.split(".").pop() ?? "";
/** The store a Secret key holds, by its extension (own keys only: a key may end in ".constructor"). */
const storeOf = (key: string) => (Object.hasOwn(STORES, extension(key)) ? STORES[extension(key)] : undefined);

interface SecretFile {
  secret: string;
  key: string;
}

/** A Secret file the container reads, and what named it (an env var, an argument or a configuration value). */
interface Read extends SecretFile {
  via: string;
}

const isCertificate = (m: Manifest) =>
  m.object.apiVersion?.startsWith("cert-manager.io/") === true && m.object.kind === "Certificate";
const list = (value: unknown): any[] =>
  Array.isArray(value) ? value.filter((item) => item && typeof item === "object") : [];

/** Every absolute path in a string. */
const paths = (text: string) => [...text.matchAll(/\/[A-Za-z0-9._/-]+/g)].map((m) => m[0]);

/** Files of Secrets the main container reads: paths under a Secret's mount named by env values, arguments or configuration. */
function secretReads(workload: Workload): Read[] {
  const pod = workload.statefulSet.spec?.template?.spec ?? {};
  const volumes = new Map(list(pod.volumes).map((v) => [v.name, v]));
  // The configuration key names a file best, then the env var, then the bare command line.
  const texts: [string, string][] = [
    ...[...workload.configFor(0)]
      .filter(([, value]) => value !== undefined)
      .map(([key, value]): [string, string] => [value!, key]),
    ...Object.entries(literalEnv(workload.container)).map(([name, value]): [string, string] => [value, `env ${name}`]),
    ...workload.words.map((word): [string, string] => [word, "the command"]),
  ];
  const reads: Read[] = [];
  for (const mount of list(workload.container?.volumeMounts)) {
    const volume = volumes.get(mount.name);
    if (typeof mount.mountPath !== "string" || !volume || mount.subPath) continue;
    const sources = volume.secret
      ? [{ name: volume.secret.secretName, items: volume.secret.items }]
      : list(volume.projected?.sources)
          .filter((s) => s.secret)
          .map((s) => ({ name: s.secret.name, items: s.secret.items }));
    for (const [text, via] of texts) {
      for (const path of paths(text)) {
        if (!path.startsWith(`${mount.mountPath.replace(/\/+$/, "")}/`)) continue;
        const file = path.slice(mount.mountPath.replace(/\/+$/, "").length + 1);
        for (const source of sources) {
          const items = list(source.items);
          const key = items.length ? items.find((item) => item.path === file)?.key : file;
          if (typeof source.name === "string" && typeof key === "string") reads.push({ secret: source.name, key, via });
        }
      }
    }
  }
  return reads;
}

/** Where the container takes a keystore password from: Secret keys in env vars, or Secret files named as passwords. */
function passwordSources(workload: Workload, reads: Read[]): SecretFile[] {
  const fromEnv = list(workload.container?.env)
    .filter((e) => PASSWORD.test(String(e.name)) && e.valueFrom?.secretKeyRef)
    .map((e) => ({ secret: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key }));
  return [...fromEnv, ...reads.filter((r) => PASSWORD.test(r.key) || PASSWORD.test(r.via))];
}

/** Whether a Secret volume of the Pod (plain or projected) is this Secret. */
function mountsSecret(statefulSet: K8sObject, secret: string): boolean {
  return list(statefulSet.spec?.template?.spec?.volumes).some(
    (v) => v.secret?.secretName === secret || list(v.projected?.sources).some((s) => s.secret?.name === secret),
  );
}

function check(set: ManifestSet, certificate: Manifest, workload: Workload): Report[] {
  const spec = certificate.object.spec ?? {};
  const name = certificate.object.metadata.name;
  const secret: string = spec.secretName;
  const reports: Report[] = [];
  const report = (messageId: string, data: Record<string, unknown>, field: string, severity?: "info") =>
    reports.push({ set, manifest: certificate, at: { field }, messageId, data, ...(severity ? { severity } : {}) });

  const reads = secretReads(workload);
  const fromSecret = reads.filter((r) => r.secret === secret);
  if (!fromSecret.length) {
    report("filesUnknown", { workload: workload.name, secret, name }, "spec.secretName", "info");
  }
  const stores = [...new Set(fromSecret.map((r) => r.key))].filter((key) => storeOf(key)).sort();
  const formats = [...new Set(stores.map((key) => storeOf(key)!.format))];
  for (const format of formats) {
    const { names } = Object.values(STORES).find((s) => s.format === format)!;
    const read = stores
      .filter((key) => storeOf(key)!.format === format)
      .map((key) => `${key} (${fromSecret.find((r) => r.key === key)!.via})`);
    if (spec.keystores?.[format]?.create !== true) {
      const data = { name, secret, formatName: format.toUpperCase(), format, workload: workload.name };
      report("noKeystore", { ...data, read: read.join(" and ") }, "spec.keystores");
    }
    for (const key of stores.filter((k) => storeOf(k)!.format === format && !names.includes(k))) {
      const via = fromSecret.find((r) => r.key === key)!.via;
      const data = { workload: workload.name, key, secret, via, formatName: format.toUpperCase() };
      report("otherFileNames", { ...data, names: names.join(" and ") }, "spec.secretName");
    }
  }
  for (const format of formats.filter((f) => spec.keystores?.[f]?.create === true)) {
    const ref = spec.keystores[format].passwordSecretRef ?? {};
    const sources = passwordSources(workload, reads);
    const matches = (s: SecretFile) => s.secret === ref.name && (ref.key === undefined || s.key === ref.key);
    const data = { name, key: ref.key ?? "(unset)", secret: ref.name, workload: workload.name };
    const field = `spec.keystores.${format}.passwordSecretRef`;
    if (!sources.length) report("passwordUnknown", data, field, "info");
    else if (!sources.some(matches)) {
      const read = sources.map((s) => `key ${s.key} of Secret ${s.secret}`).join(", ");
      report("passwordElsewhere", { ...data, read }, field);
    }
  }

  const service = workload.statefulSet.spec?.serviceName;
  if (typeof service !== "string" || !service) {
    report("noHeadlessService", { workload: workload.name, name }, "spec.dnsNames", "info");
    return reports;
  }
  const domain = literalEnv(workload.container).CLUSTER_DOMAIN;
  const dnsNames: string[] = (Array.isArray(spec.dnsNames) ? spec.dnsNames : []).filter(
    (n: unknown): n is string => typeof n === "string",
  );
  // Without the cluster's domain in the Pod's env, any domain after .svc. counts.
  const covers = (host: string) =>
    dnsNames.some((n) =>
      domain ? n === `${host}.${domain}` : n.startsWith(`${host}.`) && !n.slice(host.length + 1).includes("*"),
    );
  const headless = `${service}.${workload.namespace}.svc`;
  const missing = [...Array(workload.replicas).keys()]
    .map((i) => `${workload.name}-${i}.${headless}`)
    .filter((host) => !covers(host) && !covers(host.replace(/^[^.]+/, "*")));
  if (missing.length) {
    const shown = missing.map((host) => (domain ? `${host}.${domain}` : `${host}.<cluster domain>`));
    const data = { name, hosts: shown.join(", "), service, domain: `${headless}${domain ? `.${domain}` : ""}` };
    report(missing.length === 1 ? "brokerNotNamed" : "brokersNotNamed", data, "spec.dnsNames");
  }
  return reports;
}

export const rule: Rule = {
  id: "tls-certificate",
  group: "security",
  scope: "set",
  title: "cert-manager Certificates give the brokers the keystore, password and names they use",
  severity: "error",
  docs: {
    checks:
      "A cert-manager `Certificate` whose `secretName` a Kafka StatefulSet mounts gives the Pod what it " +
      "reads: when the Pod reads `.p12` (or `.jks`) files of that Secret (paths under the Secret's mount in " +
      "env values, the command line or the configuration), `spec.keystores.pkcs12.create` (or `jks`) is " +
      "`true` and the files are the ones cert-manager writes (`keystore.p12`, `truststore.p12`); the " +
      "keystore's `passwordSecretRef` is the Secret and key the Pod reads its password from (a Secret key " +
      "in an env var whose name says password, or a mounted Secret file named so); and `spec.dnsNames` " +
      "names every broker through the StatefulSet's headless Service, " +
      "`<statefulset>-<i>.<serviceName>.<namespace>.svc.<domain>` (or the wildcard `*.<serviceName>...`), " +
      "with the domain from the Pod's `CLUSTER_DOMAIN` env var when it has one.",
    why:
      "cert-manager writes the stores only when asked and never writes the password into the Secret, and a " +
      "certificate without a broker's name is refused by every peer and client that verifies it, all of " +
      "which shows only once the certificate is issued.",
    fix: "the Certificate's field the message names.",
    designs:
      "Certificates of any issuer; which files and which password the Pod reads, when they cannot be told, " +
      "is reported as `info`.",
  },
  appliesTo: (set) => set.manifests.some(isCertificate),
  messages: {
    filesUnknown:
      "{{workload}} mounts Secret {{secret}}, which Certificate {{name}} writes, but which of its files the brokers read could not be told from env vars, arguments or configuration: keystore and password not checked",
    noKeystore: {
      text: "Certificate {{name}} writes Secret {{secret}} without a {{formatName}} keystore (spec.keystores.{{format}}.create is not true), but {{workload}} reads {{read}} from it: the brokers cannot start",
      hint: "set spec.keystores.{{format}}.create: true with a passwordSecretRef",
    },
    otherFileNames: {
      text: "{{workload}} reads {{key}} from Secret {{secret}} ({{via}}), but cert-manager names its {{formatName}} files {{names}}",
      hint: "read {{names}}",
    },
    passwordUnknown:
      "Certificate {{name}} encrypts the keystore with key {{key}} of Secret {{secret}}; where {{workload}} reads the password could not be told (no Secret key in a password env var, no Secret file named as a password)",
    passwordElsewhere: {
      text: "Certificate {{name}} encrypts the keystore with key {{key}} of Secret {{secret}}, but {{workload}} reads the password from {{read}}: the brokers cannot open it",
      hint: "point passwordSecretRef at the Secret and key the Pod reads, or mount that one",
    },
    noHeadlessService:
      "{{workload}} names no headless Service (spec.serviceName): the brokers' DNS names in Certificate {{name}} not checked",
    brokerNotNamed: {
      text: "Certificate {{name}} does not name broker {{hosts}}: peers and clients verifying the advertised name refuse its certificate",
      hint: "add each broker's name through Service {{service}} (or *.{{domain}})",
    },
    brokersNotNamed: {
      text: "Certificate {{name}} does not name brokers {{hosts}}: peers and clients verifying the advertised name refuse their certificate",
      hint: "add each broker's name through Service {{service}} (or *.{{domain}})",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const certificate of set.manifests.filter(isCertificate)) {
        const secret = certificate.object.spec?.secretName;
        if (typeof secret !== "string") continue;
        const namespace = namespaceOf(certificate.object);
        for (const workload of workloadsOf(set, "kafka").filter(
          (w) => w.namespace === namespace && mountsSecret(w.statefulSet, secret),
        )) {
          reports.push(...check(set, certificate, workload));
        }
      }
    }
    return reports;
  },
};
