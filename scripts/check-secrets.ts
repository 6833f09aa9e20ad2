import { weakSecretReason } from "../shared/src/secret-strength.ts";

/**
 * The secrets docker-compose.yaml takes from `.env`, checked by its one-shot `check-secrets` service
 * before anything else starts: `.env.example`'s placeholders and weak values stop `docker compose up`
 * with the variable's name (compose's own `${VAR:?}` only refuses a missing one). Runs in a bare
 * oven/bun container: it imports nothing that needs `bun install`.
 */
export const COMPOSE_SECRETS = [
  "POSTGRES_PASSWORD",
  "COLLECTOR_DB_PASSWORD",
  "COLLECTOR_API_TOKEN",
  "GRAFANA_ADMIN_PASSWORD",
  "GRAFANA_DB_PASSWORD",
] as const;

/** One line per refused secret: its name and why (never its value). */
export function secretProblems(env: Record<string, string | undefined>): string[] {
  return COMPOSE_SECRETS.flatMap((name) => {
    const reason = weakSecretReason(env[name] ?? "");
    return reason === null ? [] : [`${name} ${reason}`];
  });
}

if (import.meta.main) {
  const problems = secretProblems(process.env);
  for (const p of problems) console.error(`check-secrets: ${p}; set it in .env`);
  if (problems.length > 0) process.exit(1);
  console.log(`check-secrets: ${COMPOSE_SECRETS.join(", ")} are set and strong enough`);
}
