import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import type { DeviceRef } from "./device-ref.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { parseScan } from "./parse-scan.ts";
import { parseSmartctlText } from "./parse-text.ts";
import type { SmartctlResult } from "./smartctl-result.ts";
import { toDrive } from "./to-drive.ts";

/**
 * `agent parse smart <source> < FILE`: the drive as the agent would send it (with its verdict). The
 * device path and -d type come from the JSON's top-level `device` object (never from the first
 * `"name"` anywhere: attribute entries have names too); the exit status from the JSON (text has none).
 */
const STDIN: DeviceRef = { device: "(stdin)", type: "auto" };

export const SMART_PARSE_SOURCES: ParseSources = {
  "smartctl-json": {
    describe: "smartctl -a -j -n standby DEVICE (smartmontools >= 7)",
    parse: (text) => {
      const result = parseSmartctlJson(text);
      return asDrive(result, result.device ?? STDIN);
    },
  },
  "smartctl-text": {
    describe: "smartctl -i -H -A -n standby DEVICE (smartmontools < 7)",
    parse: (text) => asDrive(parseSmartctlText(text), STDIN),
  },
  scan: { describe: "smartctl --scan-open -j (or --scan-open without -j)", parse: parseScan },
};

function asDrive(result: SmartctlResult, ref: DeviceRef): unknown {
  return { smartctl_version: result.version, drive: toDrive(ref, result, null) };
}
