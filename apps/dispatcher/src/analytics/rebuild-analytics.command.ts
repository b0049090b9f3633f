import { AppConfig } from '@app/config';
import { createDataSource } from '@app/database';
import { AnalyticsRepository } from './analytics.repository';

/** `node dist/apps/dispatcher/main.js rebuild-analytics`: the rollups recomputed from every message (see AnalyticsRepository.rebuild). */
export async function rebuildAnalytics(config: AppConfig): Promise<void> {
  const dataSource = createDataSource(config.databaseUrl, { poolSize: 1, applicationName: 'messagejs-rebuild-analytics' });
  await dataSource.initialize();
  try {
    const started = Date.now();
    const messages = await new AnalyticsRepository(dataSource).rebuild();
    process.stdout.write(`analytics rebuilt from ${messages} messages in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await dataSource.destroy();
  }
}
