import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { SMART_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse smart <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("smart", import.meta.dir, SMART_PARSE_SOURCES);
