'use client';

import { useActionState } from 'react';
import { sendOrderUpdate, type SendResult } from './actions';

/** A form whose submit runs the server action: the secret key never reaches the browser. */
export function OrderUpdateForm() {
  const [result, action, pending] = useActionState<SendResult, FormData>(sendOrderUpdate, null);
  return (
    <form action={action} aria-label="Order update">
      <h2>Order update (server action, secret key)</h2>
      <p>
        <label>
          To <input name="to" required />
        </label>
      </p>
      <p>
        <label>
          Text <input name="message" required maxLength={1000} />
        </label>
      </p>
      <button type="submit" disabled={pending}>
        Send update
      </button>
      <output id="update-result" data-state={result === null ? 'idle' : result.ok ? 'sent' : 'error'}>
        {result?.ok && `Accepted ${result.id} (${result.status})`}
        {result && !result.ok && `Could not send: ${result.error}`}
      </output>
    </form>
  );
}
