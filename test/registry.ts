// An npm registry on 127.0.0.1 serving the packages already installed in this repository's node_modules/, so a
// test can run a real `npm install` without the network.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { AddressInfo } from "node:net";
import { join, relative } from "node:path";

export interface Registry {
  url: string;
  close(): Promise<void>;
}

interface Packument {
  name: string;
  "dist-tags": { latest: string };
  versions: Record<string, unknown>;
}

const MANIFEST_FIELDS = [
  "name",
  "version",
  "dependencies",
  "optionalDependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "bin",
  "engines",
  "os",
  "cpu",
  "license",
];

/** Packages installed under repo (all of them, or only the production closure). */
export function installedPackages(repo: string, production: boolean): string[] {
  const args = ["ls", "--all", "--parseable", ...(production ? ["--omit=dev"] : [])];
  const out = execFileSync("npm", args, {
    cwd: repo,
    encoding: "utf8",
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "ignore"],
  });
  return out.trim().split("\n").slice(1);
}

/** The environment without npm_* variables an outer `npm test` sets (they would steer the inner npm). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))), ...extra };
}

/** The tarball npm downloaded for a package-lock entry, from npm's content-addressed cache, when it is there. */
function cachedTarball(
  lock: Record<string, { integrity?: string }>,
  cache: string,
  key: string,
): { file: string; integrity: string } | undefined {
  const integrity = lock[key]?.integrity;
  if (!integrity?.startsWith("sha512-")) return undefined;
  const hex = Buffer.from(integrity.slice(7), "base64").toString("hex");
  const file = join(cache, "_cacache", "content-v2", "sha512", hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  return existsSync(file) ? { file, integrity } : undefined;
}

/** Serves each package as npm fetched it (so lockfile integrities hold), or packed from its installed files. */
export async function startRegistry(repo: string, packageDirs: string[], scratch: string): Promise<Registry> {
  const packuments = new Map<string, Packument>();
  const tarballs = new Map<string, string>();
  const server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? "/").split("?")[0]).slice(1);
    if (tarballs.has(path)) {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.end(readFileSync(tarballs.get(path)!));
      return;
    }
    const packument = packuments.get(path);
    response.writeHead(packument ? 200 : 404, { "content-type": "application/json" });
    response.end(JSON.stringify(packument ?? { error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")).packages ?? {};
  const cache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8", env: cleanEnv() }).trim();
  for (const dir of packageDirs) {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = `-/${manifest.name.replace("/", "__")}-${manifest.version}.tgz`;
    const cached = cachedTarball(lock, cache, relative(repo, dir));
    const tarball = cached?.file ?? join(scratch, file.slice(2));
    if (!cached)
      execFileSync("tar", [
        "-czf",
        tarball,
        "--exclude=./node_modules",
        "--transform",
        "s,^\\.,package,",
        "-C",
        dir,
        ".",
      ]);
    const bytes = readFileSync(tarball);
    tarballs.set(file, tarball);
    const entry: Packument = packuments.get(manifest.name) ?? {
      name: manifest.name,
      "dist-tags": { latest: manifest.version },
      versions: {},
    };
    entry.versions[manifest.version] = {
      ...Object.fromEntries(MANIFEST_FIELDS.filter((k) => manifest[k] !== undefined).map((k) => [k, manifest[k]])),
      dist: {
        tarball: `${url}${file}`,
        shasum: createHash("sha1").update(bytes).digest("hex"),
        integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
      },
    };
    packuments.set(manifest.name, entry);
  }
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
