import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/** The collector's HTTP API as the operator's machine reaches it, with the bearer token. */
export class CollectorClient {
  constructor(
    private readonly url: string,
    private readonly apiToken: string,
    /** PEM CA(s) an https:// collector's certificate must chain to; null: the system's. */
    private readonly ca: string | null = null,
  ) {}

  /** A single-use enrollment token bound to `host`, valid `ttl` (e.g. "15m"): POST /api/enroll-tokens. */
  async mintEnrollToken(host: string, ttl: string): Promise<string> {
    const body = await this.request("POST", "/api/enroll-tokens", {
      ttl,
      max_uses: 1,
      host,
      note: "infra deploy",
    });
    const token = (body as { token?: unknown }).token;
    if (typeof token !== "string" || !/^[A-Za-z0-9_-]{10,200}$/.test(token)) {
      throw new AppError(
        ErrorCode.INVALID_MESSAGE,
        `the collector's answer to ${this.url}/api/enroll-tokens has no token`,
      );
    }
    return token;
  }

  private async request(method: string, path: string, json: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.apiToken}`, "Content-Type": "application/json" },
        body: JSON.stringify(json),
        signal: AbortSignal.timeout(15_000),
        ...(this.ca === null ? {} : { tls: { ca: this.ca } }),
      });
    } catch (err) {
      throw new AppError(ErrorCode.HOST_UNREACHABLE, `collector ${this.url}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: reported below with the status
    }
    if (!res.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      const code = res.status === 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.COMMAND_FAILED;
      throw new AppError(
        code,
        `collector ${method} ${path}: HTTP ${res.status} ${error?.code ?? ""} ${error?.message ?? text.slice(0, 200)}`.trim(),
        { details: { status: res.status } },
      );
    }
    return body;
  }
}
