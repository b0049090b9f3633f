import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document describes API.md; it is generated from the DTOs so the two cannot drift. */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('MessageJS API')
    .setDescription('Send WhatsApp, Telegram, SMS and email messages with one call. Errors are RFC 9457 problem details.')
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key: mjs_sk_… (server) or mjs_pk_… (browser)' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Dashboard access token from /auth/login' }, 'jwt')
    .build();
  return SwaggerModule.createDocument(app, config);
}
