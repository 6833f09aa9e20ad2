import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";

/** What `collector/src/cli.ts nats ...` reads from the environment (the collector's own variables). */
export interface NatsAdminConfig {
  databaseUrl: string;
  natsUrl: string;
  /** NATS_CA: the CA a tls:// server's certificate must chain to. */
  natsCaFile: string | null;
  authDir: string | undefined;
}

const EnvSchema = z.object({
  DATABASE_URL: z.url().default("postgres://infrastructor@127.0.0.1:9100/infrastructor"),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:4222"),
  NATS_AUTH_DIR: z.string().min(1).optional(),
  NATS_CA: z.string().min(1).optional(),
});

export function loadNatsAdminConfig(env: Record<string, string | undefined>): NatsAdminConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new AppError(ErrorCode.CONFIG_INVALID, `invalid configuration: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    natsUrl: parsed.data.NATS_URL,
    natsCaFile: parsed.data.NATS_CA ?? null,
    authDir: parsed.data.NATS_AUTH_DIR,
  };
}
