import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NETWORK_SENT_MAX, NetworkDataSchema } from "@infrastructor/domains/network/schema.ts";
import { onlySystemDomain } from "@infrastructor/lib/testing/only-system.ts";
import { startTestNats } from "@infrastructor/lib/testing/servers.ts";
import { startTcpRelay, type TcpRelay } from "@infrastructor/lib/testing/tcp-relay.ts";
import { connect, type NatsConnection } from "nats";
import { createTestStream, readStream, waitFor } from "./stream.ts";

/**
 * Issue 12 item 4: a local user opens thousands of listening sockets, the network sample grows past
 * the NATS server's default max_payload (1 MiB), and the agent used to retry that one message forever,
 * publishing nothing else. Here a real agent process runs in a network namespace of its own, where a
 * helper holds 9,900 sockets on a long IPv6 address under a 15-character process name (about 110 bytes
 * of JSON each: over 1 MiB, yet under the schema's 10,000 limit); NATS is a real server at its defaults.
 */
const MAIN = join(import.meta.dir, "../src/main.ts");
const HOLDER = join(import.meta.dir, "socket-holder.ts");
const ADDRESS = "fd00:1234:5678:9abc:def0:1234:5678:9abc";
const TCP = 5_000;
const UDP = 4_900;
const WAIT_MS = 120_000;

const n = 1 + Math.floor(Math.random() * 250);
const netns = `infra-socks-${process.pid}`;
const [outside, inside] = [`vs${n}h${process.pid % 1000}`, `vs${n}n${process.pid % 1000}`];
const gateway = `10.233.${n}.1`;
let dir: string;
let nats: Awaited<ReturnType<typeof startTestNats>>;
let relay: TcpRelay;
let nc: NatsConnection;
let holder: Bun.Subprocess<"pipe", "pipe", "pipe"> | null = null;
let agent: Bun.Subprocess<"ignore", "pipe", "pipe"> | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-oversized-"));
  nats = await startTestNats();
  nc = await connect({ servers: nats.url });
  await createTestStream(nc);
  await sh(["ip", "netns", "add", netns]);
  await sh(["ip", "link", "add", outside, "type", "veth", "peer", "name", inside]);
  await sh(["ip", "link", "set", inside, "netns", netns]);
  await sh(["ip", "addr", "add", `${gateway}/30`, "dev", outside]);
  await sh(["ip", "link", "set", outside, "up"]);
  await sh(["ip", "netns", "exec", netns, "ip", "addr", "add", `10.233.${n}.2/30`, "dev", inside]);
  await sh(["ip", "netns", "exec", netns, "ip", "link", "set", inside, "up"]);
  await sh(["ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"]);
  await sh(["ip", "netns", "exec", netns, "ip", "-6", "addr", "add", `${ADDRESS}/128`, "dev", "lo"]);
  relay = await startTcpRelay(gateway, () => nats.port);
}, WAIT_MS);

afterAll(async () => {
  agent?.kill("SIGKILL");
  await agent?.exited;
  holder?.kill("SIGKILL");
  await holder?.exited;
  await nc?.close();
  await relay?.close();
  await sh(["ip", "netns", "del", netns]).catch(() => undefined); // takes the veth pair with it
  await nats?.destroy();
  await rm(dir, { recursive: true, force: true });
});

test(
  "a network sample over 1 MiB no longer stops the agent: it arrives trimmed, with a count, and the other domains go on",
  async () => {
    // ss names a socket's owner by its command name: a link named like a long program gives every line 15 characters.
    const program = join(dir, "sockholder-long");
    await symlink(process.execPath, program);
    holder = Bun.spawn(["ip", "netns", "exec", netns, program, HOLDER, ADDRESS, String(TCP), String(UDP)], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const firstLine = await readFirstLine(holder.stdout);
    expect(firstLine).toBe(`ready ${TCP} ${UDP}`);

    const config = join(dir, "agent.json");
    await writeFile(config, "{}");
    agent = Bun.spawn(["ip", "netns", "exec", netns, "bun", MAIN], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PATH: process.env.PATH ?? "",
        INFRA_AGENT_CONFIG: config,
        INFRA_LOG_LEVEL: "warn",
        INFRA_HOST: "sockets",
        INFRA_SPOOL_DIR: join(dir, "spool"),
        NATS_URL: `nats://${gateway}:${relay.port}`,
        ...onlySystemDomain(),
        INFRA_NETWORK_ENABLED: "true",
        INFRA_NETWORK_INTERVAL_S: "1",
        INFRA_SYSTEM_INTERVAL_S: "0.5",
      },
    });

    // Two network samples and system samples after them: nothing is stuck behind the big one.
    const arrived = async (): Promise<boolean> => {
      const stored = (await readStream(nc, "sockets")).map((s) => s.envelope);
      const network = stored.filter((e) => e.domain === "network");
      const lastNetwork = stored.lastIndexOf(network[1] as never);
      return network.length >= 2 && stored.slice(lastNetwork).some((e) => e.domain === "system");
    };
    await waitFor(arrived, WAIT_MS, "two network samples and a system sample after them");

    const stored = (await readStream(nc, "sockets")).map((s) => s.envelope);
    const network = stored.filter((e) => e.domain === "network");
    expect(network.map((e) => e.seq).slice(0, 2)).toEqual([0, 1]);
    for (const envelope of network) {
      expect(envelope.errors).toEqual([]);
      const data = NetworkDataSchema.parse(envelope.data);
      if (!data.listening.ok) throw new Error(`listening failed: ${JSON.stringify(data.listening)}`);
      expect(data.listening.value).toHaveLength(NETWORK_SENT_MAX.listening);
      expect(data.listening.value.length + (data.listening.truncated ?? 0)).toBe(TCP + UDP);
      expect(data.listening.value[0]).toMatchObject({ address: ADDRESS, process: "sockholder-long" });
    }
    const system = stored.filter((e) => e.domain === "system").map((e) => e.seq);
    expect(system).toEqual(system.map((_, i) => i));
  },
  WAIT_MS + 30_000,
);

async function readFirstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk);
    if (text.includes("\n")) break;
  }
  return text.split("\n")[0] ?? "";
}

async function sh(argv: string[]): Promise<void> {
  const proc = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}: ${stderr}`);
}
