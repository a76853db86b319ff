/**
 * A worker thread with its own connection that copies the WAL back into the database file.
 * SQLite's automatic checkpoint runs inside whichever COMMIT crosses the threshold and fsyncs
 * there, stalling the event loop for milliseconds; here it runs beside it instead.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './driver.js';

const db = openDatabase((workerData as { filename: string }).filename);
db.pragma('busy_timeout = 5000');

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.postMessage('closed');
    return;
  }
  try {
    // PASSIVE: copy what no reader still needs, never wait for the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy database is checkpointed next time.
  }
  parentPort!.postMessage('checkpointed');
});
