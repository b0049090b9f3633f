import { spawnSync } from 'node:child_process';
import { Platform } from './support/platform';

jest.setTimeout(60_000);

/** The routes API.md defines that exist so far, each with its operation id and auth scheme. */
const ROUTES: Array<[string, string, string | null]> = [
  ['post', '/api/v1/auth/signup', null],
  ['post', '/api/v1/auth/login', null],
  ['post', '/api/v1/auth/refresh', null],
  ['post', '/api/v1/auth/logout', null],
  ['post', '/api/v1/auth/password', 'jwt'],
  ['get', '/api/v1/auth/me', 'jwt'],
  ['post', '/api/v1/projects', 'jwt'],
  ['get', '/api/v1/projects', 'jwt'],
  ['get', '/api/v1/projects/{projectId}', 'jwt'],
  ['patch', '/api/v1/projects/{projectId}', 'jwt'],
  ['delete', '/api/v1/projects/{projectId}', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/keys', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/keys', 'jwt'],
  ['patch', '/api/v1/projects/{projectId}/keys/{keyId}', 'jwt'],
  ['delete', '/api/v1/projects/{projectId}/keys/{keyId}', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/connectors', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/connectors', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/connectors/{connectorId}', 'jwt'],
  ['patch', '/api/v1/projects/{projectId}/connectors/{connectorId}', 'jwt'],
  ['delete', '/api/v1/projects/{projectId}/connectors/{connectorId}', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/connectors/{connectorId}/verify', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/templates', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/templates', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/templates/{templateId}', 'jwt'],
  ['patch', '/api/v1/projects/{projectId}/templates/{templateId}', 'jwt'],
  ['delete', '/api/v1/projects/{projectId}/templates/{templateId}', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/webhooks', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/webhooks', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/webhooks/{webhookId}', 'jwt'],
  ['patch', '/api/v1/projects/{projectId}/webhooks/{webhookId}', 'jwt'],
  ['delete', '/api/v1/projects/{projectId}/webhooks/{webhookId}', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/webhooks/{webhookId}/deliveries', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/webhooks/{webhookId}/rotate-secret', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/webhooks/{webhookId}/test', 'jwt'],
  ['post', '/api/v1/projects/{projectId}/webhooks/{webhookId}/deliveries/{deliveryId}/replay', 'jwt'],
  ['get', '/api/v1/projects/{projectId}/analytics', 'jwt'],
  ['post', '/api/v1/messages', 'apiKey'],
  ['get', '/api/v1/messages', 'apiKey'],
  ['get', '/api/v1/messages/{messageId}', 'apiKey'],
  ['post', '/api/v1/messages/{messageId}/retry', 'apiKey'],
  ['post', '/api/v1/callbacks/twilio/{connectorId}', null],
  ['get', '/api/v1/callbacks/whatsapp/{connectorId}', null],
  ['post', '/api/v1/callbacks/whatsapp/{connectorId}', null],
  ['get', '/healthz', null],
  ['get', '/readyz', null],
];

describe('OpenAPI document', () => {
  let platform: Platform;
  let document: any;

  beforeAll(async () => {
    platform = await Platform.start({ apps: ['gateway'] });
    document = (await platform.request('GET', '/openapi.json')).body;
  });

  afterAll(() => platform?.stop());

  it('is a valid OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    // The validator is ESM-only; run it in a plain node process.
    const script = `import('@seriousme/openapi-schema-validator').then(async ({ Validator }) => {
      const res = await new Validator().validate(JSON.parse(require('fs').readFileSync(0, 'utf8')));
      process.stdout.write(JSON.stringify(res));
    })`;
    const out = spawnSync(process.execPath, ['-e', script], { input: JSON.stringify(document), encoding: 'utf8' });
    const result = JSON.parse(out.stdout);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('names the platform as its server, so a generated client needs no base URL', () => {
    expect(document.servers).toEqual([{ url: `http://localhost:${platform.port}` }]);
  });

  it('lists the API key first on message routes, so a client holding a JWT too sends the key', () => {
    expect(document.paths['/api/v1/messages'].post.security.map((s: Record<string, unknown>) => Object.keys(s)[0])).toEqual([
      'apiKey',
      'jwt',
    ]);
  });

  it.each(ROUTES)('describes %s %s with an operation id and its auth', (method, path, scheme) => {
    const operation = document.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
    expect(operation.responses.default.content['application/problem+json']).toBeDefined();
    const schemes = (operation.security ?? []).flatMap((s: Record<string, unknown>) => Object.keys(s));
    if (scheme) expect(schemes).toContain(scheme);
    else expect(schemes).toEqual([]);
  });

  it('documents the 202 of a send, the write-only connector credentials and the show-once secrets', () => {
    expect(document.paths['/api/v1/messages'].post.responses['202']).toBeDefined();
    const connector = document.components.schemas.ConnectorDto;
    expect(Object.keys(connector.properties)).not.toContain('credentials');
    expect(document.components.schemas.CreatedApiKeyDto.properties.key).toBeDefined();
    expect(Object.keys(document.components.schemas.WebhookDto.properties)).not.toContain('secret');
    expect(document.components.schemas.CreatedWebhookDto.properties.secret).toBeDefined();
  });

  it('documents the dashboard support: analytics, webhook tools, provider outcomes, callback URLs', () => {
    const schemas = document.components.schemas;
    expect(document.paths['/api/v1/projects/{projectId}/analytics'].get.responses['200']).toBeDefined();
    expect(Object.keys(schemas.AnalyticsDto.properties)).toEqual(['from', 'to', 'interval', 'series', 'connectors', 'topErrors']);
    const parameters = document.paths['/api/v1/projects/{projectId}/analytics'].get.parameters.map((p: { name: string }) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(['projectId', 'from', 'to', 'interval', 'connector']));
    expect(document.paths['/api/v1/projects/{projectId}/webhooks/{webhookId}/test'].post.responses['202']).toBeDefined();
    expect(
      document.paths['/api/v1/projects/{projectId}/webhooks/{webhookId}/deliveries/{deliveryId}/replay'].post.responses['202'],
    ).toBeDefined();
    expect(schemas.RotatedWebhookSecretDto.properties.secret).toBeDefined();
    expect(schemas.MessageEventDto.properties.provider).toBeDefined();
    expect(schemas.ConnectorDto.properties.callbackUrl).toMatchObject({ type: ['string', 'null'], readOnly: true });
    expect(schemas.ApiKeyDto.properties.lastUsedAt.type).toEqual(['string', 'null']);
    expect(schemas.WebhookDeliveryDto.properties.messageId.type).toEqual(['string', 'null']);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await platform.request('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger-ui/i);
  });
});
