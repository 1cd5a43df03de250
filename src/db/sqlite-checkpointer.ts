import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the WAL back into the database file. */
const CHECKPOINT_INTERVAL_MS = 200;

// The worker's program, as CommonJS source: the same in the compiled build and under tsx (whose
// loader hooks a worker thread does not get). PASSIVE never waits for or blocks readers and
// writers; what it cannot copy now, the next run copies. A locked file is retried next time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const sqlite = new Database(workerData.path);
const timer = setInterval(() => {
  try { sqlite.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  sqlite.close();
  parentPort.postMessage('closed');
});
`;

/**
 * Checkpoints a SQLite file's WAL from a worker thread. A checkpoint copies the pages written
 * since the last one into the database file and syncs it; run by SQLite inside whichever commit
 * crossed the threshold, it cost a SCIM write about 80 µs of its 190 µs commit, on the one
 * thread that serves every request, and put 30–60 ms stalls into the p99 of writes
 * (bench/README.md, finding 16). On its own connection and thread it runs beside the requests;
 * the main connection's automatic checkpoint stays as a safety net.
 */
export function startSqliteCheckpointer(path: string): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs: CHECKPOINT_INTERVAL_MS } });
  // It must not keep the process alive, and its failure must not crash it: the safety net remains.
  worker.unref();
  worker.on('error', () => undefined);
  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        worker.ref();
        worker.once('exit', () => resolve());
        worker.once('message', () => void worker.terminate());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 1_000).unref();
      })),
  };
}
