/**
 * What `bun run up` prints about alerts: where the config goes, a first channel, and how to check it
 * arrives. ALERTS_CONFIG is the file both the collector and `infra alerts test` read; the secret (the
 * ntfy topic is one: anyone who knows it can read it) stays in the environment, not in the file.
 */
export function alertsHint(configured: string | undefined): string {
  const now = configured
    ? `ALERTS_CONFIG=${configured}`
    : "off: no ALERTS_CONFIG, so the collector evaluates no alerts";
  return `
Alerts (${now}). To add a channel, write a config file, e.g. alerts.yaml:
  channels:
    - name: phone
      url_env: NTFY_URL        # e.g. ntfy://ntfy.sh/<a topic nobody can guess>; formats: shared/lib/notify/README.md
then restart the stack with it (bun run down first) and send a test message:
  ALERTS_CONFIG=$PWD/alerts.yaml NTFY_URL=... bun run up
  ALERTS_CONFIG=$PWD/alerts.yaml NTFY_URL=... bun run infra alerts test phone
See them: bun run infra alerts list (or list_alerts over MCP, GET /api/alerts).`;
}
