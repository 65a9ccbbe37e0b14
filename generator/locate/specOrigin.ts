// Maps a finding on a generated overlay back to the Environment or Cluster document field that produced
// the value, so that a person edits the spec, not a "Do not edit" file. Only files that are exactly what
// the current spec generates qualify: a hand edit or a user's own file keeps its rendered location.
import { existsSync } from "node:fs";
import { readRepositoryFile } from "../repositoryFile";
import { join } from "node:path";
import { NAMES } from "../layout";
import { K8sObject } from "../manifests/types";
import { InputError } from "../problems";
import type { Tree } from "../emit/tree";
import { readLocalKinds } from "../emit/write";
import { FieldPath, SourceDocument, formatField, parseDocuments } from "../spec/documents";
import { ENVIRONMENTS_DIR, readSpecFiles } from "../spec/load";
import { resolveFleet } from "../spec/resolve";
import { kafkaConfigDefaults } from "../spec/defaults";
import { Environment, Fleet, ROLES, Role } from "../spec/types";
import { Location } from "./locator";
import { Pointer } from "../validate/rule";

export interface SpecLocation {
  file: string;
  line: number;
  column: number;
  field: string;
}

interface Origin {
  document: "environment" | "cluster";
  /** Candidate fields, most specific first: the first one the document writes wins, else the last. */
  paths: FieldPath[];
}

interface Subject {
  object: K8sObject;
  role?: Role;
  ordinal?: number;
  field?: string;
  configKey?: string;
  written: (path: FieldPath) => boolean;
}

/** Which spec field produced which rendered value: [object kind, field pattern, origin]. First match wins. */
const TABLE: { kind?: string; field?: RegExp; configKey?: boolean; origin: (s: Subject) => Origin | undefined }[] = [
  { configKey: true, origin: configOrigin },
  {
    kind: "PersistentVolume",
    field: /^spec\.nodeAffinity/,
    origin: (s) => environment([s.role!, "placement", s.ordinal!]),
  },
  { kind: "PersistentVolume", field: /^spec\.local\.path/, origin: (s) => environment([s.role!, "storage", "path"]) },
  { kind: "PersistentVolume", field: /^spec\.capacity/, origin: (s) => environment([s.role!, "storage", "size"]) },
  {
    kind: "PersistentVolume",
    field: /^spec\.storageClassName/,
    origin: () => ({ document: "cluster", paths: [["storageClassName"]] }),
  },
  {
    kind: "Service",
    // A broker Service's one spec-derived port value is its nodePort: a finding on the whole port list (a change
    // of how clients reach the broker) is about the same field.
    field: /\.nodePort$|^spec\.ports$/,
    origin: (s) => (s.ordinal !== undefined ? environment(["kafka", "external", "nodePortBase"]) : undefined),
  },
  {
    kind: "StatefulSet",
    field: /^spec\.replicas$|^spec\.template\.spec\.containers$/,
    origin: (s) => environment([s.role!, "replicas"]),
  },
  {
    kind: "StatefulSet",
    field: /\.resources\.limits\.memory$/,
    origin: (s) => environment([s.role!, "heap"], [s.role!, "resources", "limits", "memory"]),
  },
  { kind: "StatefulSet", field: /\.resources(\.|$)/, origin: (s) => environment([s.role!, "resources"]) },
  { kind: "StatefulSet", field: /\.image$/, origin: (s) => environment([s.role!, "image"]) },
  { kind: "StatefulSet", field: /^spec\.updateStrategy/, origin: (s) => environment([s.role!, "updateStrategy"]) },
];

function environment(...paths: FieldPath[]): Origin {
  return { document: "environment", paths };
}

/** A key the user wrote; else the field its default follows from (replication factors from kafka.replicas, server.N from zookeeper.replicas). */
function configOrigin(s: Subject): Origin {
  const key = s.configKey!;
  const written = [
    [s.role!, "config", key],
    [s.role!, "configUnchecked", key],
  ].find(s.written);
  if (written) return environment(written);
  if (s.role === "kafka" && kafkaConfigDefaults(1)[key] !== kafkaConfigDefaults(3)[key])
    return environment(["kafka", "replicas"]);
  if (/^server\.\d+$/.test(key)) return environment(["zookeeper", "replicas"]);
  return environment([s.role!, "config", key]);
}

export class SpecOrigins {
  private tree?: Tree;
  private upToDate = new Map<string, boolean>();
  private documents = new Map<string, SourceDocument>();
  private fleet?: Fleet;

  private loaded = false;

  constructor(private readonly root: string) {}

