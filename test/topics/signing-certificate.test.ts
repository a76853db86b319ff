/**
 * The SNS signing certificate over HTTP: a message signed with the store's key names a
 * SigningCertURL on Stratus's own endpoint; a subscriber fetches the certificate there and
 * verifies the message with it, as AWS's verification guide has subscribers do. The key outlives
 * a restart, and the bundled `stratus start` serves it too.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { notificationDocument, subscribeUrl, subscriptionConfirmationDocument, unsubscribeUrl, documentText } from '../../src/topics/model/notification.js';
import { NotificationSigner, signingKeysOf } from '../../src/topics/signing/index.js';
import { spawnServer, startTestServer, tempDataDir } from '../support/server.js';
import { verifySnsSignature } from '../support/sns-signature.js';

const data = tempDataDir();
after(() => data.cleanup());

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:orders';

describe('SNS signing certificate served by Stratus', () => {
  let certificateUrl = '';
  let pem = '';

  test('a subscriber fetches the certificate at SigningCertURL and verifies v1 and v2 messages with it', async () => {
    const server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    try {
      const endpoint = server.stratus.runtime.endpoint();
      assert.equal(endpoint, server.url);
      const signer = new NotificationSigner(await signingKeysOf(server.stratus.runtime.store).current(), endpoint);
      const notification = notificationDocument({
        messageId: '6a1c4f0e-3d2b-4a5c-9e8f-7b6a5c4d3e2f',
        topicArn: TOPIC,
        subject: 'Order',
        message: '{"id": 1}',
        timestamp: Date.now(),
        unsubscribeUrl: unsubscribeUrl(endpoint, `${TOPIC}:sub`),
      });
      const confirmation = subscriptionConfirmationDocument({ messageId: 'c1', topicArn: TOPIC, token: 'tok', timestamp: Date.now(), subscribeUrl: subscribeUrl(endpoint, TOPIC, 'tok') });
      for (const version of ['1', '2'] as const) {
        for (const document of [notification, confirmation]) {
          const message = JSON.parse(documentText(signer.sign(document, version))) as Record<string, unknown>;
          certificateUrl = String(message.SigningCertURL);
          assert.match(certificateUrl, new RegExp(`^${server.url}/SimpleNotificationService-[0-9a-f]{32}\\.pem$`));
          const response = await fetch(certificateUrl);
          assert.equal(response.status, 200);
          pem = await response.text();
          assert.match(pem, /^-----BEGIN CERTIFICATE-----\n/);
          assert.ok(verifySnsSignature(message, pem), `${String(message.Type)} v${version}`);
          assert.ok(!verifySnsSignature({ ...message, Message: 'forged' }, pem));
        }
      }
      // HEAD answers as GET does, without a body.
      const head = await fetch(certificateUrl, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
    } finally {
      await server.stop();
    }
  });

  test('another file name, another method, and near-miss paths are not the certificate', async () => {
    const server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    try {
      const unknown = await fetch(`${server.url}/SimpleNotificationService-00000000000000000000000000000000.pem`);
      assert.equal(unknown.status, 404);
      assert.match(((await unknown.json()) as { message: string }).message, /No certificate/);
      const post = await fetch(certificateUrl.replace(/^http:\/\/[^/]+/, server.url), { method: 'POST', body: 'x' });
      assert.equal(post.status, 405);
      // Not the certificate's form: left to the services (answered, and not with the PEM).
      const near = await fetch(`${server.url}/SimpleNotificationService-XYZ.pem`);
      assert.notEqual(await near.text(), pem);
    } finally {
      await server.stop();
    }
  });

  test('the key survives a restart, and the bundled `stratus start` serves it', async () => {
    const fileName = certificateUrl.slice(certificateUrl.lastIndexOf('/') + 1);
    const server = await startTestServer({ config: { inMemory: false, dataDir: data.dir } });
    try {
      const key = await signingKeysOf(server.stratus.runtime.store).current();
      assert.equal(key.certificateFileName, fileName);
      assert.equal(await (await fetch(`${server.url}/${fileName}`)).text(), pem);
    } finally {
      await server.stop();
    }
    const child = await spawnServer({ dataDir: data.dir });
    try {
      const response = await fetch(`${child.url}/${fileName}`);
      assert.equal(response.status, 200, child.output());
      assert.equal(await response.text(), pem);
    } finally {
      await child.kill('SIGTERM');
    }
  });
});
