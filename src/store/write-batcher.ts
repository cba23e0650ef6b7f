/**
 * Group commit for SQLite: units of work queued while a transaction is running share the next one,
 * each inside its own savepoint, so one failing unit rolls back alone while the commit — the
 * expensive part of a small write — is paid once per batch instead of once per unit. PostgreSQL
 * runs units in parallel on its pool, so there each unit keeps its own transaction.
 */
import type { Transaction } from "kysely";
import type { Database } from "./database.ts";
import { sqliteConnectionOf } from "./prepared-query.ts";
import type { DB } from "./schema.ts";
import { withTransaction } from "./transaction.ts";

export interface WriteBatcher {
  /**
   * Runs `work` atomically; resolves with its result once committed. `work` never starts before `run`
   * has returned. `onCommit` runs right after the commit, before any later unit starts, so in-memory
   * state it updates follows commit order.
   */
  run<T>(work: (trx: Transaction<DB>) => Promise<T>, onCommit?: (value: T) => void): Promise<T>;
}

interface Job {
  work: (trx: Transaction<DB>) => Promise<unknown>;
  onCommit: ((value: unknown) => void) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs a committed job's hook, then resolves it (or rejects it with the hook's error). */
function settle(job: Job, value: unknown): void {
  try {
    job.onCommit?.(value);
  } catch (error) {
    job.reject(error);
    return;
  }
  job.resolve(value);
}

export function createWriteBatcher(database: Database, maxBatch = 64): WriteBatcher {
  if (database.dialect !== "sqlite") {
    return {
      run: async (work, onCommit) => {
        const value = await withTransaction(database, work);
        onCommit?.(value);
        return value;
      },
    };
  }
  const queue: Job[] = [];
  let flushing = false;

  async function runBatch(jobs: Job[]): Promise<void> {
    const settled: Settled[] = [];
    const trx = await database.db.startTransaction().execute();
    const connection = sqliteConnectionOf(trx);
    // Savepoints straight on the connection the transaction holds: three statements per unit that
    // need none of Kysely's machinery.
    const savepoint = (command: string) => connection?.prepare(command).run([]);
    try {
      if (!connection) throw new Error("write batcher: the SQLite connection is not registered");
      for (const job of jobs) {
        savepoint("savepoint unit");
        try {
          const value = await job.work(trx);
          savepoint("release unit");
          settled.push({ ok: true, value });
        } catch (error) {
          savepoint("rollback to unit");
          savepoint("release unit");
          settled.push({ ok: false, error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, index) => {
      const outcome = settled[index];
      if (outcome?.ok) settle(job, outcome.value);
      else job.reject(outcome?.error);
    });
  }

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length > 0) await runBatch(queue.splice(0, maxBatch));
    } finally {
      flushing = false;
    }
  }

  return {
    run<T>(work: (trx: Transaction<DB>) => Promise<T>, onCommit?: (value: T) => void): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({
          work,
          // The queue holds jobs of every result type; each job's value is its own work's result.
          onCommit: onCommit && ((value) => onCommit(value as T)),
          resolve: (value) => resolve(value as T),
          reject,
        });
        if (!flushing) {
          // Start the batch after this turn of the event loop, so units that the I/O already read
          // (other webhooks, other sends' answers) join this commit instead of paying their own.
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
