import { TEST_API_TOKEN } from "./collector-process.ts";

/** What POST /api/enroll answered: the status and the JSON body (an `error` on refusal). */
export interface EnrollAnswer {
  status: number;
  body: {
    host?: string;
    outcome?: string;
    creds?: string | null;
    error?: { code: string; message: string };
  };
  retryAfter: string | null;
}

/** POST /api/enroll-tokens with the test API token: a token for `host`, or for any host. */
export async function mintToken(
  baseUrl: string,
  scope: { host: string } | "any-host",
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await fetch(`${baseUrl}/api/enroll-tokens`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TEST_API_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ ...(scope === "any-host" ? { any_host: true } : scope), ...extra }),
  });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** POST /api/enroll as install.sh does (JSON answer); `facts` overrides the request's fields. */
export async function enrollOver(
  baseUrl: string,
  token: string,
  hostname: string,
  facts: Record<string, unknown> = {},
  timeoutMs = 120_000,
): Promise<EnrollAnswer> {
  const res = await fetch(`${baseUrl}/api/enroll`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token, hostname, arch: "x64", os: "debian", ...facts }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: res.status,
    body: (await res.json()) as EnrollAnswer["body"],
    retryAfter: res.headers.get("Retry-After"),
  };
}
