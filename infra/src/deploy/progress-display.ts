/** Where a host's deploy is; the last three are final. */
export type DeployPhase =
  | "queued"
  | "connecting"
  | "detecting"
  | "preparing agent"
  | "uploading"
  | "installing"
  | "waiting for first message"
  | "rolling back"
  | "done"
  | "rolled back"
  | "failed";

export interface HostProgress {
  host: string;
  phase: DeployPhase;
  detail: string;
  /** When this host's deploy started (ms, performance.now()); null while queued. */
  startedMs: number | null;
}

/** What the display writes to: stdout, or a buffer in tests. `isTTY` chooses in-place updates. */
export interface ProgressOutput {
  isTTY: boolean;
  write(text: string): void;
}

const ERASE_LINE = "\x1b[2K";
const up = (lines: number): string => `\x1b[${lines}A`;

/** One host's line: name padded to the longest, phase, elapsed seconds, detail. Pure. */
export function renderProgressLine(p: HostProgress, nameWidth: number, nowMs: number): string {
  const elapsed = p.startedMs === null ? "" : ` ${((nowMs - p.startedMs) / 1000).toFixed(0)}s`;
  const detail = p.detail === "" ? "" : `  ${p.detail}`;
  return `${p.host.padEnd(nameWidth)}  ${p.phase}${elapsed}${detail}`;
}

/**
 * Progress of a deploy over many hosts. On a terminal: one line per host, redrawn in place (cursor up,
 * erase, rewrite) on every change. Otherwise (a pipe, CI logs): one plain line per change, never
 * control characters, so logs stay readable.
 */
export class ProgressDisplay {
  private readonly hosts = new Map<string, HostProgress>();
  private readonly nameWidth: number;
  private drawn = 0;

  constructor(
    hosts: readonly string[],
    private readonly out: ProgressOutput,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.nameWidth = Math.max(0, ...hosts.map((h) => h.length));
    for (const host of hosts) this.hosts.set(host, { host, phase: "queued", detail: "", startedMs: null });
    if (out.isTTY) this.redraw();
  }

  update(host: string, phase: DeployPhase, detail = ""): void {
    const p = this.hosts.get(host);
    if (p === undefined) return;
    if (p.phase === phase && p.detail === detail) return;
    p.phase = phase;
    p.detail = detail;
    if (p.startedMs === null && phase !== "queued") p.startedMs = this.now();
    if (this.out.isTTY) this.redraw();
    else this.out.write(`${renderProgressLine(p, this.nameWidth, this.now())}\n`);
  }

  snapshot(): HostProgress[] {
    return [...this.hosts.values()].map((p) => ({ ...p }));
  }

  private redraw(): void {
    const now = this.now();
    const lines = [...this.hosts.values()].map(
      (p) => `${ERASE_LINE}${renderProgressLine(p, this.nameWidth, now)}\n`,
    );
    this.out.write(`${this.drawn > 0 ? up(this.drawn) : ""}${lines.join("")}`);
    this.drawn = lines.length;
  }
}
