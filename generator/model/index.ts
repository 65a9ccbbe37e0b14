// What a deployment is, read from any manifests: its workloads and their roles, ZooKeeper ensembles, the
// objects around them (Services, volumes, claims), Pod specs, what start scripts do, listeners and GitOps
// objects. Rules, change checks, plans and reports read deployments only through this module.
export { ClusterManifests, groupByCluster } from "./cluster";
export { Ensemble, ensembleOf, ensembles, serverPod } from "./ensembles";
export { environmentPaths, isApplication, isFluxKustomization, isWiring, normalizePath, syncedPaths } from "./gitops";
export {
  POD_NAME_LABEL,
  allOfKind,
  claimName,
  containerPorts,
  exposedPorts,
  ofKind,
  ordinalOf,
  parseListeners,
  placement,
  selectedWorkloads,
  singlePodTarget,
  staticClasses,
  unboundVolumes,
  volumeNodes,
  volumeOf,
  volumesFor,
} from "./objects";
export { list, podSpecOf, record } from "./podSpec";
export { ROLES, Server, WorkloadRole } from "./roles";
export { assignments, isScript, kubernetesReferences, logicalLines, longOption, shellCommands } from "./shell";
export {
  ConfigEntry,
  ConfigSource,
  Launcher,
  Workload,
  isUnder,
  literalEnv,
  namespaceOf,
  persistentMounts,
  volumeMounts,
  workloads,
  workloadsOf,
} from "./workloads";
export { Setting, jvmText, serverSetting, settingValue, zookeeperAuthenticates } from "./serverSettings";
export {
  HostPort,
  KraftCluster,
  KraftNode,
  KraftRole,
  Voter,
  controllerCount,
  isController,
  isKraftBroker,
  kraftClusters,
  kraftEntry,
  kraftMembers,
  kraftNode,
  kraftNodes,
  parseHostPorts,
  parseVoters,
  processRoles,
} from "./kraft";
export { CrowdedNode, crowdedNodes } from "./quorum";
export { MigrationPhase, MigrationState, clusterIdOf, migrationState } from "./migration";
