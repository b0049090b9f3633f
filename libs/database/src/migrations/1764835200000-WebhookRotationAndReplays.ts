import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated from the webhook entities (schema builder log), reviewed; the unique constraint, which the
 * builder does not compare by columns, was changed by hand. Endpoints keep the secret a rotation
 * replaced (and until when it signs); deliveries may be a test event (no message) or a replay.
 */
export class WebhookRotationAndReplays1764835200000 implements MigrationInterface {
  name = 'WebhookRotationAndReplays1764835200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "webhook_endpoints" ADD "previous_secret_sealed" text`);
    await q.query(`ALTER TABLE "webhook_endpoints" ADD "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "webhook_deliveries" ADD "replay" integer NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "webhook_deliveries" ALTER COLUMN "message_id" DROP NOT NULL`);
    await q.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_attempt"`);
    await q.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_attempt" UNIQUE ("endpoint_id", "webhook_id", "replay", "attempt")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    // Test events and replays have no place in the old shape.
    await q.query(`DELETE FROM "webhook_deliveries" WHERE "message_id" IS NULL OR "replay" > 0`);
    await q.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "webhook_deliveries_attempt"`);
    await q.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_attempt" UNIQUE ("endpoint_id", "webhook_id", "attempt")`,
    );
    await q.query(`ALTER TABLE "webhook_deliveries" ALTER COLUMN "message_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "webhook_deliveries" DROP COLUMN "replay"`);
    await q.query(`ALTER TABLE "webhook_endpoints" DROP COLUMN "previous_secret_expires_at"`);
    await q.query(`ALTER TABLE "webhook_endpoints" DROP COLUMN "previous_secret_sealed"`);
  }
}
