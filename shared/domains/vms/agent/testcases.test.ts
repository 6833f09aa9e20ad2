import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { VMS_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse vms <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("vms", import.meta.dir, VMS_PARSE_SOURCES);
