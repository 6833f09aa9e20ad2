import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import {
  type NumberedLine,
  refuseIfNothingRead,
  wholeLines,
} from "@infrastructor/lib/collect/whole-lines.ts";
import type { ListeningPort } from "../schema.ts";

const SOURCE = "ss";

/**
 * `ss -Htlnp` and `ss -Hulnp` (also `ss -Htulnp`, whose first column is the protocol): one socket per
 * line, `State Recv-Q Send-Q Local:Port Peer:Port [users:(("name",pid=N,fd=M),...)]`. TCP listeners are
 * in state LISTEN, bound UDP sockets in UNCONN; that tells the protocol when no Netid column is there.
 * A socket line that cannot be read is an item error beside the others; a header line (ss without -H),
 * output cut mid-line, or output of which no line is a socket is refused as a whole.
 */
export function parseSs(text: string): ItemsParse<ListeningPort> {
  const lines = wholeLines(text, SOURCE).filter((at) => at.text.trim() !== "");
  for (const at of lines) {
    if (/^(Netid\s+)?State\s+Recv-Q\s+Send-Q\b/.test(at.text.trim())) {
      throw parseFailed(SOURCE, "a header line: ss ran without -H", { line: at.line, excerpt: at.text });
    }
  }
  const parsed = parseEachItem(
    lines.map((at) => ({ name: localOf(at.text), line: at.line, text: at.text, input: at })),
    ({ input }) => parseLine(input),
  );
  refuseIfNothingRead(SOURCE, parsed);
  return parsed;
}

/** The Local:Port column, as the item's name. */
function localOf(raw: string): string | null {
  const fields = raw.trim().split(/\s+/);
  if (fields[0] === "tcp" || fields[0] === "udp") fields.shift();
  return fields[3] ?? null;
}

function parseLine(at: NumberedLine): ListeningPort {
  const raw = at.text;
  const where = { line: at.line, excerpt: raw };
  const fields = raw.trim().split(/\s+/);
  const netid = fields[0] === "tcp" || fields[0] === "udp" ? fields.shift() : undefined;
  const [state, recvQ, sendQ, local, peer] = fields;
  if (local === undefined || peer === undefined || !/^\d+$/.test(recvQ ?? "") || !/^\d+$/.test(sendQ ?? "")) {
    throw parseFailed(SOURCE, "line is not `State Recv-Q Send-Q Local Peer [Process]`", where);
  }
  const protocol = netid ?? (state === "LISTEN" ? "tcp" : state === "UNCONN" ? "udp" : undefined);
  if (protocol !== "tcp" && protocol !== "udp") throw parseFailed(SOURCE, `unknown state ${state}`, where);
  const endpoint = splitEndpoint(local);
  if (endpoint === null) throw parseFailed(SOURCE, `local address ${local} is not ADDRESS:PORT`, where);
  const owner = firstUser(fields.slice(5).join(" "));
  return { protocol, ...endpoint, ...owner };
}

/** `0.0.0.0:22`, `[::]:22`, `*:22`, `127.0.0.53%lo:53`, `[fe80::1%eth0]:123`; the interface is dropped. */
function splitEndpoint(text: string): { address: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^\s[\]]+)):(\d{1,5}|\*)$/.exec(text);
  if (match === null) return null;
  const host = (match[1] ?? match[2] ?? "").replace(/%.*$/, "");
  const port = match[3] === "*" ? 0 : Number(match[3]);
  if (host === "" || port > 65535) return null;
  return { address: host, port };
}

/** The first owner of `users:(("sshd",pid=612,fd=3),("sshd",pid=700,fd=3))`; null when ss shows none. */
function firstUser(text: string): { process: string | null; pid: number | null } {
  const match = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(text);
  if (match === null) return { process: null, pid: null };
  return { process: (match[1] ?? "").slice(0, 255), pid: Number(match[2]) };
}
