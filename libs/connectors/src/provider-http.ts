import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { withTraceHeaders } from '@app/observability';
import { outboundLookup, OutboundPolicy, PUBLIC_ONLY, resolveUnder, skipsAddressCheck } from '@app/transport';

export interface ProviderRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** A provider's answer, read whole (up to MAX_BODY_BYTES). */
export interface ProviderResponse {
  status: number;
  text: string;
  header(name: string): string | null;
}

/** Provider answers are small JSON documents; anything past this is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

/** No answer in time; `unreachable` (http-failure.ts) reads the name. */
class ProviderTimeout extends Error {
  override name = 'TimeoutError';
}

/**
 * The only way connectors reach a provider over HTTP. The outbound guard runs at the connect itself
 * (the checked resolution is the one connected to, so DNS rebinding cannot reach inside), redirects
 * are never followed (a 3xx is just an answer), and keep-alive sockets are reused per connector.
 */
export class ProviderHttp {
  readonly #policy: OutboundPolicy;
  readonly #agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(policy: OutboundPolicy = PUBLIC_ONLY) {
    this.#policy = policy;
  }

  async request(url: string, init: ProviderRequest): Promise<ProviderResponse> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const port = target.port ? Number(target.port) : secure ? 443 : 80;
    const allowAny = skipsAddressCheck(target.hostname, port, this.#policy);
    // Node does not call `lookup` for IP literals: check those here.
    if (isIP(target.hostname.replace(/^\[(.*)\]$/, '$1'))) await resolveUnder(target.hostname, port, this.#policy);
    const body = init.body ?? '';
    return new Promise<ProviderResponse>((resolve, reject) => {
      const req = (secure ? https : http).request(target, {
        method: init.method,
        // The caller's trace context goes with every provider call (traceparent/tracestate only, never baggage).
        headers: withTraceHeaders({
          ...init.headers,
          ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        }),
        agent: secure ? this.#agents.https : this.#agents.http,
        lookup: outboundLookup(allowAny),
      });
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
        req.destroy();
      };
      const timer = setTimeout(() => fail(new ProviderTimeout(`no answer within ${init.timeoutMs} ms`)), init.timeoutMs);
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) fail(Object.assign(new Error('answer too large'), { code: 'ERESPONSETOOLARGE' }));
          else chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, text, header: (name) => headerValue(res.headers[name.toLowerCase()]) });
        });
      });
      req.end(init.body);
    });
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
