import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseUpsc, parseUpscList } from "./parse-upsc.ts";

/** `agent parse ups <source> < FILE`. */
export const UPS_PARSE_SOURCES: ParseSources = {
  "upsc-list": { describe: "upsc -l", parse: parseUpscList },
  upsc: { describe: "upsc NAME", parse: parseUpsc },
};
