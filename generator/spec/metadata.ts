// Where an environment keeps its metadata, checked: ZooKeeper, KRaft, or a ZooKeeper-to-KRaft migration phase
// (docs/kraft.md). What the Apache Kafka 3.9 procedure or our start scripts cannot do is refused here.
import { Problem } from "../problems";
import { SourceDocument } from "./documents";
import { imageVersion } from "./kraft";
import { Environment, EnvironmentDocument } from "./types";

/** Ids that appear in Kafka's images, tests and examples: a cluster formatted with one shares it with strangers. */
export const EXAMPLE_CLUSTER_IDS = ["5L6g3nShT-eMCtK--X86sw", "4L6g3nShT-eMCtK--X86sw", "MkU3OEVBNTcwNTJENDM2Qk"];

export function metadataProblems(
  document: SourceDocument,
  environment: Environment,
  input: EnvironmentDocument,
): Problem[] {
  const problems: Problem[] = [];
  const { metadata, kafka } = environment;
  const problem = (path: (string | number)[], message: string, atKey = false) =>
    problems.push(document.problem(path, message, { atKey }));
  if (metadata.mode === "kraft" && input.controller === undefined) {
    problem(
      ["kafka"],
      "expected zookeeper (a ZooKeeper environment) or controller (a KRaft environment), got neither",
      true,
    );
  }
  if (metadata.mode === "zookeeper" && input.controller !== undefined) {
    problem(
      ["controller"],
      "runs in a ZooKeeper environment only during a migration: set migration.phase (docs/kraft.md), or remove zookeeper for a KRaft environment",
      true,
    );
  }
  if (metadata.mode === "migration" && metadata.phase === 0 && input.controller !== undefined) {
    problem(
      ["controller"],
      "is deployed in migration phase 1; phase 0 only pins the brokers' inter.broker.protocol.version",
      true,
    );
  }
  if (metadata.mode === "migration" && metadata.phase >= 1 && input.controller === undefined) {
    problem(
      ["migration", "phase"],
      `expected controller (the KRaft controller quorum) from migration phase 1 on, got phase ${metadata.phase} without it`,
    );
  }
  if (input.controller !== undefined && kafka.clusterId === undefined) {
    problem(
      ["kafka"],
      "expected kafka.clusterId with controllers: the id every node is formatted with (a new cluster: `kafka-overlays init --kraft` or `kafka-storage.sh random-uuid`; a migration: ZooKeeper's /cluster/id)",
      true,
    );
  }
  if (kafka.clusterId !== undefined && EXAMPLE_CLUSTER_IDS.includes(kafka.clusterId)) {
    problem(
      ["kafka", "clusterId"],
      `is an example id from Kafka's images and documentation, shared by every cluster that copies it: generate one with \`kafka-storage.sh random-uuid\``,
    );
  }
  if (metadata.mode === "kraft") problems.push(...kraftProblems(document, environment, input));
  if (metadata.mode === "migration") problems.push(...migrationProblems(document, environment, input));
  if (metadata.mode === "zookeeper") {
    const version = imageVersion(kafka.image);
    if (version && version[0] >= 4) {
      problem(
        ["kafka", "image"],
        `expected a release with ZooKeeper mode (3.x), got ${kafka.image}: Kafka 4.0 removed it; migrate on 3.9 first (migration.phase, docs/kraft.md)`,
      );
    }
  }
  return problems;
}

/** Brokers and controllers of a KRaft environment: nothing of ZooKeeper, and what KRaft start scripts support. */
function kraftProblems(document: SourceDocument, environment: Environment, input: EnvironmentDocument): Problem[] {
  const problems: Problem[] = [];
  for (const role of ["kafka", "controller"] as const) {
    for (const section of ["config", "configUnchecked"] as const) {
      for (const key of Object.keys(input[role]?.[section] ?? {})) {
        if (/^zookeeper\./.test(key) || key === "inter.broker.protocol.version") {
          const instead =
            key === "inter.broker.protocol.version"
              ? "; KRaft versions its metadata with metadata.version (kafka-features.sh)"
              : "";
          problems.push(
            document.problem(
              [role, section, key],
              `is a ZooKeeper-mode setting, and a KRaft environment has no ZooKeeper${instead}`,
              { atKey: true },
            ),
          );
        }
      }
    }
  }
  if (input.kafka.sasl) {
    problems.push(
      document.problem(
        ["kafka", "sasl"],
        "is not supported in a KRaft environment yet: the brokers' SCRAM credential is written to ZooKeeper at start",
        { atKey: true },
      ),
    );
  }
  const version = imageVersion(environment.kafka.image);
  if (version && (version[0] < 3 || (version[0] === 3 && version[1] < 9))) {
    problems.push(
      document.problem(
        ["kafka", "image"],
        `expected Kafka 3.9 or later for a KRaft environment, got ${environment.kafka.image}`,
      ),
    );
  }
  return problems;
}

/** A migration follows the 3.9 procedure with the brokers' current security: what the controllers cannot join is refused. */
function migrationProblems(document: SourceDocument, environment: Environment, input: EnvironmentDocument): Problem[] {
  const problems: Problem[] = [];
  // Controllers that take the brokers' image are refused with it, at the field that names it.
  for (const role of ["kafka", "controller"] as const) {
    const spec = role === "kafka" || input.controller?.image !== undefined ? environment[role] : undefined;
    const version = spec ? imageVersion(spec.image) : undefined;
    if (spec && version && !(version[0] === 3 && version[1] === 9)) {
      problems.push(
        document.problem(
          [role, "image"],
          `expected a Kafka 3.9 image during the migration (the one release that runs both modes), got ${spec.image}`,
        ),
      );
    }
  }
  for (const section of ["config", "configUnchecked"] as const) {
    if (input.kafka[section]?.["inter.broker.protocol.version"] !== undefined) {
      problems.push(
        document.problem(
          ["kafka", section, "inter.broker.protocol.version"],
          "is pinned to 3.9 by the migration; remove it",
          { atKey: true },
        ),
      );
    }
  }
  if (input.kafka.sasl) {
    problems.push(
      document.problem(
        ["kafka", "sasl"],
        "is not supported during a migration yet: the brokers' SCRAM credential is written to ZooKeeper at start",
        { atKey: true },
      ),
    );
  }
  if (input.zookeeper?.auth) {
    problems.push(
      document.problem(
        ["zookeeper", "auth"],
        "is not supported during a migration yet: the controllers would need ZooKeeper's credential too",
        { atKey: true },
      ),
    );
  }
  if (environment.kafka.tls?.listeners.includes("internal")) {
    problems.push(
      document.problem(
        ["kafka", "tls", "listeners"],
        "expected no TLS on the internal listener during a migration: the controllers reach the brokers on it and hold no keystore yet",
      ),
    );
  }
  return problems;
}
