import type { TransactionSql } from "postgres";

type RejectablePending = ReturnType<TransactionSql["unsafe"]> & { reject: (err: unknown) => void };

/**
 * `COPY ... FROM STDIN` with `data` as the whole input; rejects with the server's error.
 *
 * postgres.js 3.4.9 never settles the writable when the server refuses the data after CopyDone (a
 * duplicate key, a bad value): the error only reaches the query's `reject`, which is a no-op once the
 * query has resolved with the stream (porsager/postgres#1173, fix proposed in #1183). Without this
 * the transaction would hang forever, holding its connection. We observe `reject` to surface it.
 */
export async function copyIn(
  tx: TransactionSql,
  statement: string,
  data: string | Uint8Array,
): Promise<void> {
  const query = tx.unsafe(statement) as RejectablePending;
  const refused = new Promise<never>((_, reject) => {
    const original = query.reject;
    query.reject = (err: unknown): void => {
      reject(err);
      original(err);
    };
  });
  const stream = await Promise.race([query.writable(), refused]);
  const written = new Promise<void>((resolve, reject) => {
    stream.on("error", reject);
    stream.on("finish", resolve);
    stream.end(data);
  });
  await Promise.race([written, refused]);
}
