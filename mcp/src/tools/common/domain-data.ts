import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { DomainAnswer } from "../../domain-reader.ts";

const CODES = new Set<string>(Object.values(ErrorCode));

/**
 * The domain's data, or the reason there is none as an AppError (`what` names the data in messages:
 * "Docker", "backup probes"; the domain by default).
 * - unavailable: the agent's code (COMMAND_MISSING when the tool is not installed there; NOT_FOUND when
 *   no backup probe is configured) and its reason;
 * - missing: NOT_FOUND saying nothing was collected, or the live read's code (HOST_UNREACHABLE,
 *   HOST_KEY_MISMATCH, COMMAND_TIMEOUT...) when a live read was tried: that is what stands in the way;
 * - failed (no earlier data): the collection's first error.
 */
export function requireData<D extends Domain>(answer: DomainAnswer<D>, what?: string): DomainData<D> {
  assertData(answer, what);
  if (answer.data === null) {
    throw new AppError(ErrorCode.INTERNAL, `${answer.provenance.domain} was read without its payload`);
  }
  return answer.data;
}

/** requireData's checks alone, for answers read with load "status" (data `deferred` to the tables). */
export function assertData<D extends Domain>(answer: DomainAnswer<D>, what?: string): void {
  if (answer.data !== null || answer.deferred) return;
  const device = answer.device.hostname;
  const domain = answer.provenance.domain;
  const label = what ?? domain;
  const details = { device, domain, provenance: answer.provenance };
  const liveError = answer.provenance.live_error;
  const liveNote =
    liveError === undefined ? "" : `; live read failed: ${liveError.code}: ${liveError.message}`;
  if (answer.status === "unavailable") {
    const code = answer.unavailable?.code ?? ErrorCode.COMMAND_MISSING;
    const reason = answer.unavailable?.reason ?? "unavailable on this host";
    throw new AppError(
      asCode(code, ErrorCode.COMMAND_MISSING),
      `${label}: not available on ${device}: ${reason}`,
      {
        details: { ...details, reason },
      },
    );
  }
  if (answer.status === "missing") {
    throw new AppError(
      liveError === undefined ? ErrorCode.NOT_FOUND : asCode(liveError.code, ErrorCode.HOST_UNREACHABLE),
      `no ${domain} data has been collected from ${device} yet (is its agent running with ${domain} enabled?)${liveNote}`,
      { details },
    );
  }
  const first = answer.errors[0];
  throw new AppError(
    asCode(first?.code ?? ErrorCode.COMMAND_FAILED, ErrorCode.COMMAND_FAILED),
    `${label} on ${device} could not be collected: ${first?.message ?? "no data"}${liveNote}`,
    { details: { ...details, errors: answer.errors } },
  );
}

function asCode(code: string, fallback: ErrorCode): ErrorCode {
  return CODES.has(code) ? (code as ErrorCode) : fallback;
}

/** Rounds for an LLM's eyes: one decimal by default. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `part` of `whole` in percent (one decimal), or null when the whole is 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? round((part / whole) * 100) : null;
}

/** 1.2 GiB, 512 MiB, 980 B. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
