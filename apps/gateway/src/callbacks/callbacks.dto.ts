import { ApiProperty, SchemaObject } from '@nestjs/swagger';

export class WebhookReceivedDto {
  @ApiProperty({ type: 'integer', description: 'How many status updates the notification carried', example: 1 })
  received: number;
}

/** Twilio's StatusCallback form, for the document only: Twilio adds fields at will, so it is not validated. */
export const TWILIO_STATUS_CALLBACK_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['MessageSid', 'MessageStatus'],
  properties: {
    MessageSid: { type: 'string', example: 'SM0123456789abcdef0123456789abcdef' },
    MessageStatus: { type: 'string', enum: ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'canceled'] },
    ErrorCode: { type: 'string', example: '30003' },
    AccountSid: { type: 'string' },
  },
  additionalProperties: { type: 'string' },
};

/** A WhatsApp Cloud API notification; only `entry[].changes[].value.statuses[]` is read. */
export const WHATSAPP_NOTIFICATION_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Meta signs the exact bytes: the body is checked before it is parsed',
  properties: { object: { type: 'string', example: 'whatsapp_business_account' }, entry: { type: 'array', items: { type: 'object' } } },
};
