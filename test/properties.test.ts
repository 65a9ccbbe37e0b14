// Java properties as java.util.Properties reads them: the generator writes every value so that it reads back
// as itself, and nothing the environment sets can join the lines the start script appends after it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { getProperties } from "properties-file";
import { propertyKey, propertyValue, readProperties } from "../generator/properties";
import { serverProperties } from "../generator/render/kafka";
import { KAFKA_START } from "../generator/render/scripts";
import { exampleFleet } from "./helpers";

/** Values Java would read otherwise if written as they are. */
const AWKWARD: Record<string, string> = {
  "ssl.keystore.location": "C:\\keys\\",
  "client.id": " leading space",
  "log.message.format": "a\\nb \\u0041",
  "sasl.mechanism": "#hash!bang=eq:colon",
  "metric.reporters": "tab\there",
};

/** What the start script appends to the copied server.properties, for broker 0 in ZooKeeper mode. */
function appendedLines(): string {
  const idLine = /echo "(broker\.id=\$broker_id)" >> "\$properties"/.exec(KAFKA_START)![1];
  const heredoc = /cat >> "\$properties" <<EOF\n([\s\S]*?)\nEOF\n/.exec(KAFKA_START)![1];
  return `${idLine}\n${heredoc}\n`.replace(/\$broker_id/g, "0");
}

test("server.properties reads back, key by key, as the environment set it", () => {
  const environment = exampleFleet().environments[0];
  environment.kafka.config = { ...environment.kafka.config, ...AWKWARD };
  const written = serverProperties(environment);
  const read = getProperties(written);
  for (const [key, value] of Object.entries(environment.kafka.config)) assert.is(read[key], String(value), key);
  assert.is(Object.keys(read).length, written.trim().split("\n").length);
});

test("a value ending in a backslash does not swallow the broker.id line the start script appends", () => {
  const environment = exampleFleet().environments[0];
  environment.kafka.config = { "zz.last": "ends\\" };
  const read = getProperties(serverProperties(environment) + appendedLines());
  assert.is(read["zz.last"], "ends\\");
  assert.is(read["broker.id"], "0");
  assert.is(read["inter.broker.listener.name"], "INTERNAL");
});

test("keys and values escaped for the writer read back as themselves", () => {
  const keys = ["plain.key", "with space", "a=b", "a:b", "#comment", "!bang", "back\\slash", "tab\tkey", "\u0001ctrl"];
  const values = ["", "plain", " lead", "trail\\", "\\\\", "line\nbreak", "\u2028sep", "x=y:z #!"];
  const text =
    keys.map((key, i) => `${propertyKey(key)}=${propertyValue(values[i % values.length])}`).join("\n") + "\nafter=1\n";
  const read = getProperties(text);
  keys.forEach((key, i) => assert.is(read[key], values[i % values.length], key));
  assert.is(read.after, "1");
});

test("the model reads continuation lines, every separator and escapes, in file order", () => {
  const text =
    "# comment\n! also\nlisteners=A://a:1,\\\n    B://b:2\nmin.insync.replicas 3\nlog.dirs:/data\nkey\\ with\\ space = v\\u0041\nlisteners=C://c:3\n";
  assert.equal(readProperties(text), [
    ["listeners", "C://c:3"],
    ["min.insync.replicas", "3"],
    ["log.dirs", "/data"],
    ["key with space", "vA"],
  ]);
  // Java refuses a malformed \uXXXX; the rest of the file is still read.
  assert.equal(readProperties("a=\\uZZ\nb=2\n"), [
    ["a", "uZZ"],
    ["b", "2"],
  ]);
});

test.run();
