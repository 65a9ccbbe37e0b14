// Every rule, in report order. Adding a rule: one file in this folder, one line here; `npm run docs` then writes
// its section of docs/rules.md from its docs.
import { Rule } from "../rule";
import { rule as objectSchema } from "./object-schema";
import { rule as removedApiVersion } from "./removed-api-version";
import { rule as unknownKind } from "./unknown-kind";
import { rule as ordinalVolume } from "./ordinal-volume";
import { rule as ordinalBrokerService } from "./ordinal-broker-service";
import { rule as zookeeperServers } from "./zookeeper-servers";
import { rule as ordinalOutOfRange } from "./ordinal-out-of-range";
import { rule as replicaCount } from "./replica-count";
import { rule as nodeportRange } from "./nodeport-range";
import { rule as nodeportUnique } from "./nodeport-unique";
import { rule as brokerPorts } from "./broker-ports";
import { rule as advertisedHostPort } from "./advertised-host-port";
import { rule as serviceTargetPort } from "./service-target-port";
import { rule as runtimeLabelService } from "./runtime-label-service";
import { rule as headlessService } from "./headless-service";
import { rule as zookeeperConnect } from "./zookeeper-connect";
import { rule as claimBinding } from "./claim-binding";
import { rule as localVolumeNode } from "./local-volume-node";
import { rule as hostpathVolumeNode } from "./hostpath-volume-node";
import { rule as volumeNodeKnown } from "./volume-node-known";
import { rule as volumePathUnique } from "./volume-path-unique";
import { rule as localVolumeReclaim } from "./local-volume-reclaim";
import { rule as zookeeperQuorumPlacement } from "./zookeeper-quorum-placement";
import { rule as brokersSpread } from "./brokers-spread";
import { rule as antiAffinitySelector } from "./anti-affinity-selector";
import { rule as claimTemplateTyped } from "./claim-template-typed";
import { rule as zookeeperEnsembleSize } from "./zookeeper-ensemble-size";
import { rule as replicationFactor } from "./replication-factor";
import { rule as minInsyncReplicas } from "./min-insync-replicas";
import { rule as reservedBrokerId } from "./reserved-broker-id";
import { rule as listenerProtocols } from "./listener-protocols";
import { rule as dataOnVolume } from "./data-on-volume";
import { rule as kraftNodeIds } from "./kraft-node-ids";
import { rule as kraftQuorumSize } from "./kraft-quorum-size";
import { rule as kraftModeMixed } from "./kraft-mode-mixed";
import { rule as kraftVoters } from "./kraft-voters";
import { rule as kraftControllerListener } from "./kraft-controller-listener";
import { rule as kraftQuorumPlacement } from "./kraft-quorum-placement";
import { rule as heapFitsMemory } from "./heap-fits-memory";
import { rule as probes } from "./probes";
import { rule as disruptionBudgetSelector } from "./disruption-budget-selector";
import { rule as envReference } from "./env-reference";
import { rule as podSecurityRestricted } from "./pod-security-restricted";
import { rule as secretInline } from "./secret-inline";
import { rule as listenerTls } from "./listener-tls";
import { rule as listenerSasl } from "./listener-sasl";
import { rule as listenerCleartext } from "./listener-cleartext";
import { rule as zookeeperClientAuth } from "./zookeeper-client-auth";
import { rule as zookeeperSkipAcl } from "./zookeeper-skip-acl";
import { rule as zookeeperSuperDigest } from "./zookeeper-super-digest";
import { rule as kafkaAllowEveryone } from "./kafka-allow-everyone";
import { rule as tlsCertificate } from "./tls-certificate";
import { rule as gitopsSchema } from "./gitops-schema";
import { rule as gitopsEnvironmentWired } from "./gitops-environment-wired";
import { rule as gitopsPathExists } from "./gitops-path-exists";
import { rule as gitopsSourceOverride } from "./gitops-source-override";
import { rule as gitopsDestinationNamespace } from "./gitops-destination-namespace";
import { rule as gitopsSingleOwner } from "./gitops-single-owner";
import { rule as gitopsDependsOn } from "./gitops-depends-on";
import { rule as gitopsVolumeProtection } from "./gitops-volume-protection";
import { rule as gitopsBootstrap } from "./gitops-bootstrap";
import { rule as gitopsLocalApplied } from "./gitops-local-applied";
import { rule as gitopsHealthGate } from "./gitops-health-gate";
import { rule as gitopsSyncPolicy } from "./gitops-sync-policy";
import { rule as gitopsLeastPrivilege } from "./gitops-least-privilege";
import { rule as changeVolumeMoved } from "./change-volume-moved";
import { rule as changeVolumeRemoved } from "./change-volume-removed";
import { rule as changeClaimTemplate } from "./change-claim-template";
import { rule as changeStatefulsetRenamed } from "./change-statefulset-renamed";
import { rule as changeStatefulsetImmutable } from "./change-statefulset-immutable";
import { rule as changeZookeeperMembership } from "./change-zookeeper-membership";
import { rule as changeZookeeperRollOrder } from "./change-zookeeper-roll-order";
import { rule as changeBrokersRemoved } from "./change-brokers-removed";
import { rule as changeBrokerReadded } from "./change-broker-readded";
import { rule as changeRetiredVolumeRecord } from "./change-retired-volume-record";
import { rule as changeBrokerEndpoint } from "./change-broker-endpoint";
import { rule as changeEnvironmentRemoved } from "./change-environment-removed";
import { rule as changeImageVersion } from "./change-image-version";
import { rule as changeProtocolVersion } from "./change-protocol-version";
import { rule as changeDurability } from "./change-durability";
import { rule as changeZookeeperConnect } from "./change-zookeeper-connect";
import { rule as changeEnvironmentRenamed } from "./change-environment-renamed";
import { rule as changeEnvironmentCluster } from "./change-environment-cluster";
import { rule as changeMigrationPhase } from "./change-migration-phase";
import { rule as changeMigrationRollback } from "./change-migration-rollback";
import { rule as changeMigrationImage } from "./change-migration-image";
import { rule as changeKraftClusterId } from "./change-kraft-cluster-id";
import { rule as changeControllerCount } from "./change-controller-count";
import { rule as changeKraftNodeId } from "./change-kraft-node-id";

