import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { NETWORK_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse network <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("network", import.meta.dir, NETWORK_PARSE_SOURCES);
