import { walkTestcases } from "@infrastructor/lib/testing/walk-testcases.ts";
import { DOCKER_PARSE_SOURCES } from "./parse-sources.ts";

/** Every folder of testcases/ through `agent parse docker <input's name>` (shared/lib/testing/walk-testcases.ts). */
walkTestcases("docker", import.meta.dir, DOCKER_PARSE_SOURCES);
