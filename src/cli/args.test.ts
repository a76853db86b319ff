import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommand, UsageError } from './args.js';

test('--open-executions-quota: AWS’s 1,000,000 by default; the option, else STRATUS_OPEN_EXECUTIONS_QUOTA; a whole number ≥ 1', () => {
  assert.equal(parseCommand(['start'], {}).config.openExecutionsQuota, 1_000_000);
  assert.equal(parseCommand(['start', '--open-executions-quota', '5'], {}).config.openExecutionsQuota, 5);
  assert.equal(parseCommand(['start'], { STRATUS_OPEN_EXECUTIONS_QUOTA: '7' }).config.openExecutionsQuota, 7);
  assert.equal(parseCommand(['start', '--open-executions-quota=9'], { STRATUS_OPEN_EXECUTIONS_QUOTA: '7' }).config.openExecutionsQuota, 9);
  for (const bad of ['0', '-1', '1.5', 'many', '', ' ']) {
    assert.throws(
      () => parseCommand(['start', `--open-executions-quota=${bad}`], {}),
      (error: Error) => error instanceof UsageError && error.message === '--open-executions-quota must be a whole number >= 1',
      JSON.stringify(bad),
    );
  }
  assert.throws(() => parseCommand(['start'], { STRATUS_OPEN_EXECUTIONS_QUOTA: 'lots' }), UsageError);
  assert.throws(() => parseCommand(['start', '--open-executions-quota'], {}), (error: Error) => error instanceof UsageError && /needs a value/.test(error.message));
});

test('--https-port: none by default; the option, else STRATUS_HTTPS_PORT; 0 picks a free one; a port number', () => {
  assert.equal(parseCommand(['start'], {}).config.httpsPort, null);
  assert.equal(parseCommand(['start', '--https-port', '8443'], {}).config.httpsPort, 8443);
  assert.equal(parseCommand(['start', '--https-port=0'], {}).config.httpsPort, 0);
  assert.equal(parseCommand(['start'], { STRATUS_HTTPS_PORT: '9443' }).config.httpsPort, 9443);
  assert.equal(parseCommand(['start', '--https-port', '8443'], { STRATUS_HTTPS_PORT: '9443' }).config.httpsPort, 8443);
  for (const bad of ['-1', '70000', '1.5', 'https', ' ']) {
    assert.throws(
      () => parseCommand(['start', `--https-port=${bad}`], {}),
      (error: Error) => error instanceof UsageError && error.message === `invalid --https-port "${bad}"`,
      JSON.stringify(bad),
    );
  }
});

test('--apigateway-throttle: AWS quota by default; the option, else STRATUS_APIGATEWAY_THROTTLE; rate and burst', () => {
  assert.deepEqual(parseCommand(['start'], {}).config.gatewayAccountThrottle, { rateLimit: 10_000, burstLimit: 5_000 });
  assert.deepEqual(parseCommand(['start', '--apigateway-throttle', '50000,20000'], {}).config.gatewayAccountThrottle, { rateLimit: 50_000, burstLimit: 20_000 });
  assert.deepEqual(parseCommand(['start'], { STRATUS_APIGATEWAY_THROTTLE: '2.5, 3' }).config.gatewayAccountThrottle, { rateLimit: 2.5, burstLimit: 3 });
  for (const bad of ['', '100', '0,5', '5,0', 'a,b', '5,2.5']) {
    assert.throws(() => parseCommand(['start', `--apigateway-throttle=${bad}`], {}), (error: Error) => error instanceof UsageError && error.message.startsWith('--apigateway-throttle must be'), JSON.stringify(bad));
  }
});
