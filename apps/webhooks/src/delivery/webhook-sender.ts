import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { withTraceHeaders } from '@app/observability';
import { outboundLookup, OutboundAddressRefused, resolveOutbound } from '@app/transport';

/** API.md: no answer within 15 s is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 15_000;

export interface SendResult {
  /** The endpoint's HTTP status; null when there was no answer. */
  status: number | null;
  durationMs: number;
  /** Why there was no answer (never a stack trace). */
  error: string | null;
}

class NoAnswer extends Error {}

function reasonOf(err: unknown, host: string): string {
  if (err instanceof NoAnswer || err instanceof OutboundAddressRefused) return err.message;
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${host} does not resolve (${e.code})`;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the endpoint';
    default:
      if (e.code && /CERT|SSL|TLS/.test(e.code)) return `TLS error: ${e.code}`;
      return e.code ?? e.message ?? 'request failed';
  }
}

/**
 * POSTs one signed body. The SSRF guard runs again here, at the connect itself (outboundLookup), so a
 * URL that was public when saved but resolves privately now (DNS rebinding) is refused. Redirects are
 * not followed: a 3xx is just a failed attempt.
 */
@Injectable()
export class WebhookSender {
  private readonly allowPrivate: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.allowPrivate = config.webhookAllowPrivate;
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const target = new URL(url);
    const elapsed = () => Math.round(performance.now() - started);
    try {
      // Node does not call `lookup` for IP literals: check those here.
      if (isIP(target.hostname.replace(/^\[(.*)\]$/, '$1'))) await resolveOutbound(target.hostname, this.allowPrivate);
      const status = await this.request(target, headers, body);
      return { status, durationMs: elapsed(), error: null };
    } catch (err) {
      return { status: null, durationMs: elapsed(), error: reasonOf(err, target.hostname) };
    }
  }

  /** Settles with the status code once the answer's headers arrive; the socket is closed after 15 s whatever happens. */
  private request(target: URL, headers: Record<string, string>, body: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const client = target.protocol === 'https:' ? https : http;
      const req = client.request(target, {
        method: 'POST',
        headers: withTraceHeaders({
          ...headers,
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'MessageJS-Webhooks/1.0',
        }),
        lookup: outboundLookup(this.allowPrivate),
        agent: false,
      });
      const timer = setTimeout(() => {
        const err = new NoAnswer(`no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`);
        reject(err);
        req.destroy(err);
      }, DELIVERY_TIMEOUT_MS);
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        res.resume(); // the body does not matter; read it so the socket can close
        res.on('close', () => clearTimeout(timer));
        res.on('error', () => undefined); // the status is recorded already; a body cut short changes nothing
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }
}
