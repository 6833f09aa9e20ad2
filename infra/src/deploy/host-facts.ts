import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/** The CPU architectures there is an agent build for (agent/scripts/build.ts). */
export type AgentArch = "x64" | "arm64";

export interface OsRelease {
  /** os-release ID, e.g. debian, ubuntu, fedora, arch, alpine; "linux" when the file has none. */
  id: string;
  versionId: string | null;
  prettyName: string | null;
}

/** `uname -m` as Bun names its targets: x86_64 -> x64, aarch64 -> arm64; anything else has no build. */
export function parseUnameMachine(text: string): AgentArch {
  const machine = text.trim();
  if (machine === "x86_64" || machine === "amd64") return "x64";
  if (machine === "aarch64" || machine === "arm64" || machine === "armv8l") return "arm64";
  throw new AppError(
    ErrorCode.UNSUPPORTED_PLATFORM,
    `no agent build for CPU ${JSON.stringify(machine)} (there are x86_64 and aarch64)`,
    { details: { machine } },
  );
}

/**
 * /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted with shell-style escapes.
 * Only what the deploy shows and the installer is told; unknown keys and comments are skipped.
 */
export function parseOsRelease(text: string): OsRelease {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m === null) continue;
    values.set(m[1] as string, unquote(m[2] as string));
  }
  const id = values.get("ID")?.toLowerCase() ?? "";
  return {
    id: /^[a-z0-9][a-z0-9._-]{0,63}$/.test(id) ? id : "linux",
    versionId: values.get("VERSION_ID") ?? null,
    prettyName: values.get("PRETTY_NAME") ?? null,
  };
}

function unquote(raw: string): string {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.endsWith(quote) && raw.length >= 2) {
    const inner = raw.slice(1, -1);
    return quote === '"' ? inner.replace(/\\([$"`\\])/g, "$1") : inner;
  }
  return raw;
}
