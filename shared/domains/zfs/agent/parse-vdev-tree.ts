import type { ZfsVdev } from "../schema.ts";
import { fail, toCount, type Where } from "./zfs-values.ts";

const SECTIONS = new Set(["logs", "cache", "spares", "special", "dedup"]);

/**
 * Reads the `config:` table of `zpool status`. Depth is the indentation past the header's own, two
 * spaces per level; a one-word row at depth 0 (other than the pool) opens a section (logs, cache,
 * spares, special, dedup). Spares print no counters; whatever follows the counters is a note.
 */
export class VdevTreeReader {
  private readonly vdevs: ZfsVdev[] = [];
  private section: ZfsVdev["section"] = "data";

  /** @param indent the leading whitespace of the `NAME STATE READ WRITE CKSUM` header. */
  constructor(readonly indent: string) {}

  add(line: string, where: Where): void {
    if (!line.startsWith(this.indent)) throw fail(where, "vdev row is not indented like the header");
    const rest = line.slice(this.indent.length);
    const spaces = /^ */.exec(rest)?.[0].length ?? 0;
    if (spaces % 2 !== 0) throw fail(where, "vdev row indented by an odd number of spaces");
    const depth = spaces / 2;
    const fields = rest.trim().split(/\s+/);
    const [name = "", state] = fields;
    if (state === undefined) {
      if (depth !== 0 || !SECTIONS.has(name)) throw fail(where, `not a vdev row: ${rest.trim()}`);
      this.section = name as ZfsVdev["section"];
      this.vdevs.push(vdev(name, depth, this.section, null, null, null));
      return;
    }
    if (!/^[A-Z][A-Z_]*$/.test(state)) throw fail(where, `not a vdev state: ${state}`);
    // Spares print a state and maybe a remark (`INUSE currently in use`); every other row has counters.
    if (this.section === "spares" || fields.length === 2) {
      this.vdevs.push(vdev(name, depth, this.section, state, null, fields.slice(2).join(" ") || null));
      return;
    }
    const counters = {
      read_errors: toCount(fields[2], "READ", where),
      write_errors: toCount(fields[3], "WRITE", where),
      cksum_errors: toCount(fields[4], "CKSUM", where),
    };
    this.vdevs.push(vdev(name, depth, this.section, state, counters, fields.slice(5).join(" ") || null));
  }

  result(): ZfsVdev[] {
    return this.vdevs;
  }
}

function vdev(
  name: string,
  depth: number,
  section: ZfsVdev["section"],
  state: string | null,
  counters: Pick<ZfsVdev, "read_errors" | "write_errors" | "cksum_errors"> | null,
  note: string | null,
): ZfsVdev {
  return {
    name,
    depth,
    section,
    state,
    read_errors: counters?.read_errors ?? null,
    write_errors: counters?.write_errors ?? null,
    cksum_errors: counters?.cksum_errors ?? null,
    note,
  };
}
