import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem, type RawItem } from "@infrastructor/lib/collect/parse-items.ts";

export interface VirshListEntry {
  /** The running domain's id; null (`-`) when it is not running. */
  domain_id: number | null;
  name: string;
  state: string;
}

const LIST_STATES = "running|idle|paused|in shutdown|shut off|crashed|pmsuspended|blocked|dying|no state";

/**
 * `virsh list --all`: a header, a dashed rule, then ` Id   Name   State` rows (names have no spaces).
 * No header is PARSE_FAILED (not virsh's listing: an error message); a row that is not `Id Name State`
 * is an item error named by its second field, the other rows are read.
 */
export function parseVirshList(text: string): ItemsParse<VirshListEntry> {
  const lines = text.split("\n");
  const rule = lines.findIndex((l) => /^-{3,}\s*$/.test(l.trim()));
  if (rule < 0 || !/^\s*Id\s+Name\s+State\s*$/.test(lines[rule - 1] ?? "")) {
    throw parseFailed("virsh list", "no `Id Name State` header", { line: 1, excerpt: lines[0] ?? "" });
  }
  const rows: RawItem<string>[] = [];
  for (let i = rule + 1; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (raw.trim() === "") continue;
    rows.push({ name: raw.trim().split(/\s+/)[1] ?? null, line: i + 1, text: raw, input: raw });
  }
  return parseEachItem(rows, ({ input: raw, line }) => {
    const match = new RegExp(`^\\s*(\\d+|-)\\s+(\\S+)\\s+(${LIST_STATES})\\s*$`).exec(raw);
    if (match === null)
      throw parseFailed("virsh list", "row is not `Id Name State`", {
        line: line ?? undefined,
        excerpt: raw,
      });
    return {
      domain_id: match[1] === "-" ? null : Number(match[1]),
      name: match[2] ?? "",
      state: match[3] ?? "",
    };
  });
}

export interface VirshDominfo {
  name: string;
  state: string;
  vcpus: number;
  memory_max_bytes: number;
  memory_bytes: number;
  /** Accumulated CPU time; absent for a domain that is not running. */
  cpu_time_s: number | null;
}

/** `virsh dominfo <name>`: `Key: value` lines; memory in KiB. */
export function parseVirshDominfo(text: string): VirshDominfo {
  const fields = new Map<string, { value: string; line: number }>();
  for (const [index, raw] of text.split("\n").entries()) {
    if (raw.trim() === "") continue;
    const match = /^([A-Za-z][A-Za-z ()]*):\s*(.*)$/.exec(raw);
    if (match === null)
      throw parseFailed("virsh dominfo", "line is not `Key: value`", { line: index + 1, excerpt: raw });
    fields.set(match[1] ?? "", { value: (match[2] ?? "").trim(), line: index + 1 });
  }
  const get = (key: string): string => {
    const field = fields.get(key);
    if (field === undefined) throw parseFailed("virsh dominfo", `${key} missing`);
    return field.value;
  };
  const kib = (key: string): number => {
    const match = /^(\d+) KiB$/.exec(get(key));
    if (match === null)
      throw parseFailed("virsh dominfo", `${key} is not N KiB`, {
        line: fields.get(key)?.line,
        excerpt: get(key),
      });
    return Number(match[1]) * 1024;
  };
  const cpus = get("CPU(s)");
  if (!/^\d+$/.test(cpus))
    throw parseFailed("virsh dominfo", "CPU(s) is not a number", {
      line: fields.get("CPU(s)")?.line,
      excerpt: cpus,
    });
  const cpuTime = fields.get("CPU time")?.value;
  const seconds = cpuTime === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(cpuTime)?.[1];
  if (seconds === undefined) throw parseFailed("virsh dominfo", "CPU time is not Ns", { excerpt: cpuTime });
  return {
    name: get("Name"),
    state: get("State"),
    vcpus: Number(cpus),
    memory_max_bytes: kib("Max memory"),
    memory_bytes: kib("Used memory"),
    cpu_time_s: seconds === null ? null : Number(seconds),
  };
}

export interface DomainStats {
  name: string;
  /** virDomainState number. */
  state: number;
  cpu_time_ns: number | null;
  balloon_current_bytes: number | null;
  balloon_maximum_bytes: number | null;
  vcpus: number | null;
}

/**
 * `virsh domstats`: `Domain: 'name'` blocks of `  key=value` lines. Keys we do not use are skipped.
 * A block with a line that cannot be read is an item error named by its domain; the lines up to the
 * next `Domain:` belong to it, so they never land in a neighbour's figures.
 */
export function parseVirshDomstats(text: string): ItemsParse<DomainStats> {
  const blocks: RawItem<{ line: number; raw: string }[]>[] = [];
  for (const [index, raw] of text.split("\n").entries()) {
    if (raw.trim() === "") continue;
    // Stats are indented: a line that is not starts a block, even one damaged past reading its name.
    if (!/^\s/.test(raw) || blocks.length === 0) {
      const header = /^Domain: '(.+)'\s*$/.exec(raw);
      blocks.push({ name: header?.[1] ?? null, line: index + 1, text: raw, input: [] });
    }
    blocks.at(-1)?.input.push({ line: index + 1, raw });
  }
  return parseEachItem(blocks, domainStats);
}

function domainStats(block: RawItem<{ line: number; raw: string }[]>): DomainStats {
  const [first, ...fields] = block.input;
  if (block.name === null || first === undefined) {
    throw parseFailed("virsh domstats", "a block that does not start with `Domain: 'name'`", {
      line: first?.line,
      excerpt: first?.raw ?? "",
    });
  }
  const current: DomainStats = {
    name: block.name,
    state: 0,
    cpu_time_ns: null,
    balloon_current_bytes: null,
    balloon_maximum_bytes: null,
    vcpus: null,
  };
  for (const { line, raw } of fields) {
    const where = { line, excerpt: raw };
    const field = /^\s+([a-z0-9_.]+)=(.*)$/.exec(raw);
    if (field === null)
      throw parseFailed("virsh domstats", "line is neither `Domain: 'name'` nor `  key=value`", where);
    const [, key = "", value = ""] = field;
    const number = (): number => {
      if (!/^\d+$/.test(value)) throw parseFailed("virsh domstats", `${key} is not a number`, where);
      return Number(value);
    };
    if (key === "state.state") current.state = number();
    else if (key === "cpu.time") current.cpu_time_ns = number();
    else if (key === "balloon.current") current.balloon_current_bytes = number() * 1024;
    else if (key === "balloon.maximum") current.balloon_maximum_bytes = number() * 1024;
    else if (key === "vcpu.current") current.vcpus = number();
  }
  return current;
}
