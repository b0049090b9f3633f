import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Platform } from './support/platform';

jest.setTimeout(60_000);

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Bx7cQ1aZ.js"></script></head><body></body></html>';
const SCRIPT = 'console.log("dashboard");';

/** A tiny stand-in for Vite's output: index.html, hashed assets, a public file, and Vite's manifest. */
function fixtureBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mjs-dashboard-'));
  mkdirSync(path.join(dir, 'assets'));
  mkdirSync(path.join(dir, '.vite'));
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, 'assets', 'index-Bx7cQ1aZ.js'), SCRIPT);
  writeFileSync(path.join(dir, 'assets', 'index-D4sK2mQp.css'), 'body{margin:0}');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dir, '.vite', 'manifest.json'), '{"secret":"manifest"}');
  return dir;
}

function expectDashboardHeaders(headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  const directives = Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
  expect(directives['default-src']).toEqual(["'self'"]);
  expect(directives['script-src']).toEqual(["'self'"]);
  expect(directives['style-src']).toEqual(["'self'"]);
  expect(directives['img-src']).toEqual(["'self'", 'data:']);
  expect(directives['connect-src']).toEqual(["'self'"]);
  expect(directives['frame-ancestors']).toEqual(["'none'"]);
  expect(directives['base-uri']).toEqual(["'self'"]);
  expect(directives['form-action']).toEqual(["'self'"]);
  expect(csp).not.toContain('unsafe');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('same-origin');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('x-request-id')).toBeTruthy();
}

describe('the gateway serves the built dashboard at /', () => {
  let platform: Platform;
  let build: string;

  beforeAll(async () => {
    build = fixtureBuild();
    platform = await Platform.start({ apps: ['gateway'], env: { DASHBOARD_DIR: build } });
  });

  afterAll(async () => {
    await platform?.stop();
    rmSync(build, { recursive: true, force: true });
  });

  it('answers / with index.html, never cached, under a strict CSP', async () => {
    const res = await platform.request('GET', '/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toBe(INDEX);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectDashboardHeaders(res.headers);
  });

  it.each(['/projects', '/projects/0b8a5c1e-2f4d-4c3b-9a7e-6d5f4e3c2b1a/messages', '/login?next=%2Fprojects', '/settings/keys/'])(
    'answers the deep link %s with index.html, for the browser-side router',
    async (url) => {
      const res = await platform.request('GET', url, { headers: { accept: 'text/html' } });
      expect([res.status, res.text]).toEqual([200, INDEX]);
      expectDashboardHeaders(res.headers);
    },
  );

  it('serves hashed assets cached for a year, and other files revalidated', async () => {
    const script = await platform.request('GET', '/assets/index-Bx7cQ1aZ.js');
    expect([script.status, script.text]).toEqual([200, SCRIPT]);
    expect(script.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectDashboardHeaders(script.headers);
    const style = await platform.request('GET', '/assets/index-D4sK2mQp.css');
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
    const icon = await platform.request('GET', '/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing hashed asset with a 404 problem, not the page', async () => {
    const res = await platform.request('GET', '/assets/index-OLDHASH1.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('revalidates index.html with its ETag (304)', async () => {
    const first = await platform.request('GET', '/');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // What a browser sends on reload (fetch would otherwise add `Cache-Control: no-cache`, which forbids a 304).
    const again = await platform.request('GET', '/', { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await fetch(`${platform.baseUrl}/projects`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toBe('');
  });

  it('does not serve dotfiles such as Vite’s manifest', async () => {
    const res = await platform.request('GET', '/.vite/manifest.json');
    expect(res.text).not.toContain('manifest');
  });

  it('leaves the API, its documents, the probes and callbacks alone', async () => {
    const api = await platform.request('GET', '/api/v1/nope', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(api.headers.get('content-security-policy')).toBeNull();
    expect((await platform.request('GET', '/healthz')).status).toBe(200);
    expect((await platform.request('GET', '/openapi.json')).body.openapi).toBe('3.1.0');
    expect((await platform.request('GET', '/docs')).text).toMatch(/swagger-ui/i);
    expect((await platform.request('GET', '/metrics')).text).not.toBe(INDEX);
    const callback = await platform.request('GET', '/callbacks/whatsapp/0b8a5c1e-2f4d-4c3b-9a7e-6d5f4e3c2b1a', {
      headers: { accept: 'text/html' },
    });
    expect([callback.status, callback.text === INDEX]).toEqual([404, false]);
  });

  it('answers other methods on dashboard paths with a 404 problem', async () => {
    const res = await platform.request('POST', '/projects', { body: {} });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('the gateway without a built dashboard', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await Platform.start({ apps: ['gateway'], env: { DASHBOARD_DIR: path.join(tmpdir(), 'mjs-no-such-dashboard') } });
  });

  afterAll(() => platform?.stop());

  it('tells a browser how to build it, on a page that keeps the CSP', async () => {
    const res = await platform.request('GET', '/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('npm run build');
    expect(res.text).toContain('DASHBOARD_DIR');
    expect(res.text).not.toMatch(/<script|style=/);
    expectDashboardHeaders(res.headers);
  });

  it('tells an API client the same in a problem, and keeps serving the API', async () => {
    const res = await platform.request('GET', '/projects', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'https://messagejs.dev/problems/not-found', detail: expect.stringContaining('npm run build') });
    expect((await platform.request('GET', '/healthz')).status).toBe(200);
  });
});
