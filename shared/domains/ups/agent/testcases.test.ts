import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { UPS_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse ups <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("ups", import.meta.dir, UPS_PARSE_SOURCES);