export const RULES: Rule[] = [
  objectSchema,
  removedApiVersion,
  unknownKind,
  ordinalVolume,
  ordinalBrokerService,
  zookeeperServers,
  ordinalOutOfRange,
  replicaCount,
  nodeportRange,
  nodeportUnique,
  brokerPorts,
  advertisedHostPort,
  serviceTargetPort,
  runtimeLabelService,
  headlessService,
  zookeeperConnect,
  claimBinding,
  localVolumeNode,
  hostpathVolumeNode,
  volumeNodeKnown,
  volumePathUnique,
  localVolumeReclaim,
  zookeeperQuorumPlacement,
  kraftQuorumPlacement,
  brokersSpread,
  antiAffinitySelector,
  claimTemplateTyped,
  zookeeperEnsembleSize,
  replicationFactor,
  minInsyncReplicas,
  reservedBrokerId,
  listenerProtocols,
  dataOnVolume,
  kraftNodeIds,
  kraftQuorumSize,
  kraftModeMixed,
  kraftVoters,
  kraftControllerListener,
  heapFitsMemory,
  probes,
  disruptionBudgetSelector,
  envReference,
  podSecurityRestricted,
  secretInline,
  listenerTls,
  listenerSasl,
  listenerCleartext,
  zookeeperClientAuth,
  zookeeperSkipAcl,
  zookeeperSuperDigest,
  kafkaAllowEveryone,
  tlsCertificate,
  gitopsSchema,
  gitopsEnvironmentWired,
  gitopsPathExists,
  gitopsSourceOverride,
  gitopsDestinationNamespace,
  gitopsSingleOwner,
  gitopsDependsOn,
  gitopsVolumeProtection,
  gitopsBootstrap,
  gitopsLocalApplied,
  gitopsHealthGate,
  gitopsSyncPolicy,
  gitopsLeastPrivilege,
  changeVolumeMoved,
  changeVolumeRemoved,
  changeClaimTemplate,
  changeStatefulsetRenamed,
  changeStatefulsetImmutable,
  changeZookeeperMembership,
  changeZookeeperRollOrder,
  changeBrokersRemoved,
  changeBrokerReadded,
  changeRetiredVolumeRecord,
  changeBrokerEndpoint,
  changeEnvironmentRemoved,
  changeImageVersion,
  changeProtocolVersion,
  changeDurability,
  changeZookeeperConnect,
  changeEnvironmentRenamed,
  changeEnvironmentCluster,
  changeMigrationPhase,
  changeMigrationRollback,
  changeMigrationImage,
  changeKraftClusterId,
  changeControllerCount,
  changeKraftNodeId,
];
