import { randomBytes } from 'node:crypto';
import { PlatformApi } from './platform';

export interface Tenant {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  userId: string;
  projectId: string;
  apiKey: string;
  connectorId?: string;
}

/** A fresh user with a project and a secret key — suites isolate themselves by tenant, never by seed data. */
export async function createTenant(
  platform: PlatformApi,
  options: { telegram?: { botToken: string; baseUrl: string } } = {},
): Promise<Tenant> {
  const email = `user-${randomBytes(6).toString('hex')}@example.com`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const signup = await platform.request('POST', 'auth/signup', { body: { email, password } });
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${signup.text}`);
  const token = signup.body.accessToken as string;
  const project = await platform.request('POST', 'projects', { token, body: { name: 'Test project' } });
  const key = await platform.request('POST', `projects/${project.body.id}/keys`, { token, body: { name: 'server' } });
  const tenant: Tenant = {
    email,
    password,
    accessToken: token,
    refreshToken: signup.body.refreshToken,
    userId: signup.body.user.id,
    projectId: project.body.id,
    apiKey: key.body.key,
  };
  if (options.telegram) {
    const { botToken, baseUrl } = options.telegram;
    tenant.connectorId = await addConnector(platform, tenant, {
      type: 'telegram',
      name: 'Bot',
      credentials: { botToken },
      config: { baseUrl },
    });
  }
  return tenant;
}

/** Adds a connector to the tenant's project; returns its id (throws unless it was created). */
export async function addConnector(
  platform: PlatformApi,
  tenant: Tenant,
  connector: { type: string; name?: string; credentials: object; config?: object },
): Promise<string> {
  const { type, name = type, credentials, config = {} } = connector;
  const res = await platform.request('POST', `projects/${tenant.projectId}/connectors`, {
    token: tenant.accessToken,
    body: { type, name, credentials, config },
  });
  if (res.status !== 201) throw new Error(`${type} connector failed: ${res.status} ${res.text}`);
  return res.body.id;
}

/** The part of a provider fake that hands out a Twilio account (test/fakes/twilio.fake.ts). */
interface TwilioAccounts {
  readonly baseUrl: string;
  addAccount(): { accountSid: string; authToken: string };
}

/** A Twilio connector (named `sms`) on a fresh account of the fake; returns its id. */
export function addTwilioConnector(platform: PlatformApi, tenant: Tenant, twilio: TwilioAccounts, config: object = {}): Promise<string> {
  const { accountSid, authToken } = twilio.addAccount();
  return addConnector(platform, tenant, {
    type: 'twilio',
    name: 'sms',
    credentials: { accountSid, authToken, from: '+14155550100' },
    config: { baseUrl: twilio.baseUrl, ...config },
  });
}

/** The part of a provider fake that hands out a WhatsApp phone number (test/fakes/whatsapp.fake.ts). */
interface WhatsAppNumbers {
  readonly baseUrl: string;
  addPhoneNumber(): { accessToken: string; phoneNumberId: string };
}

/** A WhatsApp connector on a fresh phone number of the fake, with these receipt secrets; returns its id. */
export function addWhatsAppConnector(
  platform: PlatformApi,
  tenant: Tenant,
  whatsapp: WhatsAppNumbers,
  secrets: { appSecret: string; verifyToken?: string },
  config: object = {},
): Promise<string> {
  const { accessToken, phoneNumberId } = whatsapp.addPhoneNumber();
  return addConnector(platform, tenant, {
    type: 'whatsapp',
    credentials: { accessToken, phoneNumberId, ...secrets },
    config: { baseUrl: whatsapp.baseUrl, ...config },
  });
}

/** A webhook endpoint of the tenant's project for these events; returns it as created (its secret is shown once). */
export async function addWebhookEndpoint(
  platform: PlatformApi,
  tenant: Tenant,
  url: string,
  events: string[],
): Promise<{ id: string; secret: string }> {
  const res = await platform.request('POST', `projects/${tenant.projectId}/webhooks`, { token: tenant.accessToken, body: { url, events } });
  if (res.status !== 201) throw new Error(`webhook endpoint failed: ${res.status} ${res.text}`);
  return res.body;
}
