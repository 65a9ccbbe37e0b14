// kafka-overlays schema: prints the JSON Schema of the environment documents.
import { Command } from "../command";

export const command: Command = {
  name: "schema",
  summary: "print the JSON Schema of the environments/*.yaml documents",
  about: "Prints the JSON Schema of the environments/*.yaml documents (kind: Cluster and kind: Environment) on stdout.",
  options: {},
  async run(_options, io) {
    io.out(JSON.stringify((await import("../../spec/schema")).documentSchema, null, 2));
    return 0;
  },
};
