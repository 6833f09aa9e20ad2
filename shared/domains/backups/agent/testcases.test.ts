import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { BACKUPS_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse backups <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("backups", import.meta.dir, BACKUPS_PARSE_SOURCES);
