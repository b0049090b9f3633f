import { ApiResponse, getSchemaPath, HeaderObject } from '@nestjs/swagger';
import { ProblemDto } from '../http/problem.dto';

export const RATE_LIMIT_HEADERS_DOC: Record<string, HeaderObject> = {
  'RateLimit-Policy': {
    description: 'The quota per window (draft-ietf-httpapi-ratelimit-headers), e.g. `"default";q=100;w=1`',
    schema: { type: 'string' },
  },
  RateLimit: {
    description: 'Requests left and seconds until a slot frees, e.g. `"default";r=99;t=1`',
    schema: { type: 'string' },
  },
};

/** The 429 every rate-limited route may answer. */
export const ApiRateLimited = (): ClassDecorator & MethodDecorator =>
  ApiResponse({
    status: 429,
    description: 'Over the rate limit of the API key (or user); wait Retry-After seconds',
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } }, ...RATE_LIMIT_HEADERS_DOC },
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
  });
