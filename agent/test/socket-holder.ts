/**
 * Opens TCP listeners and bound UDP sockets on one address, as a local user could, then prints
 * `ready <tcp> <udp>` and holds them until stdin closes. Run inside a test's network namespace only.
 * Usage: bun socket-holder.ts ADDRESS TCP_COUNT UDP_COUNT
 */
const [address = "", tcpArg = "0", udpArg = "0"] = process.argv.slice(2);
const tcpCount = Number(tcpArg);
const udpCount = Number(udpArg);
if (address === "" || !Number.isSafeInteger(tcpCount) || !Number.isSafeInteger(udpCount)) {
  console.error("usage: socket-holder.ts ADDRESS TCP_COUNT UDP_COUNT");
  process.exit(2);
}
const tcp = Array.from({ length: tcpCount }, () =>
  Bun.listen({ hostname: address, port: 0, socket: { data(): void {} } }),
);
const udp = await Promise.all(
  Array.from({ length: udpCount }, () => Bun.udpSocket({ hostname: address, port: 0 })),
);
console.log(`ready ${tcp.length} ${udp.length}`);
for await (const _ of Bun.stdin.stream()) {
  // Holds the sockets until the test closes stdin.
}
for (const s of tcp) s.stop(true);
for (const s of udp) s.close();

export {};
