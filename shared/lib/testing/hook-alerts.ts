import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { HttpReceiver } from "./http-receiver.ts";

/**
 * The alert tests' collector setup: an alert config in `dir` whose one channel, `hook`, is the real
 * webhook channel pointed at `receiver` (its URL from the environment, as an operator would keep it),
 * with `defaults` lines under `defaults:` and any `more` top-level lines. Returns the environment a
 * collector needs to run it.
 */
export async function hookAlertsEnv(
  dir: string,
  receiver: HttpReceiver,
  defaults: readonly string[],
  more: readonly string[] = [],
): Promise<Record<string, string>> {
  const file = join(dir, "alerts.yaml");
  const lines = [
    "channels:",
    "  - name: hook",
    "    url_env: ALERT_HOOK_URL",
    "defaults:",
    "  channels: [hook]",
    ...defaults.map((line) => `  ${line}`),
    ...more,
    "",
  ];
  await writeFile(file, lines.join("\n"));
  return {
    ALERTS_CONFIG: file,
    ALERT_HOOK_URL: `webhook+http://${receiver.url.slice("http://".length)}/alerts`,
  };
}
