'use server';

import { MessageJS, MessageJSError } from 'messagejs';

export type SendResult = { ok: true; id: string; status: string } | { ok: false; error: string } | null;

/** Sends free text with the secret key, which stays on the server (no NEXT_PUBLIC_ prefix). */
export async function sendOrderUpdate(_previous: SendResult, form: FormData): Promise<SendResult> {
  const client = new MessageJS({
    apiKey: process.env.MESSAGEJS_SECRET_KEY ?? '',
    projectId: process.env.MESSAGEJS_PROJECT,
    baseUrl: process.env.MESSAGEJS_URL,
  });
  try {
    const accepted = await client.send({
      to: String(form.get('to')),
      message: String(form.get('message')),
      connector: process.env.MESSAGEJS_CONNECTOR ?? 'telegram',
    });
    return { ok: true, id: accepted.id, status: accepted.status };
  } catch (err) {
    if (err instanceof MessageJSError) return { ok: false, error: `${err.status} ${err.type}: ${err.detail ?? err.title}` };
    throw err;
  }
}
