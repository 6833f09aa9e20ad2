import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { LOGS_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse logs <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("logs", import.meta.dir, LOGS_PARSE_SOURCES);
