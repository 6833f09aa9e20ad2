import { z } from "zod";
import { DOMAIN_PATTERN, HOST_PATTERN } from "./subjects.ts";

/** Bump only with a new schema beside the old one: collectors must keep reading what old agents send. */
export const ENVELOPE_VERSION = 1;

/** A collector's failure travels as data, beside whatever it could still collect. */
export const EnvelopeErrorSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  message: z.string().max(4096),
  source: z.string().max(128).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type EnvelopeError = z.infer<typeof EnvelopeErrorSchema>;

/**
 * A domain that cannot be collected on this host at all (no docker socket, no smartctl, no zpool):
 * sent with `data: null` once per state change, not on every poll.
 */
export const UnavailableSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  reason: z.string().min(1).max(1000),
});
export type Unavailable = z.infer<typeof UnavailableSchema>;

export const EnvelopeSchema = z.object({
  v: z.literal(ENVELOPE_VERSION),
  host: z.string().regex(HOST_PATTERN, "host must be one lower-case DNS label"),
  domain: z.string().regex(DOMAIN_PATTERN),
  /** Increases by one per envelope within one agent run (per domain). */
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** Random per agent start, so a restarted agent's seq=0 never collides with the previous run's. */
  boot_id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  agent_version: z.string().min(1).max(64),
  collected_at: z.iso.datetime({ offset: true }),
  data: z.unknown(),
  errors: z.array(EnvelopeErrorSchema).max(100),
  unavailable: UnavailableSchema.optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;
export type EnvelopeOf<T> = Omit<Envelope, "data"> & { data: T };
