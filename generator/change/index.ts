// What changes between two revisions of a deployment, read from their models: environments and StatefulSets
// paired across revisions, each ordinal's seat (node, path, volume, endpoint), and the plan a reviewer reads.
// The change-* rules and the plan command read revisions only through this module.
export {
  EnvironmentPair,
  EnvironmentRename,
  WorkloadPair,
  claimTemplateSummary,
  compareVersions,
  environmentName,
  environmentPairs,
  imageRepository,
  imageVersion,
  keptSeats,
  removedSeats,
  renamedEnvironments,
  retiredBrokers,
  ReturningBroker,
  returningBrokers,
  VolumeMove,
  volumeMoves,
  volumeNames,
  workloadPairs,
} from "./compare";
export { Seat } from "./placement";
export { EnvironmentPlan, MigrationStep, PlacementTable, Plan, PlanCell, PlanStatus, buildPlan } from "./plan";
export {
  KAFKA_MIGRATION_DOCS,
  MIGRATION_PHASES,
  MigrationChange,
  PhaseGuidance,
  migrationChanges,
  phaseChangedSets,
  rollbackTarget,
} from "./migration";
export {
  EffectiveSetting,
  describeSetting,
  effectiveSetting,
  parseProtocolVersion,
  protocolVersion,
  retention,
} from "./kafkaSettings";
