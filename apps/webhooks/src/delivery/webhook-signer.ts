import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { webhookSecretKey } from '@app/crypto';

/**
 * Standard Webhooks 1.0 signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the `whsec_`
 * secret, sent as `webhook-signature: v1,<base64>`. Each attempt is signed afresh with its own time.
 */
@Injectable()
export class WebhookSigner {
  signature(secret: string, webhookId: string, timestampSeconds: number, body: string): string {
    const mac = createHmac('sha256', webhookSecretKey(secret)).update(`${webhookId}.${timestampSeconds}.${body}`, 'utf8');
    return `v1,${mac.digest('base64')}`;
  }

  /**
   * The headers of one attempt (the body is sent byte for byte as signed). While a rotated-out secret
   * is still honoured, each secret signs: `v1,<new> v1,<old>`, and a receiver holding either verifies.
   */
  headers(secrets: string[], webhookId: string, timestampSeconds: number, body: string): Record<string, string> {
    return {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestampSeconds),
      'webhook-signature': secrets.map((secret) => this.signature(secret, webhookId, timestampSeconds, body)).join(' '),
    };
  }
}
