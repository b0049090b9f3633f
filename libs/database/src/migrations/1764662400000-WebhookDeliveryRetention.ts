import { MigrationInterface, QueryRunner } from 'typeorm';

/** The delivery log is pruned by age: an index on created_at keeps that from scanning the table. */
export class WebhookDeliveryRetention1764662400000 implements MigrationInterface {
  name = 'WebhookDeliveryRetention1764662400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "webhook_deliveries_created" ON "webhook_deliveries" ("created_at") `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."webhook_deliveries_created"`);
  }
}
