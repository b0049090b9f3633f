import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the status reconciler last asked the provider about a message still `sent` (no receipt can
 * reach a platform without PUBLIC_URL); a partial index keeps its scan to messages waiting in `sent`.
 */
export class MessageStatusCheck1765008000000 implements MigrationInterface {
  name = 'MessageStatusCheck1765008000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" ADD "status_checked_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "messages_awaiting_receipt" ON "messages" ("sent_at") WHERE "status" = 'sent'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."messages_awaiting_receipt"`);
    await q.query(`ALTER TABLE "messages" DROP COLUMN "status_checked_at"`);
  }
}
