import postgres, { type Sql, type TransactionSql } from "postgres";

/** The advisory lock key that makes one collector the alert evaluator (any constant no other code takes). */
export const ALERT_LEADER_LOCK = 0x1a1e_0015;
/** How long a leader's session may be silent before the server ends it and frees the lead. */
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

export interface LeaderOptions {
  /** The advisory lock's key (ALERT_LEADER_LOCK). */
  key?: number;
  /**
   * How long the leader's session may go unheard before the server ends it (freeing the lock), and how
   * long the leader waits for an answer before it counts the lead as lost. Its heartbeat comes at a third.
   */
  sessionTimeoutMs?: number;
}

/**
 * Leader election among collectors sharing one database: the leader holds a session-level advisory
 * lock on a connection of its own. PostgreSQL drops the lock with the session, so a leader that dies
 * (process, host or connection) frees it at once and a follower, which tries again every check, takes
 * over within one interval. A leader checks its session each time it asks (the same backend, still
 * answering); a lost connection is lost leadership. Between two checks a leader may not yet know it
 * lost: `stillLeads(tx)` fences its writes inside the transaction that makes them.
 *
 * The session is a one-connection client of its own, not a pool's `sql.reserve()`: postgres.js 3.4
 * hands a reserved connection that broke back to the pool, and the next query on it hangs; and a pooled
 * connection is recycled after its max_lifetime, which would drop the lock silently.
 *
 * A leader whose host dies without closing its connection (power lost, network partitioned) says
 * nothing, and PostgreSQL would keep its session, and the lock, until TCP keepalive gives up: two hours
 * on Linux defaults. So the session asks the server to end it once it has been silent for
 * `sessionTimeoutMs` (idle_session_timeout), and the leader speaks often enough to stay: a heartbeat
 * every third of it. The leader side mirrors it: a question its session does not answer within
 * `sessionTimeoutMs` is a lost lead, never a hang.
 */
export class LeaderElection {
  private session: Sql | null = null;
  private pid: number | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly key: number;
  private readonly sessionTimeoutMs: number;

  /** `connect`: a new client for one connection, e.g. `() => postgres(url, { max: 1 })`. */
  constructor(
    private readonly connect: () => Sql,
    options: LeaderOptions = {},
  ) {
    this.key = options.key ?? ALERT_LEADER_LOCK;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  }

  /** Whether this process led at its last check. */
  get isLeader(): boolean {
    return this.session !== null;
  }

  /** Keeps or takes the lead; false when another holds it or the database cannot be reached. */
  async check(): Promise<boolean> {
    const held = this.session;
    if (held !== null) {
      if (await this.answersAsLeader(held)) return true;
      await this.drop(held);
    }
    const session = this.connect();
    try {
      const [row] = await this.answered(
        session<{ ok: boolean; pid: number }[]>`
          SELECT set_config('idle_session_timeout', ${`${this.sessionTimeoutMs}ms`}, false),
                 pg_try_advisory_lock(${this.key}) AS ok, pg_backend_pid() AS pid`,
      );
      if (row?.ok === true) {
        this.session = session;
        this.pid = row.pid;
        this.heartbeat = setInterval(() => void this.beat(session), Math.max(1, this.sessionTimeoutMs / 3));
        this.heartbeat.unref?.();
        return true;
      }
    } catch {
      // The database is down or the connection broke while asking: not leading; the next check asks again.
    }
    await session.end({ timeout: 0 });
    return false;
  }

  /**
   * Inside a transaction on any connection: whether the lock is still held by this leader's session.
   * A write that checks this first cannot commit after another collector took over.
   */
  async stillLeads(tx: TransactionSql | Sql): Promise<boolean> {
    if (this.pid === null) return false;
    const [row] = await tx<{ held: boolean }[]>`
      SELECT EXISTS (
        SELECT 1 FROM pg_locks
        WHERE locktype = 'advisory' AND classid = 0 AND objid = ${this.key} AND objsubid = 1
          AND pid = ${this.pid} AND granted
      ) AS held`;
    return row?.held === true;
  }

  /** Gives the lead up (on a clean stop), so a follower takes over at its next check, not after a timeout. */
  async resign(): Promise<void> {
    const session = this.session;
    if (session === null) return;
    try {
      await this.answered(session`SELECT pg_advisory_unlock(${this.key})`);
    } catch {
      // The session is gone or silent; closing it below ends the lock, or the server's timeout will.
    }
    await this.drop(session);
  }

  /** Whether `session` answers, in time, from the backend that took the lock. */
  private async answersAsLeader(session: Sql): Promise<boolean> {
    const pid = this.pid;
    try {
      // postgres.js reconnects a dropped connection by itself: the same backend proves the same session.
      const [row] = await this.answered(session<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`);
      return row !== undefined && row.pid === pid;
    } catch {
      return false; // lost: the caller asks again, like any follower
    }
  }

  /** Keeps the server from ending a leader's silent session; a session that stopped answering is dropped. */
  private async beat(session: Sql): Promise<void> {
    if (this.session === session && !(await this.answersAsLeader(session))) await this.drop(session);
  }

  /** `query`'s answer, or a rejection once the session has been silent as long as the server allows. */
  private answered<T>(query: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.sessionTimeoutMs} ms`)),
        this.sessionTimeoutMs,
      );
    });
    return Promise.race([query, silent]).finally(() => clearTimeout(timer));
  }

  /** Forgets `session` if it is still the leader's (a heartbeat and a check may both find it lost), and closes it. */
  private async drop(session: Sql): Promise<void> {
    if (this.session === session) {
      this.session = null;
      this.pid = null;
      if (this.heartbeat !== null) clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
    // Closing the session ends the lock too, should the backend still hold it.
    await session.end({ timeout: 0 });
  }
}

/**
 * How long a leader's session may be silent before the server frees the lead: one evaluation
 * interval, within 10 s to 60 s. A leader whose host dies is replaced within that plus the follower's
 * interval; one whose process dies, or whose connection closes, within the follower's interval alone.
 */
export function leaderSessionTimeoutMs(intervalMs: number): number {
  return Math.min(60_000, Math.max(10_000, intervalMs));
}

/**
 * The leader's session: one connection that is never recycled (no idle timeout, no max lifetime),
 * since closing it gives the lead up. Named, so `pg_stat_activity` shows which collector leads.
 */
export function leaderSession(url: string): () => Sql {
  return () =>
    postgres(url, {
      max: 1,
      connect_timeout: 5,
      idle_timeout: 0,
      max_lifetime: null,
      connection: { application_name: "infrastructor-alert-leader" },
      onnotice: () => undefined,
    });
}
