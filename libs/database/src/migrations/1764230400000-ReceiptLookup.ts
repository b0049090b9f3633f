import { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated from the entities (schema builder log), reviewed: receipt lookup by provider id, and early receipts kept aside. */
export class ReceiptLookup1764230400000 implements MigrationInterface {
  name = 'ReceiptLookup1764230400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "pending_receipts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "connector_id" uuid NOT NULL, "external_id" text NOT NULL, "status" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "error_code" text, "error_message" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8522d1f683470c93aeee3964118" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "pending_receipts_created" ON "pending_receipts" ("created_at") `);
    await q.query(`CREATE INDEX "pending_receipts_lookup" ON "pending_receipts" ("connector_id", "external_id") `);
    await q.query(`CREATE INDEX "messages_receipt_lookup" ON "messages" ("connector_id", "external_id") `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."messages_receipt_lookup"`);
    await q.query(`DROP INDEX "public"."pending_receipts_lookup"`);
    await q.query(`DROP INDEX "public"."pending_receipts_created"`);
    await q.query(`DROP TABLE "pending_receipts"`);
  }
}
