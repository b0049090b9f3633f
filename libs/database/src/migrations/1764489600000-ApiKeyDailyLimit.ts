import { MigrationInterface, QueryRunner } from 'typeorm';

/** Public keys get a per-day cap; keys made before it existed get the default, secret keys none. */
export class ApiKeyDailyLimit1764489600000 implements MigrationInterface {
  name = 'ApiKeyDailyLimit1764489600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_keys" ADD "daily_limit" integer`);
    await q.query(`UPDATE "api_keys" SET "daily_limit" = 1000 WHERE "type" = 'public'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "api_keys" DROP COLUMN "daily_limit"`);
  }
}
