import postgres, { type Sql, type TransactionSql } from "postgres";

/** The advisory lock key that makes one collector the alert evaluator (any constant no other code takes). */
export const ALERT_LEADER_LOCK = 0x1a1e_0015;

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
 */
export class LeaderElection {
  private session: Sql | null = null;
  private pid: number | null = null;

  /** `connect`: a new client for one connection, e.g. `() => postgres(url, { max: 1 })`. */
  constructor(
    private readonly connect: () => Sql,
    private readonly key: number = ALERT_LEADER_LOCK,
  ) {}

  /** Whether this process led at its last check. */
  get isLeader(): boolean {
    return this.session !== null;
  }

  /** Keeps or takes the lead; false when another holds it or the database cannot be reached. */
  async check(): Promise<boolean> {
    if (this.session !== null) {
      try {
        // postgres.js reconnects a dropped connection by itself: the same backend proves the same session.
        const [row] = await this.session<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        if (row?.pid === this.pid) return true;
      } catch {
        // Lost: fall through and ask again, like any follower.
      }
      await this.drop();
    }
    const session = this.connect();
    try {
      const [row] = await session<{ ok: boolean; pid: number }[]>`
        SELECT pg_try_advisory_lock(${this.key}) AS ok, pg_backend_pid() AS pid`;
      if (row?.ok === true) {
        this.session = session;
        this.pid = row.pid;
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
      await session`SELECT pg_advisory_unlock(${this.key})`;
    } catch {
      // The session is gone, and the lock with it.
    }
    await this.drop();
  }

  private async drop(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.pid = null;
    // Closing the session ends the lock too, should the backend still hold it.
    await session?.end({ timeout: 0 });
  }
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
