import type { Compose } from "../schema.ts";

/** The labels Docker Compose (v2, and podman-compose) sets on every container it creates. */
const PROJECT = "com.docker.compose.project";
const SERVICE = "com.docker.compose.service";
const WORKING_DIR = "com.docker.compose.project.working_dir";
const CONFIG_FILES = "com.docker.compose.project.config_files";
const DEPENDS_ON = "com.docker.compose.depends_on";

/**
 * Compose facts from a container's labels; null when the container was not made by Compose.
 * `depends_on` is `service:condition:restart` entries joined by commas (Compose 2.x); older
 * versions wrote bare service names, so the condition may be missing.
 */
export function composeFromLabels(labels: Readonly<Record<string, string>>): Compose | null {
  const project = labels[PROJECT];
  const service = labels[SERVICE];
  if (!project || !service) return null;
  return {
    project,
    service,
    working_dir: labels[WORKING_DIR] || null,
    config_files: splitList(labels[CONFIG_FILES]),
    depends_on: splitList(labels[DEPENDS_ON]).map((entry) => {
      const [name = "", condition] = entry.split(":");
      return { service: name, condition: condition || null };
    }),
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "" && !s.startsWith(":"));
}
