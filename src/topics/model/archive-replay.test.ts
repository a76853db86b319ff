import assert from 'node:assert/strict';
import { test } from 'node:test';
import { beginningArchiveTime, parseReplayPolicy, retentionDaysOf } from './archive-replay.js';

const fail = (reason: string) => new Error(reason);
const DAY = 86_400_000;

test('retention and the beginning of the archive', () => {
  assert.equal(retentionDaysOf({ ArchivePolicy: '{"MessageRetentionPeriod":"30"}' }), 30);
  assert.equal(retentionDaysOf({}), undefined);
  // Never before archiving began; else the retention period back from now.
  assert.equal(beginningArchiveTime(1000, 1, 2000), 1000);
  assert.equal(beginningArchiveTime(1000, 1, 3 * DAY), 2 * DAY);
});

test('a ReplayPolicy: a Timestamp window, the end optional and not before the start', () => {
  assert.deepEqual(parseReplayPolicy('{"PointType":"Timestamp","StartingPoint":"2024-01-01T00:00:00.000Z"}', fail), { start: Date.UTC(2024, 0, 1) });
  assert.deepEqual(parseReplayPolicy('{"PointType":"Timestamp","StartingPoint":"2024-01-01T00:00:00Z","EndingPoint":"2024-01-02T00:00:00Z"}', fail), {
    start: Date.UTC(2024, 0, 1),
    end: Date.UTC(2024, 0, 2),
  });
  assert.throws(() => parseReplayPolicy('[]', fail), { message: 'ReplayPolicy: failed to parse JSON.' });
  assert.throws(() => parseReplayPolicy('{"StartingPoint":"2024-01-01T00:00:00Z"}', fail), { message: 'ReplayPolicy: PointType must be Timestamp' });
  assert.throws(() => parseReplayPolicy('{"PointType":"Timestamp","StartingPoint":17}', fail), { message: 'ReplayPolicy: StartingPoint must be a timestamp in ISO 8601 format' });
  assert.throws(() => parseReplayPolicy('{"PointType":"Timestamp","StartingPoint":"2024-01-02T00:00:00Z","EndingPoint":"2024-01-01T00:00:00Z"}', fail), {
    message: 'ReplayPolicy: EndingPoint must not be before StartingPoint',
  });
});
