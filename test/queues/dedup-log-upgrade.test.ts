/**
 * FIFO deduplication records written by an earlier Stratus (keyed tables sqs_dedup_0/1, before
 * migration queues/0003-dedup-log) still deduplicate after an upgrade, and a restart on the
 * same data folder keeps the records written since.
 */
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTestServer, tempDataDir, TEST_POSTGRES } from '../support/server.js';

test('records in the tables of earlier versions are carried into the dedup log', { skip: TEST_POSTGRES && 'the tables of earlier versions were only ever SQLite ones' }, async () => {
  const data = tempDataDir();
  try {
    let server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    let sqs = server.client(SQSClient);
    const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'upgraded.fifo', Attributes: { FifoQueue: 'true' } }));
    const kept = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'kept', MessageGroupId: 'g', MessageDeduplicationId: 'since' }));
    await server.stop();

    // Put the data folder back as version 0002 left it, holding one record of its own.
    const db = new Database(join(data.dir, 'stratus.db'));
    const queueId = (db.prepare("SELECT id FROM sqs_queues WHERE name = 'upgraded.fifo'").get() as { id: number }).id;
    db.exec(`
      DELETE FROM sqs_dedup_log_0; DELETE FROM sqs_dedup_log_1;
      DELETE FROM stratus_migrations WHERE id = 'queues/0003-dedup-log';
      DROP TABLE sqs_dedup_log_0; DROP TABLE sqs_dedup_log_1;
      CREATE TABLE sqs_dedup_0 (queue_id INTEGER NOT NULL, scope TEXT NOT NULL, dedup_id TEXT NOT NULL, message_id TEXT NOT NULL,
        sequence_number TEXT, expires_at BIGINT NOT NULL, PRIMARY KEY (queue_id, scope, dedup_id)) WITHOUT ROWID;
      CREATE TABLE sqs_dedup_1 (queue_id INTEGER NOT NULL, scope TEXT NOT NULL, dedup_id TEXT NOT NULL, message_id TEXT NOT NULL,
        sequence_number TEXT, expires_at BIGINT NOT NULL, PRIMARY KEY (queue_id, scope, dedup_id)) WITHOUT ROWID;`);
    // The message it names is long gone; seq 0 was never given to a message of this queue.
    const oldMessageId = '6f1b0c64-5d2e-4c4e-9a0e-3f5b1d7c2a90';
    const oldSequenceNumber = '10000000000000000000';
    db.prepare('INSERT INTO sqs_dedup_1 VALUES (?, ?, ?, ?, ?, ?)').run(queueId, '', 'before', oldMessageId, oldSequenceNumber, Date.now() + 60_000);
    db.close();

    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    sqs = server.client(SQSClient);
    const send = (body: string, dedupId: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: dedupId }));
    const old = await send('again', 'before');
    assert.deepEqual([old.MessageId, old.SequenceNumber], [oldMessageId, oldSequenceNumber]);
    // The record written since was dropped with the log tables above: the id is free again.
    assert.notEqual((await send('kept again', 'since')).MessageId, kept.MessageId);
    const fresh = await send('fresh', 'after');
    await server.stop();

    // And what the upgraded server wrote survives the next restart.
    server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    sqs = server.client(SQSClient);
    assert.equal((await send('fresh again', 'after')).MessageId, fresh.MessageId);
    assert.equal((await send('again', 'before')).MessageId, oldMessageId);
    await server.stop();
  } finally {
    data.cleanup();
  }
});
