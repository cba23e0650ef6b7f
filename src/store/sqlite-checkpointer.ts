/**
 * Copies SQLite's write-ahead log back into the database file on a worker thread. Left to the
 * writing connection, each checkpoint (tens of MB of copying plus two fsyncs) stalls whichever
 * commit crosses the threshold, and with it every request waiting on the event loop; from a second
 * connection it runs on the other core while commits go on. The writer's own autocheckpoint stays
 * as a backstop: with the log already copied it finds nothing left to do but rewind the log.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface Checkpointer {
  /** Runs a last checkpoint and closes the worker's connection. */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Pause between checkpoints. */
  intervalMs?: number;
  /** Told when a checkpoint fails (the writer's autocheckpoint then still keeps the log bounded). */
  onError?: (message: string) => void;
}

// Plain CommonJS run with `eval`, so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Sqlite = require(workerData.driver);
const db = new Sqlite(workerData.file);
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");
let timer;
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
};
const tick = () => {
  checkpoint();
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearTimeout(timer);
  checkpoint();
  db.close();
  parentPort.postMessage({ stopped: true });
});
tick();
`;

/** Starts checkpointing the WAL of the SQLite database `file` on a worker thread. */
export function startCheckpointer(file: string, options: CheckpointerOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs: options.intervalMs ?? 100 },
  });
  const stopped = new Promise<void>((resolve) => {
    worker.on("message", (message: { error?: string; stopped?: boolean }) => {
      if (message.error) options.onError?.(message.error);
      if (message.stopped) resolve();
    });
    worker.on("error", (error) => {
      options.onError?.(String(error));
      resolve();
    });
    worker.on("exit", () => resolve());
  });
  // The writer's connection decides when the process may exit, not this helper.
  worker.unref();
  return {
    async stop() {
      worker.ref(); // keep the process alive until the last checkpoint is done
      worker.postMessage("stop");
      await stopped;
      await worker.terminate();
    },
  };
}
