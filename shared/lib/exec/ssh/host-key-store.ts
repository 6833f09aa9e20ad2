import type { Database } from "@infrastructor/lib/db/database.ts";
import { guardDb } from "@infrastructor/lib/db/guard-db.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Kysely } from "kysely";

export interface PinnedHostKey {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  firstSeen: Date;
  lastSeen: Date;
}

/** Where pinned host keys live; small so tests (and the CLI) can use it directly. */
export interface HostKeyStore {
  find(host: string, port: number): Promise<PinnedHostKey | undefined>;
  /**
   * Pins the key unless host:port already has a pin, and returns whatever is pinned afterwards: when two
   * processes connect for the first time at once, both see the same winner and compare against it.
   */
  pin(host: string, port: number, key: { keyType: string; fingerprint: string }): Promise<PinnedHostKey>;
  /** Records that the pinned key was seen again. */
  touch(host: string, port: number): Promise<void>;
  /** Forgets the pin so the next connection pins again; false when there was none. */
  forget(host: string, port: number): Promise<boolean>;
}

/** The store in PostgreSQL (table ssh_host_keys). Outages surface as DB_UNAVAILABLE. */
export class PgHostKeyStore implements HostKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async find(host: string, port: number): Promise<PinnedHostKey | undefined> {
    const row = await this.guard(() =>
      this.db
        .selectFrom("ssh_host_keys")
        .selectAll()
        .where("host", "=", host)
        .where("port", "=", port)
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : toPinned(row);
  }

  async pin(
    host: string,
    port: number,
    key: { keyType: string; fingerprint: string },
  ): Promise<PinnedHostKey> {
    await this.guard(() =>
      this.db
        .insertInto("ssh_host_keys")
        .values({ host, port, key_type: key.keyType, fingerprint_sha256: key.fingerprint })
        .onConflict((oc) => oc.columns(["host", "port"]).doNothing())
        .execute(),
    );
    const pinned = await this.find(host, port);
    if (pinned === undefined) {
      throw new AppError(ErrorCode.INTERNAL, `host key pin for ${host}:${port} vanished right after insert`);
    }
    return pinned;
  }

  async touch(host: string, port: number): Promise<void> {
    await this.guard(() =>
      this.db
        .updateTable("ssh_host_keys")
        .set({ last_seen: new Date() })
        .where("host", "=", host)
        .where("port", "=", port)
        .execute(),
    );
  }

  async forget(host: string, port: number): Promise<boolean> {
    const result = await this.guard(() =>
      this.db
        .deleteFrom("ssh_host_keys")
        .where("host", "=", host)
        .where("port", "=", port)
        .executeTakeFirst(),
    );
    return result.numDeletedRows > 0n;
  }

  /** An unreachable database is DB_UNAVAILABLE; any other failure stays INTERNAL (shared classifier). */
  private guard<T>(query: () => Promise<T>): Promise<T> {
    return guardDb("host key store", query);
  }
}

function toPinned(row: {
  host: string;
  port: number;
  key_type: string;
  fingerprint_sha256: string;
  first_seen: Date;
  last_seen: Date;
}): PinnedHostKey {
  return {
    host: row.host,
    port: row.port,
    keyType: row.key_type,
    fingerprint: row.fingerprint_sha256,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}
