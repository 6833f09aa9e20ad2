import { listAlerts } from "@infrastructor/lib/alerts/alert-list.ts";
import type { AlertActions } from "@infrastructor/lib/alerts/surface-actions.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import { Hono } from "hono";
import type { Sql } from "postgres";
import { z } from "zod";

export interface AlertRoutesDeps {
  sql: Sql;
  /** The running engine's (its config's channels), else bareAlertActions. */
  actions: AlertActions;
}

const NAME = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);
const KEY = z
  .string()
  .min(3)
  .max(1000)
  .regex(/^[^|]+\|[^|]+\|/, "an alert key is rule|device|subject");
const ACTOR = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$/);

const ListQuery = z.strictObject({
  state: z.enum(["pending", "firing", "resolved"]).optional(),
  device: z.string().regex(HOST_PATTERN, "not a device name").optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(0).max(1000).optional(),
});
const AckBody = z.strictObject({ key: KEY, by: ACTOR.optional() });
const MuteBody = z
  .strictObject({
    device: z.string().regex(HOST_PATTERN, "not a device name").optional(),
    rule: NAME.optional(),
    key: KEY.optional(),
    tag: NAME.optional(),
    for: z.string().refine((s) => (parseDurationMs(s) ?? 0) > 0, "not a duration: use e.g. 30m, 2h, 1d"),
    reason: z.string().min(1).max(500),
    by: ACTOR.optional(),
  })
  .refine((m) => m.device ?? m.rule ?? m.key ?? m.tag, "a mute names a device, a rule, a key or a tag");

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || what}: ${i.message}`);
  throw new AppError(ErrorCode.INVALID_ARGUMENT, `invalid ${what}: ${problems.join("; ")}`, {
    details: { problems },
  });
}

async function jsonBody(text: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `the ${what} must be JSON`);
  }
}

/**
 * /api/alerts: the alerts (firing first) with their history, acknowledge, mute and unmute. Behind the
 * API token like the rest of /api; the one error handler turns AppErrors into responses. `by`
 * defaults to "api": the token names no person.
 */
export function alertRoutes(deps: AlertRoutesDeps): Hono {
  return new Hono()
    .get("/alerts", async (c) => {
      const q = parse(ListQuery, c.req.query(), "query");
      const list = await listAlerts(deps.sql, {
        state: q.state,
        device: q.device,
        since: q.since === undefined ? undefined : new Date(q.since),
        historyLimit: q.limit,
      });
      return c.json(list);
    })
    .post("/alerts/ack", async (c) => {
      const body = parse(AckBody, await jsonBody(await c.req.text(), "acknowledgement"), "acknowledgement");
      const acked = await deps.actions.acknowledge(body.key, body.by ?? "api");
      return c.json({ key: acked.key, acked_at: acked.ackedAt.toISOString(), acked_by: acked.ackedBy });
    })
    .post("/alerts/mutes", async (c) => {
      const body = parse(MuteBody, await jsonBody(await c.req.text(), "mute"), "mute");
      const until = new Date(Date.now() + (parseDurationMs(body.for) ?? 0));
      const result = await deps.actions.mute({
        device: body.device ?? null,
        rule: body.rule ?? null,
        key: body.key ?? null,
        tag: body.tag ?? null,
        until,
        reason: body.reason,
        by: body.by ?? "api",
      });
      return c.json({ id: result.id, until: until.toISOString(), muted: result.muted }, 201);
    })
    .delete("/alerts/mutes/:id", async (c) => {
      const id = c.req.param("id");
      if (!/^\d{1,15}$/.test(id)) throw new AppError(ErrorCode.INVALID_ARGUMENT, "mute id must be a number");
      if (!(await deps.actions.unmute(Number(id)))) {
        throw new AppError(ErrorCode.NOT_FOUND, `no mute ${id} in force`);
      }
      return c.json({ id: Number(id), ended: true });
    });
}
