import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from './http/problem.dto';

/** The OpenAPI document describes API.md; it is generated from the DTOs so the two cannot drift. */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('MessageJS API')
    .setDescription('Send WhatsApp, Telegram, SMS and email messages with one call. Errors are RFC 9457 problem details.')
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'mjs_sk_…', description: 'API key: mjs_sk_… (server) or mjs_pk_… (browser)' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Dashboard access token from /auth/login' }, 'jwt')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  // Every operation can fail with a problem document; say so once for all of them.
  const problem = { description: 'An RFC 9457 problem', content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } } };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      const operation = item[method];
      if (operation) operation.responses = { ...operation.responses, default: problem };
    }
  }
  return document;
}
