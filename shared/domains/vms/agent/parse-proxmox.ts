import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { nameFrom, parseJsonItems } from "@infrastructor/lib/collect/parse-json-items.ts";
import { z } from "zod";
import type { Vm } from "../schema.ts";
import { vmState } from "./vm-state.ts";

const SOURCE = "pvesh get /cluster/resources";

/** The documented fields of /cluster/resources entries of type qemu and lxc (others are skipped). */
const ResourceSchema = z.object({
  type: z.string(),
  vmid: z.number().int().nonnegative().optional(),
  name: z.string().optional(),
  node: z.string().optional(),
  status: z.string().optional(),
  template: z.number().int().optional(),
  maxcpu: z.number().nonnegative().optional(),
  cpu: z.number().nonnegative().optional(),
  mem: z.number().nonnegative().optional(),
  maxmem: z.number().nonnegative().optional(),
  uptime: z.number().nonnegative().optional(),
});

/**
 * `pvesh get /cluster/resources --type vm --output-format json`: guests of every node; templates and
 * other resource types skipped. An entry of the wrong shape (or without vmid) is an item error named
 * by its name or vmid; the other guests are read.
 */
export function parsePveshResources(text: string): ItemsParse<Vm> {
  const parsed = parseJsonItems(text, {
    source: SOURCE,
    element: ResourceSchema,
    name: (raw) => nameFrom(raw, "name", "vmid", "id"),
    convert: (e, index): Vm | null => {
      if (e.type !== "qemu" && e.type !== "lxc") return null;
      if (e.template === 1) return null;
      if (e.vmid === undefined) throw parseFailed(SOURCE, `entry ${index} has no vmid`);
      const state = vmState(e.status ?? "unknown");
      const running = state === "running";
      return {
        id: String(e.vmid),
        name: (e.name ?? String(e.vmid)).slice(0, 255),
        type: e.type === "lxc" ? ("lxc" as const) : ("vm" as const),
        state,
        state_detail: (e.status ?? "unknown").slice(0, 64),
        vcpus: e.maxcpu === undefined ? null : Math.round(e.maxcpu),
        memory_bytes: running && e.mem !== undefined ? Math.round(e.mem) : null,
        memory_max_bytes: e.maxmem === undefined ? null : Math.round(e.maxmem),
        uptime_s: running ? (e.uptime ?? null) : null,
        // `cpu` is the fraction of maxcpu in use.
        cpu_pct: running && e.cpu !== undefined ? Math.min(100, Math.round(e.cpu * 10_000) / 100) : null,
        node: e.node?.slice(0, 255) ?? null,
      };
    },
  });
  return { items: parsed.items.filter((vm): vm is Vm => vm !== null), errors: parsed.errors };
}

/** `qm list`: VMID NAME STATUS MEM(MB) BOOTDISK(GB) PID, fixed columns, names without spaces. */
export function parseQmList(text: string): ItemsParse<Vm> {
  return tableRows("qm list", text, /^\s*VMID\s+NAME\s+STATUS\s+MEM\(MB\)/, (fields, where) => {
    const [vmid, name, status, memMb] = fields;
    if (fields.length < 5 || !/^\d+$/.test(vmid ?? "") || !/^\d+$/.test(memMb ?? "")) {
      throw parseFailed("qm list", "row is not `VMID NAME STATUS MEM(MB) BOOTDISK(GB) PID`", where);
    }
    return guest(vmid ?? "", name ?? "", "vm", status ?? "", Number(memMb) * 1024 * 1024);
  });
}

/** `pct list`: VMID Status [Lock] Name; Lock is often empty, so the name is the last field. */
export function parsePctList(text: string): ItemsParse<Vm> {
  return tableRows("pct list", text, /^\s*VMID\s+Status\s+Lock\s+Name/, (fields, where) => {
    const [vmid, status] = fields;
    if (fields.length < 3 || fields.length > 4 || !/^\d+$/.test(vmid ?? "")) {
      throw parseFailed("pct list", "row is not `VMID Status [Lock] Name`", where);
    }
    return guest(vmid ?? "", fields[fields.length - 1] ?? "", "lxc", status ?? "", null);
  });
}

function guest(vmid: string, name: string, type: Vm["type"], status: string, memMax: number | null): Vm {
  return {
    id: vmid,
    name: name.slice(0, 255),
    type,
    state: vmState(status),
    state_detail: status.slice(0, 64),
    vcpus: null,
    memory_bytes: null,
    memory_max_bytes: memMax,
    uptime_s: null,
    cpu_pct: null,
    node: null,
  };
}

/** Rows after the header line, each on its own: a row that cannot be read is an item error. */
function tableRows(
  source: string,
  text: string,
  header: RegExp,
  row: (fields: string[], where: { line: number; excerpt: string }) => Vm,
): ItemsParse<Vm> {
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  // No guests: both tools print nothing at all.
  if (first < 0) return { items: [], errors: [] };
  if (!header.test(lines[first] ?? "")) {
    throw parseFailed(source, "no header line", { line: first + 1, excerpt: lines[first] ?? "" });
  }
  const rows = lines.flatMap((raw, index) => {
    if (index <= first || raw.trim() === "") return [];
    const fields = raw.trim().split(/\s+/);
    return [{ name: fields[0] ?? null, line: index + 1, text: raw, input: fields }];
  });
  return parseEachItem(rows, (r) => row(r.input, { line: r.line ?? 0, excerpt: r.text }));
}
