/**
 * The floor under `stratus start` (bench/startup.ts): a bare Node process that does what any
 * server on the embedded store must — load better-sqlite3, open a database in WAL mode in the
 * data dir, listen with node:http — and answers `GET /_stratus/health` 200.
 * `node dist/bench/lib/startup-floor.js <port> <data dir>`.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// As Stratus loads it (src/store/sqlite/sqlite-store.ts): require is the cheaper way in from ESM.
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');

const [port, dataDir] = process.argv.slice(2);
const db = new Database(join(dataDir, 'floor.db'));
db.pragma('journal_mode = WAL');
const body = JSON.stringify({ status: 'running' });
createServer((req, res) => {
  res.writeHead(req.url === '/_stratus/health' ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => {
  db.close();
  process.exit(0);
});
