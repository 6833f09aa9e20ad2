import { type ProcLine, procLines } from "@infrastructor/domains/system/agent/proc-lines.ts";
import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { CpuInfo } from "../schema.ts";

const SOURCE = "/proc/cpuinfo";

/** One `processor` block: its number, the keys it printed, and its x86 topology when it has one. */
interface Block {
  at: ProcLine;
  keys: Set<string>;
  physicalId: string | null;
  siblings: number | null;
}

/**
 * Parses /proc/cpuinfo: blocks of `key<TAB>: value` lines separated by blank lines, one block per
 * logical CPU (x86), plus on ARM a trailing block without `processor` describing the board (`Hardware`,
 * `Model`). Refused as not one whole dump: a line without a colon or a text without its final newline
 * (cut mid-line), a processor block without its closing blank line (cut at a line end), a processor number or a key within a block printed twice (two dumps run together), a
 * processor block with other keys than the first (cut inside a block), and on x86 a socket with fewer
 * processor blocks than its `siblings` count (cut between blocks): a short file would undercount cores.
 */
export function parseCpuinfo(text: string): CpuInfo {
  let model: string | null = null;
  let boardModel: string | null = null;
  let hardware: string | null = null;
  let hypervisor = false;
  const blocks: Block[] = [];
  const numbers = new Map<string, number>();
  let block: Block | null = null;
  let previousLine = 0;
  const cores = new Set<string>();
  for (const at of procLines(text, SOURCE)) {
    const where = { line: at.line, excerpt: at.text };
    // A blank line (a gap in the numbering) ends the block; board lines after it belong to none.
    if (at.line > previousLine + 1) block = null;
    previousLine = at.line;
    if (block !== null && at.text.startsWith("processor")) {
      throw parseFailed(SOURCE, "a processor block without its closing blank line", where);
    }
    const colon = at.text.indexOf(":");
    if (colon < 0) throw parseFailed(SOURCE, "line is not `key : value`", where);
    const key = at.text.slice(0, colon).trim();
    const value = at.text.slice(colon + 1).trim();
    if (key === "processor") {
      if (!/^\d+$/.test(value)) throw parseFailed(SOURCE, "processor is not a number", where);
      const first = numbers.get(value);
      if (first !== undefined) {
        throw parseFailed(SOURCE, `processor ${value} appears again (first at line ${first})`, where);
      }
      numbers.set(value, at.line);
      block = { at, keys: new Set(), physicalId: null, siblings: null };
      blocks.push(block);
    }
    if (block !== null) {
      if (block.keys.has(key)) throw parseFailed(SOURCE, `\`${key}\` twice in one processor block`, where);
      block.keys.add(key);
    }
    switch (key) {
      case "model name":
        model ??= nonEmpty(value);
        break;
      case "Model":
        boardModel ??= nonEmpty(value);
        break;
      case "Hardware":
        hardware ??= nonEmpty(value);
        break;
      case "flags":
        if (value.split(/\s+/).includes("hypervisor")) hypervisor = true;
        break;
      case "physical id":
        if (block !== null) block.physicalId = value;
        break;
      case "siblings":
        if (block !== null && /^\d+$/.test(value)) block.siblings = Number(value);
        break;
      case "core id":
        // Core ids repeat across sockets, so a core is the pair.
        cores.add(`${block?.physicalId ?? ""}/${value}`);
        break;
    }
  }
  if (blocks.length === 0) throw parseFailed(SOURCE, "no processor entry");
  // Both x86 and arm64 end every processor block with a blank line: without one, the last was cut.
  if (block !== null && !text.endsWith("\n\n")) {
    throw parseFailed(SOURCE, "the last processor block has no closing blank line: cut short?", {
      line: previousLine,
    });
  }
  checkWhole(blocks);
  const sockets = new Set(blocks.flatMap((b) => (b.physicalId === null ? [] : [b.physicalId])));
  return {
    model: (model ?? boardModel ?? hardware)?.slice(0, 255) ?? null,
    logical_cores: blocks.length,
    physical_cores: cores.size > 0 ? cores.size : null,
    sockets: sockets.size > 0 ? sockets.size : null,
    hypervisor_flag: hypervisor,
  };
}

/** Every processor block prints the same keys; on x86 each socket lists `siblings` blocks. */
function checkWhole(blocks: readonly Block[]): void {
  const [first] = blocks;
  if (first === undefined) return;
  const expected = [...first.keys].sort().join("\n");
  for (const b of blocks) {
    if ([...b.keys].sort().join("\n") !== expected) {
      throw parseFailed(SOURCE, "a processor block has other fields than the first: cut short?", {
        line: b.at.line,
        excerpt: b.at.text,
      });
    }
  }
  const perSocket = new Map<string, { count: number; siblings: number | null; at: ProcLine }>();
  for (const b of blocks) {
    if (b.physicalId === null) continue;
    const entry = perSocket.get(b.physicalId) ?? { count: 0, siblings: b.siblings, at: b.at };
    entry.count += 1;
    perSocket.set(b.physicalId, entry);
  }
  for (const [id, { count, siblings, at }] of perSocket) {
    if (siblings !== null && count !== siblings) {
      throw parseFailed(
        SOURCE,
        `physical id ${id} lists ${count} processors but says siblings ${siblings}: cut short?`,
        { line: at.line, excerpt: at.text },
      );
    }
  }
}

function nonEmpty(value: string): string | null {
  return value === "" ? null : value;
}
