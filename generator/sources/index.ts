// Where validate's manifests come from: the paths asked for and the context they are judged in (scope.ts),
// the repository's overlays and cluster directories rendered with kustomize, files and stdin (repository.ts,
// files.ts), the base revision of a change (revision.ts), and findings kept by content (incremental.ts).
export { Check, CheckStats, Checked, Contents, checkAgainstBase, checkByCluster, noStats } from "./incremental";
export { collectSets, locateFindings, renderKey, pathRepositoryStart, repositoryDirs } from "./repository";
export { baseSets, extractRevision } from "./revision";
export { Scope, scopeTargets } from "./scope";
