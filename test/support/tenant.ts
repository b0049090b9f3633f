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
    const connector = await platform.request('POST', `projects/${tenant.projectId}/connectors`, {
      token,
      body: {
        type: 'telegram',
        name: 'Bot',
        credentials: { botToken: options.telegram.botToken },
        config: { baseUrl: options.telegram.baseUrl },
      },
    });
    if (connector.status !== 201) throw new Error(`connector failed: ${connector.status} ${connector.text}`);
    tenant.connectorId = connector.body.id;
  }
  return tenant;
}
