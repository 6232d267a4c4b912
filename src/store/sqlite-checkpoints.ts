import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints away from the event loop. SQLite checkpoints from whichever connection
 * commits past `wal_autocheckpoint` pages, inside that commit: with a synchronous driver,
 * every thousand or so writes one request (often a Slack request guard's signature claim,
 * before the acknowledgement) waited while about 4 MB were copied and both files synced,
 * 2–8 ms on a 2-vCPU machine. The store raises that threshold to a safety net for bursts
 * (CHECKPOINT_SAFETY_PAGES) and this worker thread runs a passive checkpoint on its own
 * connection every `everyMs`: passive checkpoints never block the store's writers.
 */
export const CHECKPOINT_SAFETY_PAGES = 10_000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next round (or the last connection's close) does it.
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export class BackgroundCheckpoints {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(path: string, everyMs = 250) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, everyMs, driver } });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // A failed checkpointer leaves the WAL to grow until the store's own connection closes: logged by nobody, harmless.
    this.worker.on('error', () => undefined);
    // Never what keeps a process alive.
    this.worker.unref();
  }

  /** The last checkpoint, then the worker's connection closed. */
  async stop(): Promise<void> {
    // Kept alive until it is done, so its last checkpoint and close are not cut short.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
