import { type ReactNode, useId, useRef } from 'react';
import { Button, ErrorState } from './ui';

/**
 * A destructive action behind an explicit second step, in the browser's own modal <dialog>: focus moves
 * in and is kept there, Escape cancels, the page behind is inert — and, unlike dialog libraries that
 * inject <style> tags for scroll locking, it runs under the dashboard's strict style-src CSP.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  onConfirm,
  disabled,
  error,
}: {
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  /** The action's failure, shown above the button (null or undefined: none). */
  error?: unknown;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  return (
    <>
      {error ? <ErrorState error={error} /> : null}
      <Button variant="danger" disabled={disabled} aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      <dialog
        ref={dialog}
        role="alertdialog"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-description`}
        className="m-auto w-[min(28rem,90vw)] rounded-lg bg-white p-5 text-left shadow-lg backdrop:bg-slate-900/40"
      >
        <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <div id={`${id}-description`} className="mt-2 text-sm text-slate-700">
          {description}
        </div>
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" autoFocus onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
