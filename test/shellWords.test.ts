// Shell words as the shell groups them, read one way by command lines, sed edits and start-script guards:
// each quoting form, and each case the former splitting got wrong.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cloneDeep } from "lodash";
import { commandWords, overrideArguments, sedEdits, shellCommands } from "../generator/model/shell";
import { parseManifests } from "../generator/manifests/parse";
import { K8sObject } from "../generator/manifests/types";
import { runRules } from "../generator/validate/engine";
import { RULES } from "../generator/validate/rules";
import { REPO } from "./helpers";

const words = (text: string) => shellCommands(text).flat();

test("single quotes keep everything literal, backslashes and dollars included", () => {
  assert.equal(words(`echo 'a b' 'c\\d $E "f"'`), ["echo", "a b", 'c\\d $E "f"']);
});

test('double quotes group spaces; a backslash in them escapes only " \\ $ and `', () => {
  assert.equal(words(String.raw`echo "a \"b\" \$HOME \\ \x \`"`), ["echo", 'a "b" $HOME \\ \\x `']);
  assert.equal(words(`echo "it's"`), ["echo", "it's"]);
});

test("an unquoted backslash escapes the next character, and joins a line with the next", () => {
  assert.equal(words(String.raw`a\ b c\\d \'e`), ["a b", "c\\d", "'e"]);
  assert.equal(words("start \\\n  --x=1 fo\\\no"), ["start", "--x=1", "foo"]);
});

test("$((…)), $(…), ${…} and backquotes stay one word, unexpanded, whatever spaces and quotes they hold", () => {
  assert.equal(words("--override broker.id=$((${HOSTNAME##*-} + 1))"), [
    "--override",
    "broker.id=$((${HOSTNAME##*-} + 1))",
  ]);
  assert.equal(words('id=$(hostname | cut -d- -f2) x=${NAME:-"a b"} y="$(echo ")")" z=`hostname -s`'), [
    "id=$(hostname | cut -d- -f2)",
    'x=${NAME:-"a b"}',
    'y=$(echo ")")',
    "z=`hostname -s`",
  ]);
});

test("quoted and unquoted pieces of one word join; empty quotes are an empty word", () => {
  assert.equal(words(`--opt="a b"'c d'e "" f`), ["--opt=a bc de", "", "f"]);
});

test("commands end at ; && || | & and newlines outside quotes; redirections are no separators", () => {
  assert.equal(shellCommands("a 1; b && c || d | e & f\ng"), [["a", "1"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]);
  assert.equal(shellCommands(`echo "a;b" 'c&&d' 2>&1 &>/dev/null`), [["echo", "a;b", "c&&d", "2>&1", "&>/dev/null"]]);
});

test("command lines: an argv entry without spaces is one word as given; sh -c strings are split as before", () => {
  assert.equal(commandWords(["kafka", "--x='y'", "sh -c", "exec a --b=1; echo ok"]), [
    "kafka",
    "--x='y'",
    "sh",
    "-c",
    "exec",
    "a",
    "--b=1",
    "echo",
    "ok",
  ]);
});

test("formerly wrong: a quoted value inside a word kept its quotes, and a quoted value with a space was cut in two", () => {
  const argv = ["sh", "-c", `exec start --override listeners="PLAINTEXT://:9092" --override 'a=b c'`];
  assert.equal(overrideArguments(commandWords(argv)), [
    { key: "listeners", value: "PLAINTEXT://:9092" },
    { key: "a", value: "b c" },
  ]);
});

test("formerly wrong: arithmetic with spaces was cut into three words", () => {
  const argv = ["sh", "-c", "exec start --override broker.id=$((${HOSTNAME##*-} + 1))"];
  assert.equal(overrideArguments(commandWords(argv)), [{ key: "broker.id", value: "$((${HOSTNAME##*-} + 1))" }]);
});

test("formerly wrong: a sed edit followed by `&& cmd` took the last word of the line as its file", () => {
  const { edits } = sedEdits("sed -i 's/a/b/' /config/server.properties && echo done\n");
  assert.equal(
    edits.map((e) => e.file),
    ["/config/server.properties"],
  );
});

test("formerly wrong: an unquoted backslash reached sed; the shell removes it (s/a\\.b/ is s/a.b/ to sed)", () => {
  const { edits } = sedEdits("sed -i s/a\\.b/c/ /config/x\n");
  assert.equal(
    edits.map((e) => [e.file, e.pattern.source, e.replacement]),
    [["/config/x", "a.b", "c"]],
  );
});

const FILE = "test/fixtures/minimal/manifests.yaml";
const minimal = parseManifests(readFileSync(join(REPO, FILE), "utf8"), { file: FILE });

/** zookeeper-client-auth on the minimal deployment, ZooKeeper enforcing SASL, the brokers' login set by a script. */
function clientAuth(script: string): string[] {
  const manifests = cloneDeep(minimal);
  const find = (kind: string, name: string) =>
    manifests.find((m) => m.object.kind === kind && m.object.metadata.name === name)!.object as K8sObject & {
      data: Record<string, string>;
    };
  const zoo = find("ConfigMap", "zk");
  zoo.data["zoo.cfg"] +=
    "authProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\nenforce.auth.enabled=true\nenforce.auth.schemes=sasl\n";
  find("ConfigMap", "broker").data["start.sh"] = `#!/bin/sh\n${script}\n`;
  const broker = find("StatefulSet", "broker") as unknown as {
    spec: { template: { spec: { containers: { env?: { name: string; value: string }[] }[] } } };
  };
  const container = broker.spec.template.spec.containers[0];
  container.env = [...(container.env ?? []), { name: "ZK_LOGIN", value: "1" }];
  const rule = RULES.find((r) => r.id === "zookeeper-client-auth")!;
  return runRules([{ name: FILE, manifests }], [rule]).map(({ finding }) => finding.messageId!);
}

test('formerly unread: a one-line `if [ -n "$VAR" ]; then …; fi` guard is evaluated like a written-out one', () => {
  const login = 'export KAFKA_OPTS="-Djava.security.auth.login.config=/etc/kafka/jaas.conf"';
  assert.equal(clientAuth(`if [ -n "$ZK_LOGIN" ]; then\n  ${login}\nfi`), ["loginWithoutAcl"]);
  assert.equal(clientAuth(`if [ -n "$ZK_LOGIN" ]; then ${login}; fi`), ["loginWithoutAcl"]);
  assert.equal(clientAuth(`if [ -n "$ZK_LOGIN" ] && [ -f /x ]; then ${login}; fi`), ["loginUnknown"]);
});

test.run();
