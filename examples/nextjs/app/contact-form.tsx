'use client';

import { useState, type FormEvent } from 'react';
import { MessageJS, MessageJSError } from 'messagejs';

// Public by design: a public key (mjs_pk_…) may only send templates, only from its allowed origins,
// within its daily limit, so it can ship in the page. Next.js inlines NEXT_PUBLIC_* at build time.
const client = new MessageJS({
  apiKey: process.env.NEXT_PUBLIC_MESSAGEJS_PUBLIC_KEY ?? '',
  projectId: process.env.NEXT_PUBLIC_MESSAGEJS_PROJECT,
  baseUrl: process.env.NEXT_PUBLIC_MESSAGEJS_URL,
});

type State = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent'; id: string } | { kind: 'error'; text: string };

/** Sends the visitor's note to the shop's own chat through the `contact` template, from the browser. */
export function ContactForm() {
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setState({ kind: 'sending' });
    try {
      const accepted = await client.send({
        to: process.env.NEXT_PUBLIC_MESSAGEJS_TO ?? '',
        connector: process.env.NEXT_PUBLIC_MESSAGEJS_CONNECTOR ?? 'telegram',
        template: { name: 'contact', variables: { name: String(form.get('name')), message: String(form.get('message')) } },
      });
      setState({ kind: 'sent', id: accepted.id });
    } catch (err) {
      setState({
        kind: 'error',
        text: err instanceof MessageJSError ? `${err.status} ${err.type}: ${err.detail ?? err.title}` : String(err),
      });
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label="Contact us">
      <h2>Contact us (browser, public key)</h2>
      <p>
        <label>
          Name <input name="name" required maxLength={100} />
        </label>
      </p>
      <p>
        <label>
          Message <textarea name="message" required maxLength={1000} />
        </label>
      </p>
      <button type="submit" disabled={state.kind === 'sending'}>
        Send
      </button>
      <output id="contact-result" data-state={state.kind}>
        {state.kind === 'sent' && `Thanks! Message ${state.id} is on its way.`}
        {state.kind === 'error' && `Could not send: ${state.text}`}
      </output>
    </form>
  );
}
