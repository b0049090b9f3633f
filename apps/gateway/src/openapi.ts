import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from './http/problem.dto';

/** The OpenAPI document describes API.md; it is generated from the DTOs so the two cannot drift. */
/** `serverUrl`: where clients reach this platform (PUBLIC_URL), so generated clients need no base URL. */
export function buildOpenApi(app: INestApplication, serverUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('MessageJS API')
    .setDescription('Send WhatsApp, Telegram, SMS and email messages with one call. Errors are RFC 9457 problem details.')
    .setVersion('1.0.0')
    .addServer(serverUrl)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'mjs_sk_…', description: 'API key: mjs_sk_… (server) or mjs_pk_… (browser)' },
      'apiKey',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Dashboard access token from /auth/login' }, 'jwt')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  // Every operation can fail with a problem document; say so once for all of them.
  const problem = {
    description: 'An RFC 9457 problem',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      const operation = item[method];
      if (operation) operation.responses = { ...operation.responses, default: problem };
    }
  }
  nullableToJsonSchema(document);
  return document;
}

/**
 * `nullable` is OpenAPI 3.0 and means nothing in a 3.1 (JSON Schema) document, so client generators
 * would type every nullable field as never null. @nestjs/swagger still writes it; say it the 3.1 way.
 */
function nullableToJsonSchema(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(nullableToJsonSchema);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(schema)) if (key !== 'example' && key !== 'examples') nullableToJsonSchema(value);
  if (typeof schema.nullable !== 'boolean') return;
  const nullable = schema.nullable;
  delete schema.nullable;
  if (!nullable) return;
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    // A nullable nested DTO comes as { type: 'object', allOf: [{ $ref }] }.
    schema.anyOf = [(schema.allOf as unknown[])[0], { type: 'null' }];
    delete schema.allOf;
    delete schema.type;
  } else if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum)) schema.enum = [...(schema.enum as unknown[]), null];
  } else {
    throw new Error(`OpenAPI: cannot express this nullable schema in 3.1: ${JSON.stringify(schema)}`);
  }
}
