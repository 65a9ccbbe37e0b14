// The whole generated tree, in memory: repository path -> file content. Pure: no I/O here.
import { own } from "../ownKeys";
import type { IEnvVar } from "kubernetes-models/v1";
import { MANAGED_BY, NAMES, OverlayPart, certificatePart, overlayParts, rolesOf } from "../layout";
import { CLUSTER_DEFAULTS, ROLE_DEFAULTS } from "../spec/defaults";
import { Cluster, Environment, Fleet, Role, RoleSpec } from "../spec/types";
import { disruptionBudget } from "../render/disruptionBudget";
import {
  brokerMetadataEnv,
  brokerNodePortService,
  kafkaHeadlessService,
  kafkaStatefulSet,
  serverProperties,
} from "../render/kafka";
import {
  controllerEnv,
  controllerHeadlessService,
  controllerProperties,
  controllerStatefulSet,
} from "../render/controller";
import { CONTROLLER_START, KAFKA_START, ZOOKEEPER_PROBE, ZOOKEEPER_START } from "../render/scripts";
import { statefulSetPatch } from "../render/statefulSet";
import { localStorageClass, localVolume } from "../render/volumes";
import {
  appProjects,
  argoSettingsPatch,
  environmentAccess,
  environmentApplication,
  environmentKustomizations,
  gitRepository,
  partAnnotations,
  rootApplication,
  storageAccess,
  storageApplication,
  storageKustomization,
} from "../render/gitops";
import { controllerNetworkPolicy, kafkaNetworkPolicy, zookeeperNetworkPolicy } from "../render/networkPolicy";
import { CERTIFICATE_FILE, kafkaCertificate } from "../render/certificate";
import { zooCfg, zookeeperClientService, zookeeperHeadlessService, zookeeperStatefulSet } from "../render/zookeeper";
import { withHeader } from "./header";
import { documentSchema } from "../spec/schema";
import { imageOverride } from "../spec/image";
import { nodeDirectories } from "./nodeDirectories";
import { toYaml } from "./yaml";

export type LocalKind = "Component" | "Kustomization";

export interface TreeInput {
  fleet: Fleet;
  /** Kind of overlays/<env>/local/kustomization.yaml, for the environments that have one. */
  localKinds: Record<string, LocalKind>;
  /** Cluster name -> the folder `flux bootstrap` wrote in its directory (named after its namespace): kept and listed, never written. */
  fluxBootstraps?: Record<string, string>;
  /** Cluster name -> entries of its directory that kafka-overlays did not write and the engine applies: kept listed. */
  adopted?: Record<string, string[]>;
}

export type Tree = Map<string, string>;

const KUSTOMIZATION = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" };
const BASE_SOURCE = "the kafka-overlays defaults";

export function renderTree({ fleet, localKinds, fluxBootstraps = {}, adopted = {} }: TreeInput): Tree {
  // Editors validate environments/*.yaml against this copy (see their yaml-language-server line).
  const files: [string, string, string][] = [
    ["schema/environments.schema.json", `${JSON.stringify(documentSchema, null, 2)}\n`, BASE_SOURCE],
    ...baseFiles(),
  ];
  for (const environment of fleet.environments)
    files.push(...overlayFiles(environment, own(localKinds, environment.name)));
  for (const cluster of fleet.clusters) {
    const environments = fleet.environments.filter((e) => e.cluster.name === cluster.name);
    files.push(
      ...clusterFiles(cluster, environments, localKinds, fluxBootstraps[cluster.name], adopted[cluster.name] ?? []),
    );
  }
  const tree: Tree = new Map();
  for (const [path, content, source] of files.sort(([a], [b]) => (a < b ? -1 : 1)))
    tree.set(path, withHeader(path, content, source));
  return tree;
}

/** The base is the template every overlay patches; it is rendered from the defaults of a 3-replica environment. */
export function templateRole(role: Role): RoleSpec {
  const defaults = ROLE_DEFAULTS[role];
  return {
    role,
    replicas: 3,
    placement: [],
    ...defaults,
    config: {},
    updateStrategy: "RollingUpdate",
    ...(role === "kafka" ? { external: { nodePortBase: 31090, advertisedHost: "hostIP" } } : {}),
  } as RoleSpec;
}

