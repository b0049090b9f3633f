import { MigrationInterface, QueryRunner } from 'typeorm';

/** Counts re-drives of failed messages: each one is a new queue job, so the count is part of its id. */
export class MessageRedrives1764360000000 implements MigrationInterface {
  name = 'MessageRedrives1764360000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" ADD "redrives" integer NOT NULL DEFAULT '0'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" DROP COLUMN "redrives"`);
  }
}
