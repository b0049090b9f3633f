import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context a message was accepted in (`traceparent`, then ` tracestate` if any), so the
 * outbox sweep, provider receipts and the status reconciler continue the message's own trace. Nullable:
 * rows accepted before it have none. The CHECK bounds it (55 + 1 + 512) whatever writes the row.
 */
export class MessageTraceContext1765094400000 implements MigrationInterface {
  name = 'MessageTraceContext1765094400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "messages" ADD "trace_context" text CONSTRAINT "messages_trace_context_length" CHECK (length("trace_context") <= 568)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" DROP COLUMN "trace_context"`);
  }
}