  /** Reads the documents on the first finding: a clean run pays nothing for the mapping. */
  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (!existsSync(join(this.root, ENVIRONMENTS_DIR))) return;
    const files = readSpecFiles(this.root);
    try {
      this.fleet = resolveFleet(files);
    } catch (error) {
      if (error instanceof InputError) return; // validate reports the spec's own problems elsewhere
      throw error;
    }
    for (const { file, text } of files) {
      for (const document of parseDocuments(file, text).documents) {
        const { kind, name } = document.data as { kind: string; name: string };
        this.documents.set(`${kind}/${name}`, document);
      }
    }
  }

  /** The spec field behind a finding on `environmentName`'s overlay, when its rendered file is what the spec generates. */
  locate(
    environmentName: string | undefined,
    object: K8sObject | undefined,
    at: Pointer | undefined,
    rendered: Location,
  ): SpecLocation | undefined {
    if (!environmentName || !object || !rendered.file?.startsWith(`overlays/${environmentName}/`)) return undefined;
    this.load();
    const environment = this.fleet?.environments.find((e) => e.name === environmentName);
    if (!environment || !this.isGenerated(rendered.file, environment)) return undefined;
    const envDocument = this.documents.get(`Environment/${environment.name}`);
    if (!envDocument) return undefined;
    const subject: Subject = {
      object,
      ...identify(object, environment.name),
      field: at && "field" in at ? at.field : undefined,
      configKey: at && "configKey" in at ? at.configKey : undefined,
      written: (path) => envDocument.has(path),
    };
    if (!subject.role) return undefined;
    const row = TABLE.find((r) =>
      r.configKey
        ? subject.configKey !== undefined
        : r.kind === object.kind && (!r.field || (subject.field !== undefined && r.field.test(subject.field))),
    );
    const origin = row?.origin(subject);
    if (!origin) return undefined;
    const document =
      origin.document === "environment" ? envDocument : this.documents.get(`Cluster/${environment.cluster.name}`);
    if (!document) return undefined;
    const path = origin.paths.find((p) => document.has(p)) ?? origin.paths[origin.paths.length - 1];
    const { line, column } = document.position(path);
    return { file: document.file, line, column, field: formatField(path) };
  }

  /**
   * Whether the rendered file is the spec's doing: it lies under overlays/<env>/ (not local/), and the base, that
   * overlay and the cluster's directory are exactly what the current spec generates (a hand edit anywhere in them
   * could be the cause instead).
   */
  private isGenerated(file: string, environment: Environment): boolean {
    const overlay = `overlays/${environment.name}/`;
    if (!file.startsWith(overlay) || file.startsWith(`${overlay}local/`) || !this.fleet) return false;
    if (!this.upToDate.has(environment.name)) {
      // The renderer is loaded on the first finding only: a clean run (and validate --help) never needs it.
      const { renderTree } = require("../emit/tree") as typeof import("../emit/tree");
      const { readFluxBootstraps } = require("../emit/bootstrap") as typeof import("../emit/bootstrap");
      this.tree ??= renderTree({
        fleet: this.fleet,
        localKinds: readLocalKinds(
          this.root,
          this.fleet.environments.map((e) => e.name),
        ),
        fluxBootstraps: readFluxBootstraps(this.root, this.fleet.clusters),
      });
      const scope = ["base/", overlay, `clusters/${environment.cluster.name}/`];
      const paths = [...this.tree.keys()].filter((path) => scope.some((prefix) => path.startsWith(prefix)));
      const same = (path: string) => {
        const absolute = join(this.root, path);
        return existsSync(absolute) && readRepositoryFile(this.root, absolute) === this.tree!.get(path);
      };
      this.upToDate.set(environment.name, paths.every(same));
    }
    return this.tree!.has(file) && this.upToDate.get(environment.name)!;
  }
}

/** Role and ordinal of a generated object, from the names layout.ts gives them. */
function identify(object: K8sObject, environmentName: string): { role?: Role; ordinal?: number } {
  const name = object.metadata.name;
  for (const role of ROLES) {
    const volume = new RegExp(`^${NAMES.volume(environmentName, role, 0).replace(/0$/, "")}(\\d+)$`).exec(name);
    if (object.kind === "PersistentVolume" && volume) return { role, ordinal: Number(volume[1]) };
    if (object.kind === "StatefulSet" && name === NAMES.statefulSet(role)) return { role };
    if (
      object.kind === "ConfigMap" &&
      (name.startsWith(`${NAMES.configConfigMap(role)}-`) || name === NAMES.configConfigMap(role))
    )
      return { role };
  }
  const broker = new RegExp(`^${NAMES.brokerService(0).replace(/0$/, "")}(\\d+)$`).exec(name);
  return object.kind === "Service" && broker ? { role: "kafka", ordinal: Number(broker[1]) } : {};
}
