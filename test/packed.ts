// The package as `npm pack` makes it, its prepack and postpack steps included, from a copy of the files it ships
// (no TypeScript there, so the compiled dist/ is packed as built rather than compiled again under the tests).
import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { REPO, readFile, tempDir } from "./helpers";
import { cleanEnv } from "./registry";

export interface Packed {
  /** The tarball, in the destination directory. */
  tarball: string;
  /** The copy it was packed from (remove it when done). */
  source: string;
}

export function packTarball(destination: string): Packed {
  const listing = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO,
      encoding: "utf8",
      env: cleanEnv(),
      timeout: 60_000,
    }),
  );
  const source = tempDir();
  for (const { path } of listing[0].files as { path: string }[]) cpSync(join(REPO, path), join(source, path));
  cpSync(join(REPO, "scripts", "pack.js"), join(source, "scripts", "pack.js"));
  execFileSync("npm", ["pack", "--pack-destination", destination], {
    cwd: source,
    env: cleanEnv(),
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 120_000,
  });
  const { name, version } = JSON.parse(readFile(REPO, "package.json"));
  return { tarball: join(destination, `${name}-${version}.tgz`), source };
}
