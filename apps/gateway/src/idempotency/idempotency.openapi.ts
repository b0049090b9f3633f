import type { ApiHeaderOptions, HeaderObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH, REPLAYED_HEADER } from './idempotency-key';

export const IDEMPOTENCY_KEY_DOC: ApiHeaderOptions = {
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    'Makes a retry safe (IETF httpapi idempotency draft). A retry with the same key and body gets the first answer again ' +
    '(same status and body, `Idempotent-Replayed: true`) and sends nothing new; the same key with another body is 422; ' +
    'a retry while the first request is in progress is 409. Keys are kept at least 24 hours per project.',
  schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
};

export const REPLAYED_HEADER_DOC: Record<string, HeaderObject> = {
  [REPLAYED_HEADER]: {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};
