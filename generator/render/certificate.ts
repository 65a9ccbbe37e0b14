// kafka.tls.certManager: the cert-manager Certificate that issues the brokers' TLS Secret, with a PKCS12
// keystore encrypted by a password from a Secret the repository never holds, and how the Pod reads that password.
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IVolume, IVolumeMount } from "kubernetes-models/v1";
import { APP_LABEL, MOUNTS, NAMES } from "../layout";
import { Environment, KafkaSpec } from "../spec/types";

/** The Certificate's file in the overlay's zookeeper/ part (see kafkaCertificate). */
export const CERTIFICATE_FILE = "kafka-certificate.yaml";

type Tls = NonNullable<KafkaSpec["tls"]>;

/** Key usages of a broker's certificate: it serves clients and, with client authentication on, is a client of its peers. */
const USAGES = ["digital signature", "key encipherment", "server auth", "client auth"] as const;

/**
 * Every name a client may verify: each broker's Pod name through the headless Service (what the internal
 * listener advertises), the Service itself (a bootstrap address), the nodes when the external listener is TLS
 * and advertises node names, then the environment's own. Node IPs are not known here: they come from ipAddresses.
 */
export function certificateDnsNames(environment: Environment): string[] {
  const kafka = environment.kafka;
  const service = `${NAMES.headlessService("kafka")}.${environment.namespace}.svc`;
  const brokers = [...Array(kafka.replicas).keys()].map(
    (ordinal) => `${NAMES.pod("kafka", ordinal)}.${service}.${environment.cluster.clusterDomain}`,
  );
  const nodes =
    kafka.tls?.listeners.includes("external") && kafka.external.advertisedHost === "nodeName"
      ? [...new Set(kafka.placement)].sort()
      : [];
  return [
    ...new Set([
      ...brokers,
      `${service}.${environment.cluster.clusterDomain}`,
      service,
      ...nodes,
      ...(kafka.tls?.certManager?.dnsNames ?? []),
    ]),
  ];
}

/**
 * The Certificate of an environment whose kafka.tls asks cert-manager for its Secret; undefined otherwise.
 * It belongs to the overlay's zookeeper/ part: that part is healthy (the Certificate Ready included) before
 * the kafka/ part is applied, so no broker Pod waits in ContainerCreating for a Secret not yet issued.
 */
export function kafkaCertificate(environment: Environment): ICertificate | undefined {
  const tls = environment.kafka.tls;
  const certManager = tls?.certManager;
  if (!tls || !certManager) return undefined;
  const ipAddresses = certManager.ipAddresses;
  // The models predate keystores.pkcs12.profile (cert-manager 1.14); the API server's schema has it.
  const pkcs12 = {
    create: true,
    passwordSecretRef: { name: certManager.passwordSecret.name, key: certManager.passwordSecret.key },
    profile: certManager.pkcs12Profile,
  };
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: NAMES.certificate, labels: { [APP_LABEL]: "kafka" } },
    spec: {
      secretName: tls.secret,
      issuerRef: { ...certManager.issuerRef },
      dnsNames: certificateDnsNames(environment),
      ...(ipAddresses.length ? { ipAddresses } : {}),
      ...(certManager.duration ? { duration: certManager.duration } : {}),
      ...(certManager.renewBefore ? { renewBefore: certManager.renewBefore } : {}),
      usages: [...USAGES],
      // A renewal gets a new key, so a leaked key stops being useful at the next renewal.
      privateKey: { rotationPolicy: "Always" },
      keystores: { pkcs12 },
    },
  };
}

const PASSWORD_VOLUME = "tls-password";

/** Where the start script reads the keystore password: the TLS Secret's key, or the password Secret cert-manager encrypts with. */
export function tlsPasswordFile(tls: Tls): string {
  return tls.certManager
    ? `${MOUNTS.tlsPassword}/${tls.certManager.passwordSecret.key}`
    : `${MOUNTS.tls}/${tls.keys.password}`;
}

/** The password Secret's one key, mounted beside the TLS Secret, when cert-manager writes the TLS Secret. */
export function tlsPasswordMount(tls: Tls): { volumes: IVolume[]; volumeMounts: IVolumeMount[] } {
  if (!tls.certManager) return { volumes: [], volumeMounts: [] };
  const { name, key } = tls.certManager.passwordSecret;
  return {
    volumes: [{ name: PASSWORD_VOLUME, secret: { secretName: name, defaultMode: 0o440, items: [{ key, path: key }] } }],
    volumeMounts: [{ name: PASSWORD_VOLUME, mountPath: MOUNTS.tlsPassword, readOnly: true }],
  };
}
