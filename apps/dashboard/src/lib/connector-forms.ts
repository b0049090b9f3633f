import type { ConnectorType } from '@contracts/connector-types';

/** One input of a connector form: which object it belongs to and where the user finds its value. */
export interface ConnectorField {
  key: string;
  label: string;
  in: 'credentials' | 'config';
  kind: 'text' | 'secret' | 'number' | 'checkbox';
  required?: boolean;
  placeholder?: string;
  help: string;
}

export interface ConnectorForm {
  title: string;
  /** What a test message's recipient looks like on this channel. */
  recipientHint: string;
  fields: ConnectorField[];
}

const baseUrl = (fallback: string): ConnectorField => ({
  key: 'baseUrl',
  label: 'API base URL (optional)',
  in: 'config',
  kind: 'text',
  placeholder: fallback,
  help: `Leave empty for ${fallback}. Set it only for a self-hosted server or a test fake.`,
});

export const CONNECTOR_FORMS: Record<ConnectorType, ConnectorForm> = {
  telegram: {
    title: 'Telegram bot',
    recipientHint: 'A chat id (e.g. 123456789) or @channelusername. The user must have started a chat with the bot.',
    fields: [
      {
        key: 'botToken',
        label: 'Bot token',
        in: 'credentials',
        kind: 'secret',
        required: true,
        placeholder: '123456789:AA…',
        help: 'In Telegram, message @BotFather: /newbot creates a bot and replies with its token; /token shows the token of an existing bot.',
      },
      baseUrl('https://api.telegram.org'),
    ],
  },
  whatsapp: {
    title: 'WhatsApp Cloud API',
    recipientHint: 'A phone number in E.164, e.g. +15551234567.',
    fields: [
      {
        key: 'accessToken',
        label: 'Access token',
        in: 'credentials',
        kind: 'secret',
        required: true,
        help: 'Meta Business Settings → Users → System users → Generate token, with the whatsapp_business_messaging permission (the temporary token on the API Setup page expires in 24 hours).',
      },
      {
        key: 'phoneNumberId',
        label: 'Phone number ID',
        in: 'credentials',
        kind: 'text',
        required: true,
        placeholder: '106540352242922',
        help: 'Meta for Developers → your app → WhatsApp → API Setup: the "Phone number ID" under the sender number (digits, not the phone number itself).',
      },
      {
        key: 'appSecret',
        label: 'App secret (for receipts)',
        in: 'credentials',
        kind: 'secret',
        help: 'Meta for Developers → your app → App settings → Basic → App secret. Used to check the signature of delivery receipts.',
      },
      {
        key: 'verifyToken',
        label: 'Webhook verify token (for receipts)',
        in: 'credentials',
        kind: 'secret',
        help: 'Any string of 8+ characters you choose; enter the same one as "Verify token" in WhatsApp → Configuration → Webhook.',
      },
      baseUrl('https://graph.facebook.com'),
    ],
  },
  twilio: {
    title: 'Twilio SMS',
    recipientHint: 'A phone number in E.164, e.g. +15551234567.',
    fields: [
      {
        key: 'accountSid',
        label: 'Account SID',
        in: 'credentials',
        kind: 'text',
        required: true,
        placeholder: 'AC…',
        help: 'Twilio Console → Account → API keys & tokens (also on the Console home page): starts with AC.',
      },
      {
        key: 'authToken',
        label: 'Auth token',
        in: 'credentials',
        kind: 'secret',
        required: true,
        help: 'Twilio Console → Account → API keys & tokens → Auth token (click to reveal).',
      },
      {
        key: 'from',
        label: 'From number or sender ID',
        in: 'credentials',
        kind: 'text',
        placeholder: '+14155550100',
        help: 'Phone Numbers → Manage → Active numbers, in E.164. Fill this or the Messaging Service SID, not both.',
      },
      {
        key: 'messagingServiceSid',
        label: 'Messaging Service SID',
        in: 'credentials',
        kind: 'text',
        placeholder: 'MG…',
        help: 'Messaging → Services: starts with MG. Twilio picks the sender from the service’s pool.',
      },
      baseUrl('https://api.twilio.com'),
    ],
  },
  smtp: {
    title: 'Email (SMTP)',
    recipientHint: 'An email address.',
    fields: [
      {
        key: 'host',
        label: 'SMTP host',
        in: 'credentials',
        kind: 'text',
        required: true,
        placeholder: 'smtp.example.com',
        help: "Your mail provider's SMTP server (e.g. smtp.sendgrid.net, email-smtp.eu-west-1.amazonaws.com).",
      },
      {
        key: 'port',
        label: 'Port',
        in: 'credentials',
        kind: 'number',
        required: true,
        placeholder: '587',
        help: '587 for submission with STARTTLS, 465 for implicit TLS.',
      },
      {
        key: 'secure',
        label: 'Implicit TLS (port 465)',
        in: 'credentials',
        kind: 'checkbox',
        help: 'Tick for port 465; leave unticked for 587, which upgrades with STARTTLS.',
      },
      {
        key: 'username',
        label: 'Username',
        in: 'credentials',
        kind: 'text',
        help: 'The SMTP user from your provider (for SendGrid the literal word "apikey").',
      },
      {
        key: 'password',
        label: 'Password',
        in: 'credentials',
        kind: 'secret',
        help: 'The SMTP password or API key your provider issued for SMTP.',
      },
      {
        key: 'from',
        label: 'From',
        in: 'credentials',
        kind: 'text',
        required: true,
        placeholder: 'Acme <no-reply@acme.com>',
        help: 'A sender address your provider lets you send as (a verified domain or address).',
      },
    ],
  },
};

export type FieldValues = Record<string, string | boolean>;

/** The request body parts for a form's values: empty optional fields are left out, numbers are numbers. */
export function connectorBody(
  type: ConnectorType,
  values: FieldValues,
): { credentials: Record<string, unknown>; config: Record<string, unknown> } {
  const credentials: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  for (const field of CONNECTOR_FORMS[type].fields) {
    const value = values[field.key];
    if (value === undefined || value === '' || (field.kind === 'checkbox' && value === false)) continue;
    (field.in === 'credentials' ? credentials : config)[field.key] = field.kind === 'number' ? Number(value) : value;
  }
  return { credentials, config };
}