function baseFiles(): [string, string, string][] {
  const cluster = {
    clusterDomain: CLUSTER_DEFAULTS.clusterDomain,
    storageClassName: CLUSTER_DEFAULTS.storageClassName,
  };
  const kustomization = (role: Role, scripts: string[], resources: string[]) =>
    toYaml({
      ...KUSTOMIZATION,
      resources,
      labels: [
        {
          pairs: { ...MANAGED_BY, "app.kubernetes.io/component": role },
          includeSelectors: false,
          includeTemplates: true,
        },
      ],
      configMapGenerator: [{ name: NAMES.scriptsConfigMap(role), files: scripts.map((s) => `scripts/${s}`) }],
    });
  const files: [string, string][] = [
    [
      "base/zookeeper/kustomization.yaml",
      kustomization(
        "zookeeper",
        ["start.sh", "probe.sh"],
        ["statefulset.yaml", "services.yaml", "poddisruptionbudget.yaml"],
      ),
    ],
    ["base/zookeeper/statefulset.yaml", toYaml(zookeeperStatefulSet(templateRole("zookeeper"), cluster))],
    ["base/zookeeper/services.yaml", toYaml(zookeeperHeadlessService(), zookeeperClientService())],
    ["base/zookeeper/poddisruptionbudget.yaml", toYaml(disruptionBudget("zookeeper"))],
    ["base/zookeeper/scripts/start.sh", ZOOKEEPER_START],
    ["base/zookeeper/scripts/probe.sh", ZOOKEEPER_PROBE],
    [
      "base/kafka/kustomization.yaml",
      kustomization("kafka", ["start.sh"], ["statefulset.yaml", "services.yaml", "poddisruptionbudget.yaml"]),
    ],
    ["base/kafka/statefulset.yaml", toYaml(kafkaStatefulSet(templateRole("kafka"), cluster))],
    ["base/kafka/services.yaml", toYaml(kafkaHeadlessService())],
    ["base/kafka/poddisruptionbudget.yaml", toYaml(disruptionBudget("kafka"))],
    ["base/kafka/scripts/start.sh", KAFKA_START],
    [
      "base/controller/kustomization.yaml",
      kustomization("controller", ["start.sh"], ["statefulset.yaml", "services.yaml", "poddisruptionbudget.yaml"]),
    ],
    ["base/controller/statefulset.yaml", toYaml(controllerStatefulSet(templateRole("controller"), cluster))],
    ["base/controller/services.yaml", toYaml(controllerHeadlessService())],
    ["base/controller/poddisruptionbudget.yaml", toYaml(disruptionBudget("controller"))],
    ["base/controller/scripts/start.sh", CONTROLLER_START],
  ];
  return files.map(([path, content]) => [path, content, BASE_SOURCE]);
}

function environmentLabels(environment: Environment): Record<string, string> {
  return { ...environment.labels, "app.kubernetes.io/instance": environment.name };
}

/** On objects, not templates: the StatefulSet patches label the Pods (see statefulSetPatch). */
function instanceLabels(environment: Environment) {
  return [{ pairs: environmentLabels(environment), includeSelectors: false }];
}

function overlayFiles(environment: Environment, localKind: LocalKind | undefined): [string, string, string][] {
  const dir = `overlays/${environment.name}`;
  const source = environment.source.file;
  const annotations = (part: OverlayPart) => {
    const pairs = partAnnotations(environment, part);
    return Object.keys(pairs).length ? { commonAnnotations: pairs } : {};
  };
  const flux = environment.cluster.gitops.engine === "flux";
  const parts = overlayParts(environment);
  const roleKustomization = (role: Role, configFile: string, extraResources: string[]) =>
    toYaml({
      ...KUSTOMIZATION,
      namespace: environment.namespace,
      resources: [`../../../base/${role}`, ...extraResources],
      labels: instanceLabels(environment),
      ...annotations(role),
      replicas: [{ name: NAMES.statefulSet(role), count: environment[role]!.replicas }],
      images: [imageOverride(ROLE_DEFAULTS[role].image, environment[role]!.image)],
      configMapGenerator: [{ name: NAMES.configConfigMap(role), files: [configFile] }],
      patches: [{ path: "statefulset-patch.yaml" }],
      ...partComponents,
    });
  const patch = (role: Role, env: IEnvVar[] = []) =>
    toYaml(statefulSetPatch(environment[role]!, environment.cluster, environmentLabels(environment), env));
  const ordinals = (role: Role) => [...Array(environment[role]!.replicas).keys()];
  // Issued with the part before the brokers', which must be healthy before Kafka's is applied: the brokers never wait for their Secret.
  const certificate = kafkaCertificate(environment);
  const certificateAt = certificatePart(environment);
  const certificateFiles: [string, string][] = certificate
    ? [[`${dir}/${certificateAt}/${CERTIFICATE_FILE}`, toYaml(certificate)]]
    : [];
  const withCertificate = (part: OverlayPart) => (certificate && part === certificateAt ? [CERTIFICATE_FILE] : []);
  // Flux applies each part on its own, so a local Component is included by every part, not by the top.
  const partComponents = flux && localKind === "Component" ? { components: ["../local"] } : {};
  const top = {
    ...KUSTOMIZATION,
    namespace: environment.namespace,
    resources: [...parts, ...(localKind === "Kustomization" ? ["local"] : [])],
    ...(!flux && localKind === "Component" ? { components: ["local"] } : {}),
  };
  const files: [string, string][] = [
    [`${dir}/kustomization.yaml`, toYaml(top)],
    [
      `${dir}/volumes/kustomization.yaml`,
      toYaml({
        ...KUSTOMIZATION,
        resources: ["persistentvolumes.yaml"],
        labels: instanceLabels(environment),
        ...annotations("volumes"),
        ...partComponents,
      }),
    ],
    [
      `${dir}/volumes/persistentvolumes.yaml`,
      toYaml(...rolesOf(environment).flatMap((role) => ordinals(role).map((i) => localVolume(environment, role, i)))),
    ],
    ...certificateFiles,
  ];
  if (parts.includes("zookeeper")) {
    files.push(
      [
        `${dir}/zookeeper/kustomization.yaml`,
        roleKustomization("zookeeper", "zoo.cfg", ["networkpolicy.yaml", ...withCertificate("zookeeper")]),
      ],
      [`${dir}/zookeeper/networkpolicy.yaml`, toYaml(zookeeperNetworkPolicy(parts.includes("controller")))],
      [`${dir}/zookeeper/zoo.cfg`, zooCfg(environment)],
      [`${dir}/zookeeper/statefulset-patch.yaml`, patch("zookeeper")],
    );
  }
  if (parts.includes("controller")) {
    files.push(
      [
        `${dir}/controller/kustomization.yaml`,
        roleKustomization("controller", "controller.properties", [
          "networkpolicy.yaml",
          ...withCertificate("controller"),
        ]),
      ],
      [`${dir}/controller/networkpolicy.yaml`, toYaml(controllerNetworkPolicy())],
      [`${dir}/controller/controller.properties`, controllerProperties(environment)],
      [`${dir}/controller/statefulset-patch.yaml`, patch("controller", controllerEnv(environment))],
    );
  }
  files.push(
    [
      `${dir}/kafka/kustomization.yaml`,
      roleKustomization("kafka", "server.properties", ["external-services.yaml", "networkpolicy.yaml"]),
    ],
    [`${dir}/kafka/networkpolicy.yaml`, toYaml(kafkaNetworkPolicy(environment.kafka))],
    [`${dir}/kafka/server.properties`, serverProperties(environment)],
    [`${dir}/kafka/statefulset-patch.yaml`, patch("kafka", brokerMetadataEnv(environment))],
    [
      `${dir}/kafka/external-services.yaml`,
      toYaml(...ordinals("kafka").map((i) => brokerNodePortService(environment, i))),
    ],
  );
  return files.map(([path, content]) => [path, content, source]);
}

