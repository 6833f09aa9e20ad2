import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { INVENTORY_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse inventory <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("inventory", import.meta.dir, INVENTORY_PARSE_SOURCES);
