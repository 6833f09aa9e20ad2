import { DomainSchemas } from "@infrastructor/shared/domains.ts";

/** Environment that turns off every agent domain but `system`, for tests about the pipeline itself. */
export function onlySystemDomain(): Record<string, string> {
  const others = Object.keys(DomainSchemas).filter((d) => d !== "system");
  return Object.fromEntries(others.map((d) => [`INFRA_${d.toUpperCase()}_ENABLED`, "false"]));
}
