import 'reflect-metadata';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, raw, Request, Response, urlencoded } from 'express';
import { announceReady, applyCommonBootstrap, configOrExit, exitOnStartupFailure, serveHealth, traceRequests } from '@app/observability';
import { GatewayModule } from './gateway.module';
import { GatewayMetrics } from './health/gateway.metrics';
import { dashboard } from './dashboard/dashboard.middleware';
import { requireJsonContentType, requireObjectBody } from './http/body-guard.middleware';
import { corsPreflight } from './http/cors-preflight.middleware';
import { ProblemFilter } from './http/problem.filter';
import { createValidationPipe } from './http/validation';
import { buildOpenApi } from './openapi';

async function bootstrap(): Promise<void> {
  const config = configOrExit('gateway');
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule, { bufferLogs: true, bodyParser: false });
  applyCommonBootstrap(app);
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(traceRequests);
  app.setGlobalPrefix('api/v1', { exclude: ['healthz', 'readyz', 'metrics'] });
  // The built apps live in dist/apps/<app>/, the dashboard's Vite build in dist/dashboard/.
  app.use(dashboard(config.dashboardDir ?? path.join(__dirname, '..', '..', 'dashboard')));
  app.use(corsPreflight);
  app.use(requireJsonContentType);
  // Provider callbacks: Meta signs the exact body bytes; Twilio posts a form. The JSON parser then skips them.
  app.use('/api/v1/callbacks/whatsapp', raw({ type: () => true, limit: '256kb' }));
  app.use('/api/v1/callbacks/twilio', urlencoded({ extended: false, limit: '256kb' }));
  app.use(json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  app.use(requireObjectBody);
  app.useGlobalPipes(createValidationPipe());

  const document = buildOpenApi(app, config.publicUrl ?? `http://localhost:${config.port}`);
  app.use('/openapi.json', (req: Request, res: Response, next: NextFunction) => (req.method === 'GET' ? res.json(document) : next()));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });

  await app.init();
  // Failures before routing (body parser, content type) reach this last handler, not Nest's filters.
  const problems = app.get(ProblemFilter);
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => problems.write(err, req, res));
  // Longer than a load balancer's idle timeout (AWS ALB: 60 s), so the balancer, not Node, closes idle
  // keep-alive sockets and never sends a request onto one being closed (a sporadic 502 otherwise).
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.listen(config.port, '0.0.0.0');
  await serveHealth(app, 'gateway', app.get(GatewayMetrics).registry);
  announceReady();
}

bootstrap().catch(exitOnStartupFailure('gateway'));
