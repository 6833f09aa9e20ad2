import type { ZfsPoolStatus } from "@infrastructor/shared/schemas/zfs.ts";
import { VdevTreeReader } from "./parse-vdev-tree.ts";
import { parseScan } from "./parse-zpool-scan.ts";
import { fail, type Where } from "./zfs-values.ts";

const SOURCE = "zpool status";
/** Entry names are right-aligned in the first 8 columns (`  pool:`, ` state:`, `errors:`). */
const KEY = /^ {0,8}([a-z]+):(?:[ \t](.*))?$/;
const KEYS = new Set([
  "pool",
  "id",
  "state",
  "status",
  "action",
  "see",
  "scan",
  "scrub",
  "remove",
  "checkpoint",
  "config",
  "errors",
]);
const HEADER = /^(\s*)NAME\s+STATE\s+READ\s+WRITE\s+CKSUM\s*$/;

interface Draft {
  name: string;
  start: Where;
  state: string | null;
  status: string[];
  action: string[];
  scan: { first: string; more: string[]; where: Where } | null;
  config: { where: Where; phase: "header" | "rows" | "done"; reader: VdevTreeReader | null } | null;
  errors: string[];
}

/**
 * Parses `zpool status -p` (all pools, one block each). Continuation lines (indented) extend the entry
 * above them; the `config:` table goes to VdevTreeReader. An entry it does not know is skipped only if
 * it is one zpool is known to print; a line it cannot place is PARSE_FAILED with its number.
 */
export function parseZpoolStatus(text: string): ZfsPoolStatus[] {
  if (text.trim() === "no pools available") return [];
  const pools: ZfsPoolStatus[] = [];
  let draft: Draft | null = null;
  let key: string | null = null;
  for (const [index, line] of text.split("\n").entries()) {
    const where: Where = { source: SOURCE, line: index + 1, text: line };
    const entry = KEY.exec(line);
    if (entry?.[1] !== undefined && KEYS.has(entry[1]) && !inTable(draft, line)) {
      if (draft?.config?.phase === "rows") draft.config.phase = "done";
      key = entry[1];
      const value = (entry[2] ?? "").trim();
      if (key === "pool") {
        if (draft) pools.push(finish(draft));
        draft = newDraft(value, where);
      } else if (draft === null) throw fail(where, "expected `pool:` first");
      else addEntry(draft, key, value, where);
      continue;
    }
    if (draft === null) {
      if (line.trim() === "") continue;
      throw fail(where, "expected `pool:` first");
    }
    if (key === "config" && draft.config !== null) {
      addConfigLine(draft.config, line, where);
      continue;
    }
    if (line.trim() === "") {
      key = null;
      continue;
    }
    if (!/^\s/.test(line) || key === null) throw fail(where, "unrecognized line");
    if (key === "status") draft.status.push(line.trim());
    else if (key === "action") draft.action.push(line.trim());
    else if ((key === "scan" || key === "scrub") && draft.scan) draft.scan.more.push(line.trim());
    else if (key === "errors") draft.errors.push(line.trim());
    else if (key !== "see" && key !== "remove" && key !== "checkpoint")
      throw fail(where, "unrecognized line");
  }
  if (draft) pools.push(finish(draft));
  return pools;
}

/** A vdev row is indented at least like the table header; entry names (`errors:`) are not. */
function inTable(draft: Draft | null, line: string): boolean {
  const config = draft?.config;
  return config?.phase === "rows" && config.reader !== null && line.startsWith(config.reader.indent);
}

function newDraft(name: string, where: Where): Draft {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) throw fail(where, `not a pool name: ${name}`);
  return { name, start: where, state: null, status: [], action: [], scan: null, config: null, errors: [] };
}

function addEntry(draft: Draft, key: string, value: string, where: Where): void {
  if (key === "state") draft.state = value;
  else if (key === "status") draft.status.push(value);
  else if (key === "action") draft.action.push(value);
  else if (key === "scan" || key === "scrub") draft.scan = { first: value, more: [], where };
  else if (key === "config") draft.config = { where, phase: "header", reader: null };
  else if (key === "errors") draft.errors.push(value);
}

function addConfigLine(config: NonNullable<Draft["config"]>, line: string, where: Where): void {
  if (config.phase === "header") {
    if (line.trim() === "") return;
    const header = HEADER.exec(line);
    if (!header) throw fail(where, "expected the `NAME STATE READ WRITE CKSUM` header");
    config.reader = new VdevTreeReader(header[1] ?? "");
    config.phase = "rows";
  } else if (config.phase === "rows") {
    if (line.trim() === "") config.phase = "done";
    else config.reader?.add(line, where);
  } else if (line.trim() !== "") {
    throw fail(where, "unexpected line after the vdev table");
  }
}

function finish(draft: Draft): ZfsPoolStatus {
  if (draft.state === null || !/^[A-Z][A-Z_]*$/.test(draft.state)) {
    throw fail(draft.start, `pool ${draft.name} has no valid state: line`);
  }
  const vdevs = draft.config?.reader?.result() ?? [];
  if (draft.config && vdevs.length === 0) throw fail(draft.config.where, "config: without a vdev table");
  const errorsText = draft.errors.length === 0 ? null : draft.errors.join("\n").slice(0, 4096);
  return {
    name: draft.name,
    state: draft.state,
    status_text: joined(draft.status),
    action_text: joined(draft.action),
    scan: draft.scan
      ? parseScan(draft.scan.first, draft.scan.more, draft.scan.where)
      : parseScan("none requested", [], draft.start),
    vdevs,
    errors_text: errorsText,
    data_errors: dataErrors(draft.errors),
  };
}

function joined(parts: string[]): string | null {
  return parts.length === 0 ? null : parts.join(" ").slice(0, 4096);
}

function dataErrors(lines: string[]): number | null {
  for (const line of lines) {
    if (line === "No known data errors") return 0;
    const m = /^(\d+) data errors/.exec(line);
    if (m) return Number(m[1]);
  }
  return null;
}
