// Kafka settings as a broker runs with them: the value its configuration gives, else Kafka's own default
// (Apache Kafka 3.9 broker configuration reference). Change rules compare these, so a value that moves from
// an explicit setting to the same default is no change, and a default the generator derives from the broker
// count is compared like any other value.
import { Workload } from "../model";
import { imageRepository, imageVersion } from "./compare";

/** Kafka's defaults for the settings change rules compare. */
const DEFAULTS: Record<string, string> = {
  "min.insync.replicas": "1",
  "default.replication.factor": "1",
  "offsets.topic.replication.factor": "3",
  "transaction.state.log.replication.factor": "3",
  "transaction.state.log.min.isr": "2",
  "unclean.leader.election.enable": "false",
  "log.retention.hours": "168",
  "log.retention.bytes": "-1",
  "reserved.broker.max.id": "1000",
};

export interface EffectiveSetting {
  value: string;
  /** Whether the broker's configuration sets it (else Kafka's default applies). */
  set: boolean;
}

/** The value ordinal 0 runs with; undefined when a script computes it in a way that cannot be read. */
export function effectiveSetting(workload: Workload, key: string): EffectiveSetting | undefined {
  const config = workload.configFor(0);
  if (config.has(key)) {
    const value = config.get(key);
    return value === undefined ? undefined : { value: value.trim(), set: true };
  }
  return key in DEFAULTS ? { value: DEFAULTS[key], set: false } : undefined;
}

export function describeSetting(setting: EffectiveSetting): string {
  return setting.set ? setting.value : `${setting.value} (Kafka's default)`;
}

/** How long a segment is kept, in milliseconds (-1: forever), with the setting that decides it (ms over minutes over hours). */
export function retention(workload: Workload): { ms: number; text: string } | undefined {
  const config = workload.configFor(0);
  const units: [string, number][] = [
    ["log.retention.ms", 1],
    ["log.retention.minutes", 60_000],
    ["log.retention.hours", 3_600_000],
  ];
  for (const [key, factor] of units) {
    if (!config.has(key)) continue;
    const value = Number(config.get(key));
    if (!Number.isInteger(value)) return undefined;
    return { ms: value < 0 ? -1 : value * factor, text: `${key}=${value}` };
  }
  return { ms: 168 * 3_600_000, text: "log.retention.hours=168 (Kafka's default)" };
}

/** A protocol version as major.minor ("3.9-IV0" -> [3, 9]). */
export function parseProtocolVersion(value: string | undefined): number[] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(value?.trim() ?? "");
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** The protocol a ZooKeeper-mode broker speaks and writes: its pinned inter.broker.protocol.version, else its
 * image's own major.minor; undefined when neither can be read. */
export function protocolVersion(workload: Workload): { version: number[]; text: string; pinned: boolean } | undefined {
  const pinned = workload.configFor(0).get("inter.broker.protocol.version");
  if (workload.config.has("inter.broker.protocol.version")) {
    const version = parseProtocolVersion(pinned);
    return version ? { version, text: `${pinned!.trim()}`, pinned: true } : undefined;
  }
  // Confluent Platform numbers its images apart from Kafka's releases: their protocol is not read from the tag.
  const image = /(^|\/)cp-(kafka|server)$/.test(imageRepository(workload.container?.image))
    ? undefined
    : imageVersion(workload.container?.image);
  return image
    ? {
        version: image.slice(0, 2),
        text: `${image[0]}.${image[1]} (the version of ${workload.container?.image})`,
        pinned: false,
      }
    : undefined;
}
