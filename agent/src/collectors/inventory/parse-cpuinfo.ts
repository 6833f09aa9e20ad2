import type { CpuInfo } from "@infrastructor/shared/schemas/inventory.ts";
import { parseFailed } from "../../lib/parse-error.ts";

const SOURCE = "/proc/cpuinfo";

/**
 * Parses /proc/cpuinfo: blocks of `key<TAB>: value` lines, one block per logical CPU (x86), plus on ARM
 * a trailing block without `processor` describing the board (`Hardware`, `Model`). A non-empty line
 * without a colon is refused: it means the input is not cpuinfo or was cut mid-line.
 */
export function parseCpuinfo(text: string): CpuInfo {
  let processors = 0;
  let model: string | null = null;
  let boardModel: string | null = null;
  let hardware: string | null = null;
  let hypervisor = false;
  let physicalId: string | null = null;
  const cores = new Set<string>();
  const sockets = new Set<string>();
  for (const [index, raw] of text.split("\n").entries()) {
    if (raw.trim() === "") continue;
    const colon = raw.indexOf(":");
    if (colon < 0) throw parseFailed(SOURCE, "line is not `key : value`", { line: index + 1, excerpt: raw });
    const key = raw.slice(0, colon).trim();
    const value = raw.slice(colon + 1).trim();
    switch (key) {
      case "processor":
        if (!/^\d+$/.test(value)) {
          throw parseFailed(SOURCE, "processor is not a number", { line: index + 1, excerpt: raw });
        }
        processors += 1;
        physicalId = null;
        break;
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
        physicalId = value;
        sockets.add(value);
        break;
      case "core id":
        // Core ids repeat across sockets, so a core is the pair.
        cores.add(`${physicalId ?? ""}/${value}`);
        break;
    }
  }
  if (processors === 0) throw parseFailed(SOURCE, "no processor entry");
  return {
    model: (model ?? boardModel ?? hardware)?.slice(0, 255) ?? null,
    logical_cores: processors,
    physical_cores: cores.size > 0 ? cores.size : null,
    sockets: sockets.size > 0 ? sockets.size : null,
    hypervisor_flag: hypervisor,
  };
}

function nonEmpty(value: string): string | null {
  return value === "" ? null : value;
}
