import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { UPDATES_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse updates <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("updates", import.meta.dir, UPDATES_PARSE_SOURCES);
