import { isPrintableLine } from "@infrastructor/shared/printable.ts";
import { z } from "zod";

/**
 * The alert tools' arguments only reach PostgreSQL as bound parameters. Names are held to the narrow
 * patterns of every tool argument (mcp/src/args/names.ts); an alert key's subject is a finding's words
 * (a mount path may hold quotes or `$`), so any printable text is accepted there, nothing that could
 * hide or reorder what a confirmation shows (the engine strips those from keys: observe.ts).
 */

/** `rule|device|subject` (collector/src/alerts/observe.ts); `(fleet)` is the device of fleet-wide alerts. */
const KEY_PATTERN =
  /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}\|(?:[A-Za-z0-9][A-Za-z0-9_-]{0,62}|\(fleet\))\|.{0,800}$/u;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const ACTOR_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$/;
const REASON_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _.,:()!?/#%+=@-]{0,499}$/u;
const FOR_PATTERN = /^\d{1,6}(s|m|h|d)$/;

export const AlertKeyArg = z
  .string()
  .regex(KEY_PATTERN, "not a valid alert key (rule|device|subject, as list_alerts shows it)")
  .refine(isPrintableLine, "not a valid alert key (control or text-direction characters)")
  .describe("The alert's key as list_alerts shows it: rule|device|subject.");
export const RuleArg = z
  .string()
  .regex(NAME_PATTERN, "not a valid rule name")
  .describe("Rule name, e.g. host_down.");
export const TagArg = z
  .string()
  .regex(NAME_PATTERN, "not a valid tag")
  .describe("Device tag: every device carrying it.");
export const ActorArg = z
  .string()
  .regex(ACTOR_PATTERN, "not a valid name (letters, digits, _ . @ -)")
  .describe("Who does it, as the channels show it.");
export const ReasonArg = z
  .string()
  .regex(REASON_PATTERN, "not a valid reason (words, digits and . , : ( ) ! ? / # % + = @ -)")
  .describe("Why, kept with the mute (e.g. planned maintenance).");
export const ForArg = z
  .string()
  .regex(FOR_PATTERN, "not a valid duration: use 30m, 2h, 1d")
  .describe("How long: 30m, 2h, 1d.");
