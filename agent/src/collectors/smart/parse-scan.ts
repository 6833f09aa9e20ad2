import { z } from "zod";
import { parseFailed } from "../../lib/parse-error.ts";
import { parseJson } from "../../lib/parse-json.ts";
import type { DeviceRef } from "./device-ref.ts";

const SOURCE = "smartctl --scan-open";

export interface ScanEntry extends DeviceRef {
  /** Set when `--scan-open` could not open the device (smartctl's words). */
  open_error: string | null;
}

export interface ScanResult {
  version: string | null;
  devices: ScanEntry[];
}

const ScanJsonSchema = z.looseObject({
  smartctl: z.looseObject({ version: z.array(z.number().int()).max(4).optional() }),
  // Absent when nothing was found (smartctl 7.3 on a VM's virtio disk).
  devices: z
    .array(z.looseObject({ name: z.string(), type: z.string(), open_error: z.string().optional() }))
    .max(1024)
    .optional(),
});

/** `smartctl --scan-open -j` (JSON) or, before smartmontools 7, `smartctl --scan-open` (text). */
export function parseScan(text: string): ScanResult {
  if (text.trimStart().startsWith("{")) return parseScanJson(text);
  return parseScanText(text);
}

function parseScanJson(text: string): ScanResult {
  const scan = parseJson(SOURCE, text, ScanJsonSchema);
  return {
    version: scan.smartctl.version?.join(".") ?? null,
    devices: (scan.devices ?? []).map((d) => ({
      device: d.name,
      type: d.type,
      open_error: d.open_error ?? null,
    })),
  };
}

/** `/dev/sda -d sat # /dev/sda [SAT], ATA device`; a device it could not open is commented out. */
const TEXT_LINE = /^(#\s*)?(\/dev\/\S+) -d (\S+) #\s*(.*)$/;

function parseScanText(text: string): ScanResult {
  const devices: ScanEntry[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const m = TEXT_LINE.exec(line.trim());
    if (m?.[2] === undefined || m[3] === undefined) {
      throw parseFailed(SOURCE, "not a `DEVICE -d TYPE # INFO` line", { line: i + 1, excerpt: line });
    }
    devices.push({
      device: m[2],
      type: m[3],
      open_error: m[1] === undefined ? null : (m[4] ?? "open failed"),
    });
  });
  return { version: null, devices };
}
