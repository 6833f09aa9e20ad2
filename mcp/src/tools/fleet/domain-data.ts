import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { DomainAnswer } from "../../domain-reader.ts";

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * The domain's data, or the error a tool about one device answers with: the domain's own code when it
 * is unavailable there (COMMAND_MISSING: no virsh; NOT_FOUND: no backup probes configured), NOT_FOUND
 * when nothing was ever collected, the collection's error when it failed without any earlier data.
 */
export function requireData<D extends Domain>(answer: DomainAnswer<D>, what: string): DomainData<D> {
  if (answer.data !== null) return answer.data;
  const device = answer.device.hostname;
  const domain = answer.provenance.domain;
  const details = { device, domain };
  const liveError = answer.provenance.live_error;
  const live = liveError === undefined ? "" : ` (live read failed: ${liveError.code}: ${liveError.message})`;
  if (answer.status === "unavailable" && answer.unavailable !== null) {
    throw new AppError(
      asCode(answer.unavailable.code),
      `${what} not available on ${device}: ${answer.unavailable.reason}`,
      { details: { ...details, reason: answer.unavailable.reason } },
    );
  }
  const first = answer.errors[0];
  if (answer.status === "failed" && first !== undefined) {
    throw new AppError(
      asCode(first.code),
      `${what} on ${device}: collection failed: ${first.message}${live}`,
      {
        details,
      },
    );
  }
  throw new AppError(
    ErrorCode.NOT_FOUND,
    `no ${domain} data has been collected for ${device} yet${live}; is the ${domain} domain enabled in its agent?`,
    { details },
  );
}

function asCode(code: string): ErrorCode {
  return (KNOWN_CODES.has(code) ? code : ErrorCode.COMMAND_FAILED) as ErrorCode;
}
