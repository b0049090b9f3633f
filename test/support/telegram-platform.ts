import { TelegramFake, TelegramFakeOptions } from '../fakes/telegram.fake';
import { AppName, Platform } from './platform';
import { createTenant, Tenant } from './tenant';

/** What most suites run against: a platform, the Telegram fake, and a tenant whose connector sends to it. */
export interface TelegramPlatform {
  platform: Platform;
  telegram: TelegramFake;
  tenant: Tenant;
}

/**
 * Starts the Telegram fake and a platform, and makes a tenant with a Telegram connector on the fake.
 * The fake closes with the platform (`platform.stop()`), so a suite's afterAll has one line.
 */
export async function startWithTelegram(
  options: { env?: Record<string, string>; apps?: AppName[]; telegram?: TelegramFakeOptions } = {},
): Promise<TelegramPlatform> {
  const telegram = await TelegramFake.start(options.telegram);
  let platform: Platform | undefined;
  try {
    platform = await Platform.start({ env: options.env, apps: options.apps, closeWith: [telegram] });
    const tenant = await createTenant(platform, { telegram: { botToken: telegram.addToken(), baseUrl: telegram.baseUrl } });
    return { platform, telegram, tenant };
  } catch (err) {
    // Platform.start closes the fake itself when it fails.
    if (platform) await platform.stop();
    else await telegram.close().catch(() => undefined);
    throw err;
  }
}
