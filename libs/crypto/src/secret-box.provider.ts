import { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { SecretBox } from './secret-box';

/** The process's SecretBox, keyed from MESSAGEJS_ENCRYPTION_KEY (+ retired versions). */
export const secretBoxProvider: Provider = {
  provide: SecretBox,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new SecretBox(config.encryption.keys, config.encryption.currentVersion),
};
