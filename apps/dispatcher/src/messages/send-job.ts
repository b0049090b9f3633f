import { SendJobData } from '@app/contracts';
import { MessageEntity } from '@app/database';
import type { NewMessage } from './message.repository';

/** What a send job is made of, whichever path queues it (accept, outbox sweep, re-drive). */
export type QueuedMessage = Pick<
  NewMessage,
  'id' | 'projectId' | 'connectorId' | 'connectorType' | 'to' | 'body' | 'subject' | 'whatsappTemplate'
> & {
  redrives?: number;
  trace?: NewMessage['trace'];
  /** The trace context stored at accept (`trace_context`): work on the message later continues it. */
  traceContext?: string | null;
};

/** The SQL columns of a QueuedMessage, named as its fields. */
export const QUEUED_MESSAGE_COLUMNS = `id, project_id AS "projectId", connector_id AS "connectorId", connector_type AS "connectorType", "to", body, subject, whatsapp_template AS "whatsappTemplate", redrives, trace_context AS "traceContext"`;

/** The one mapping from a message to its connector queue's job. `recovered`: the outbox sweep found it. */
export function sendJobFor(m: QueuedMessage, recovered = false): { type: MessageEntity['connectorType']; job: SendJobData } {
  return {
    type: m.connectorType,
    job: {
      projectId: m.projectId,
      messageId: m.id,
      connectorId: m.connectorId,
      to: m.to,
      text: m.body,
      ...(m.subject ? { subject: m.subject } : {}),
      ...(m.whatsappTemplate ? { whatsappTemplate: m.whatsappTemplate } : {}),
      ...(m.redrives ? { redrives: m.redrives } : {}),
      ...(recovered ? { recovered: true } : {}),
      ...(m.trace ? { trace: m.trace } : {}),
    },
  };
}
