import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { SYSTEM_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse system <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("system", import.meta.dir, SYSTEM_PARSE_SOURCES);
