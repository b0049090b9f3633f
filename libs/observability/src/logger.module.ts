import { randomUUID } from 'node:crypto';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_CONFIG, AppConfig } from '@app/config';
import { serializeError } from './log-error';
import { logContext } from './tracing';

/** Paths pino blanks out wherever they appear, so secrets never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.credentials',
  '*.botToken',
  '*.authToken',
  '*.accessToken',
  '*.refreshToken',
  '*.appSecret',
  '*.key',
  '*.secret',
  '*.token',
];

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const sent = req.headers['x-request-id'];
  const id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

@Module({})
export class LoggerModule {
  static forApp(app: string): DynamicModule {
    return {
      module: LoggerModule,
      imports: [
        PinoLoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            // Every route, in Nest 11's path syntax (nestjs-pino's default, '*', makes Nest warn at each start).
            forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
            pinoHttp: {
              name: app,
              level: config.logLevel,
              // traceId, requestId and messageId of the work in progress, on every line (pino-http's own included).
              mixin: logContext,
              redact: { paths: REDACT_PATHS, censor: '[redacted]' },
              genReqId: requestIdOf,
              autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url?.split('?')[0],
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
                err: serializeError,
              },
            },
          }),
        }),
      ],
      exports: [PinoLoggerModule],
    };
  }
}
