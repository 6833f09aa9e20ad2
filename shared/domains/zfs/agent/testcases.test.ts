import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { ZFS_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse zfs <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("zfs", import.meta.dir, ZFS_PARSE_SOURCES);
