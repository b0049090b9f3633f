import { MigrationInterface, QueryRunner } from 'typeorm';

/** WhatsApp template sends keep their approved template and parameters with the message (for re-queueing). */
export class MessageWhatsAppTemplate1764316800000 implements MigrationInterface {
  name = 'MessageWhatsAppTemplate1764316800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" ADD "whatsapp_template" jsonb`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" DROP COLUMN "whatsapp_template"`);
  }
}
