// Argo CD's source override files (.argocd-source.yaml, .argocd-source-<app>.yaml) at an Application's path
// change what it applies behind kustomize's back: validate refuses them, naming the file; Flux ignores them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli, exampleRepo, remove, writeFile } from "./helpers";

const OVERRIDE = "kustomize:\n  images:\n    - apache/kafka:9.9.9\n";

interface Finding {
  rule: string;
  severity: string;
  message: string;
  file: string;
}

async function errorsWith(files: Record<string, string>): Promise<{ code: number; errors: Finding[] }> {
  const root = exampleRepo({ withTree: true });
  for (const [path, content] of Object.entries(files)) writeFile(root, path, content);
  const result = await cli("validate", "--root", root, "--format", "json");
  remove(root);
  return {
    code: result.code,
    errors: (JSON.parse(result.out).findings as Finding[]).filter((f) => f.severity === "error"),
  };
}

test("an .argocd-source.yaml and an .argocd-source-<app>.yaml in an Argo CD overlay are refused, each by name", async () => {
  const { code, errors } = await errorsWith({
    "overlays/logs/.argocd-source.yaml": OVERRIDE,
    "overlays/logs/.argocd-source-kafka-logs.yaml": OVERRIDE,
  });
  assert.is(code, 1);
  assert.equal(
    errors.map((f) => [f.rule, f.file, f.message]),
    ["overlays/logs/.argocd-source-kafka-logs.yaml", "overlays/logs/.argocd-source.yaml"].map((file) => [
      "gitops-source-override",
      "clusters/prod-east/applications/logs.yaml",
      `${file}: Argo CD merges it into the source of Application kafka-logs, so what it applies is not what \`kubectl kustomize overlays/logs\` renders and validate checks`,
    ]),
  );
});

test("the same file in a Flux overlay is not flagged: kustomize-controller never reads it", async () => {
  const { code, errors } = await errorsWith({ "overlays/dev/.argocd-source.yaml": OVERRIDE });
  assert.equal(errors, []);
  assert.is(code, 0);
});

test.run();
