import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";

/** Where the next read starts: after a journal cursor, or at a byte offset of one syslog file. */
export const LogPositionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("journal"), cursor: z.string().min(1).max(1024) }),
  z.object({
    kind: z.literal("syslog"),
    path: z.string().min(1).max(4096),
    inode: z.number().int().nonnegative(),
    offset: z.number().int().nonnegative(),
  }),
]);
export type LogPosition = z.infer<typeof LogPositionSchema>;

/**
 * The agent's own memory of the read position, not something read from the host: it lives in the
 * agent's state dir, so this is node:fs and not the Executor (the MCP live fallback passes a memory store).
 */
export interface PositionStore {
  load(): Promise<LogPosition | null>;
  save(position: LogPosition): Promise<void>;
}

export function memoryPositionStore(initial: LogPosition | null = null): PositionStore {
  let current = initial;
  return {
    load: async (): Promise<LogPosition | null> => current,
    save: async (position): Promise<void> => {
      current = position;
    },
  };
}

/** A small JSON file, replaced atomically (write, then rename) so a crash never leaves half of one. */
export function filePositionStore(file: string): PositionStore {
  return {
    async load(): Promise<LogPosition | null> {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (err) {
        if ((err as { code?: string }).code === "ENOENT") return null;
        throw new AppError(ErrorCode.READ_FAILED, `cannot read ${file}`, { cause: err });
      }
      const parsed = LogPositionSchema.safeParse(safeJson(text));
      if (!parsed.success) {
        throw new AppError(ErrorCode.PARSE_FAILED, `${file} is not a log position; starting afresh`);
      }
      return parsed.data;
    },
    async save(position): Promise<void> {
      try {
        await mkdir(dirname(file), { recursive: true });
        const tmp = `${file}.tmp`;
        await writeFile(tmp, `${JSON.stringify(position)}\n`, { mode: 0o600 });
        await rename(tmp, file);
      } catch (err) {
        throw new AppError(ErrorCode.INTERNAL, `cannot write ${file}`, { cause: err });
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
