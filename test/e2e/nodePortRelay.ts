// A node's NodePort, as kube-proxy provides it, for the end-to-end tests (no iptables here): run inside the node's
// network namespace, it accepts on NODE_IP:NODE_PORT and relays each connection to the Pod's target port.
// Usage: node nodePortRelay.js LISTEN_IP LISTEN_PORT TARGET_IP TARGET_PORT READY_FILE
import { writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";

const [listenIp, listenPort, targetIp, targetPort, readyFile] = process.argv.slice(2);
const server = createServer((client) => {
  const upstream = connect(Number(targetPort), targetIp);
  client.pipe(upstream).pipe(client);
  // A refused or reset side closes the other, as a dropped NAT entry would.
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
});
server.listen(Number(listenPort), listenIp, () => writeFileSync(readyFile, `${listenIp}:${listenPort}\n`));
