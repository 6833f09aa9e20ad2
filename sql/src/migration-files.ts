import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Flavor } from "./flavor.ts";

/** One migration as it applies to a database of one flavor. */
export interface MigrationFile {
  /** `YYYY-MM-DD-NN-name`, the order of application. */
  id: string;
  /** The file chosen: `<id>.sql` (both flavors) or `<id>.<flavor>.sql`. */
  fileName: string;
  text: string;
  /** sha256 of the file's bytes, hex: a migration edited after it was applied no longer matches. */
  checksum: string;
}

const NAME = /^(\d{4}-\d{2}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(timescaledb|postgres))?\.sql$/;

interface Variants {
  shared?: string;
  timescaledb?: string;
  postgres?: string;
}

/**
 * Lists the migrations of `dir` for `flavor`, in order. Refuses (CONFIG_INVALID) a `.sql` file whose name
 * is not a migration name, a flavor pair with one half missing or also a shared file, and two migrations
 * with the same `YYYY-MM-DD-NN`: each of those would apply something other than what its author meant.
 */
export async function loadMigrations(dir: string, flavor: Flavor): Promise<MigrationFile[]> {
  const byId = groupById(await listSqlFiles(dir));
  const ids = [...byId.keys()].sort();
  const prefixes = new Map<string, string>();
  const files: MigrationFile[] = [];
  for (const id of ids) {
    const prefix = id.slice(0, 13);
    const other = prefixes.get(prefix);
    if (other !== undefined) {
      throw invalid(`migrations ${other} and ${id} share the sequence ${prefix}`, { ids: [other, id] });
    }
    prefixes.set(prefix, id);
    const fileName = chooseFile(id, byId.get(id) ?? {}, flavor);
    const bytes = await readFile(join(dir, fileName)).catch((err: unknown) => {
      throw new AppError(ErrorCode.READ_FAILED, `cannot read migration ${fileName}`, { cause: err });
    });
    files.push({
      id,
      fileName,
      text: bytes.toString("utf8"),
      checksum: createHash("sha256").update(bytes).digest("hex"),
    });
  }
  return files;
}

async function listSqlFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && e.name.endsWith(".sql")).map((e) => e.name);
  } catch (err) {
    throw new AppError(ErrorCode.READ_FAILED, `cannot list migrations in ${dir}`, { cause: err });
  }
}

function groupById(names: string[]): Map<string, Variants> {
  const byId = new Map<string, Variants>();
  for (const name of names) {
    const match = NAME.exec(name);
    const id = match?.[1];
    if (id === undefined) {
      throw invalid(`${name} is not a migration name (YYYY-MM-DD-NN-name[.timescaledb|.postgres].sql)`, {
        fileName: name,
      });
    }
    const variant = (match?.[2] as Flavor | undefined) ?? "shared";
    byId.set(id, { ...byId.get(id), [variant]: name });
  }
  return byId;
}

function chooseFile(id: string, variants: Variants, flavor: Flavor): string {
  const { shared, timescaledb, postgres } = variants;
  if (shared !== undefined && (timescaledb !== undefined || postgres !== undefined)) {
    throw invalid(`migration ${id} has both a shared file and a flavor file`, { id });
  }
  if (shared !== undefined) return shared;
  if (timescaledb === undefined || postgres === undefined) {
    throw invalid(`migration ${id} needs both ${id}.timescaledb.sql and ${id}.postgres.sql`, { id });
  }
  return flavor === "timescaledb" ? timescaledb : postgres;
}

function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError(ErrorCode.CONFIG_INVALID, message, { details });
}
