import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { parseEachItem, type RawItem } from "@infrastructor/lib/collect/parse-items.ts";
import { parseJson } from "@infrastructor/lib/collect/parse-json.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";
import type { DeviceRef } from "./device-ref.ts";

const SOURCE = "smartctl --scan-open";

export interface ScanEntry extends DeviceRef {
  /** Set when `--scan-open` could not open the device (smartctl's words). */
  open_error: string | null;
}

export interface ScanResult {
  version: string | null;
  devices: ScanEntry[];
  /** Entries or lines of the scan that could not be read; the other devices are still read. */
  errors: ItemError[];
}

const ScanJsonSchema = z.looseObject({
  smartctl: z.looseObject({ version: z.array(z.number().int()).max(4).optional() }),
  // Absent when nothing was found (smartctl 7.3 on a VM's virtio disk).
  devices: z.array(z.unknown()).max(1024).optional(),
});

const ScanEntrySchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  open_error: z.string().optional(),
});

/**
 * `smartctl --scan-open -j` (JSON) or, before smartmontools 7, `smartctl --scan-open` (text). One
 * unreadable entry or line is that entry's ItemError: the other disks are still read. Output that is
 * not a scan at all (cut-off JSON, the wrong document) is PARSE_FAILED.
 */
export function parseScan(text: string): ScanResult {
  if (text.trimStart().startsWith("{")) return parseScanJson(text);
  return parseScanText(text);
}

function parseScanJson(text: string): ScanResult {
  const scan = parseJson(SOURCE, text, ScanJsonSchema);
  const raw: RawItem<unknown>[] = (scan.devices ?? []).map((entry) => ({
    name: nameOf(entry),
    line: null,
    text: (JSON.stringify(entry) ?? "").slice(0, 200),
    input: entry,
  }));
  const { items, errors } = parseEachItem(raw, (item) => {
    const checked = ScanEntrySchema.safeParse(item.input);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw parseFailed(
        SOURCE,
        `devices entry: ${issue?.path.join(".") || "entry"}: ${issue?.message ?? ""}`,
      );
    }
    const d = checked.data;
    return { device: d.name, type: d.type, open_error: d.open_error ?? null };
  });
  return { version: scan.smartctl.version?.join(".") ?? null, devices: items, errors };
}

function nameOf(entry: unknown): string | null {
  const name = typeof entry === "object" && entry !== null ? (entry as { name?: unknown }).name : undefined;
  return typeof name === "string" ? name : null;
}

/** `/dev/sda -d sat # /dev/sda [SAT], ATA device`; a device it could not open is commented out. */
const TEXT_LINE = /^(#\s*)?(\/dev\/\S+) -d (\S+) #\s*(.*)$/;

function parseScanText(text: string): ScanResult {
  const raw: RawItem<string>[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() !== "")
      raw.push({ name: /\/dev\/\S+/.exec(line)?.[0] ?? null, line: i + 1, text: line, input: line });
  });
  const { items, errors } = parseEachItem(raw, (item) => {
    const m = TEXT_LINE.exec(item.input.trim());
    if (m?.[2] === undefined || m[3] === undefined) {
      throw parseFailed(SOURCE, "not a `DEVICE -d TYPE # INFO` line", {
        line: item.line ?? 0,
        excerpt: item.input,
      });
    }
    return { device: m[2], type: m[3], open_error: m[1] === undefined ? null : (m[4] ?? "open failed") };
  });
  return { version: null, devices: items, errors };
}
