// The Apache Kafka releases the end-to-end tests run on: installed by scripts/kafka/install.sh (from Maven
// Central, pinned in scripts/kafka/versions.txt) into .kafka/<version>/, never downloaded by a test.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const REPOSITORY = resolve(__dirname, "..", "..", "..");
const VERSIONS = join(REPOSITORY, "scripts", "kafka", "versions.txt");
const INSTALLER = join(REPOSITORY, "scripts", "kafka", "install.sh");
const POM = join(REPOSITORY, "scripts", "kafka", "pom.xml");

/** The pinned versions, oldest line first: [3.9.x, 4.x]. */
export function pinnedVersions(): string[] {
  return readFileSync(VERSIONS, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

/** The installation directory of the pinned release of `line` ("3.9" or "4"). */
export function kafkaHome(line: "3.9" | "4"): { version: string; home: string } {
  const version = pinnedVersions().find((v) => v === line || v.startsWith(`${line}.`));
  if (!version) throw new Error(`${VERSIONS} pins no Kafka ${line}.x release`);
  const home = join(REPOSITORY, ".kafka", version);
  return { version, home };
}

/** The digest install.sh writes into each installation's marker: an installation by another revision is stale. */
function installerDigest(): string {
  return createHash("sha256").update(readFileSync(INSTALLER)).update(readFileSync(POM)).digest("hex");
}

/** Why the Kafka end-to-end tests cannot run, or undefined when every pinned release is installed. */
export function missingInstallation(): string | undefined {
  const recipe = installerDigest();
  const missing = pinnedVersions().filter((version) => {
    const marker = join(REPOSITORY, ".kafka", version, "INSTALLED");
    return !existsSync(marker) || readFileSync(marker, "utf8").trim() !== `${version} ${recipe}`;
  });
  return missing.length
    ? `Kafka ${missing.join(", ")} not installed in ${join(REPOSITORY, ".kafka")} by this revision of scripts/kafka/install.sh: run npm run kafka:install (needs Maven)`
    : undefined;
}