function clusterFiles(
  cluster: Cluster,
  environments: Environment[],
  localKinds: Record<string, LocalKind>,
  fluxBootstrap: string | undefined,
  adopted: string[],
): [string, string, string][] {
  const dir = `clusters/${cluster.name}`;
  const source = gitRepository(cluster);
  const wiring: [string, string][] =
    cluster.gitops.engine === "argocd"
      ? [
          [`${dir}/appprojects.yaml`, toYaml(...appProjects(cluster, environments))],
          [`${dir}/root.yaml`, toYaml(rootApplication(cluster))],
          [`${dir}/applications/storage.yaml`, toYaml(storageApplication(cluster))],
          ...environments.map((e): [string, string] => [
            `${dir}/applications/${e.name}.yaml`,
            toYaml(environmentApplication(e)),
          ]),
        ]
      : [
          ...(source ? [[`${dir}/gitrepository.yaml`, toYaml(source)] as [string, string]] : []),
          [`${dir}/access/storage.yaml`, toYaml(...storageAccess(cluster))],
          ...environments.map((e): [string, string] => [
            `${dir}/access/${e.name}.yaml`,
            toYaml(...environmentAccess(e)),
          ]),
          [`${dir}/kustomizations/storage.yaml`, toYaml(storageKustomization(cluster))],
          ...environments.map((e): [string, string] => [
            `${dir}/kustomizations/${e.name}.yaml`,
            toYaml(...environmentKustomizations(e, own(localKinds, e.name) === "Kustomization")),
          ]),
        ];
  // The folder `flux bootstrap` wrote stays listed, or Flux would stop managing itself.
  // So do the entries someone else wrote there, which the engine applied before this kustomization existed.
  const resources = [
    ...new Set([
      ...(fluxBootstrap && cluster.gitops.engine === "flux" ? [fluxBootstrap] : []),
      ...adopted,
      ...wiring.map(([path]) => path.slice(dir.length + 1)),
    ]),
  ];
  const files: [string, string][] = [
    // The cluster directory is what the bootstrap object syncs; its storage/ is synced by one owner below it.
    [`${dir}/kustomization.yaml`, toYaml({ ...KUSTOMIZATION, resources })],
    ...wiring,
    ...(cluster.gitops.engine === "argocd"
      ? [[`${dir}/argocd-cm-patch.yaml`, toYaml(argoSettingsPatch())] as [string, string]]
      : []),
    [`${dir}/storage/kustomization.yaml`, toYaml({ ...KUSTOMIZATION, resources: ["storageclass.yaml"] })],
    [`${dir}/storage/storageclass.yaml`, toYaml(localStorageClass(cluster))],
    [`${dir}/node-directories.md`, nodeDirectories(cluster, environments)],
  ];
  return files.map(([path, content]) => [path, content, cluster.source.file]);
}
