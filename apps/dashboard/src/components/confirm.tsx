import { type ReactNode, useRef } from 'react';
import { Modal } from './dialog';
import { Button, ErrorState } from './ui';

/** A destructive action behind an explicit second step, in a modal alert dialog. */
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
  return (
    <>
      {error ? <ErrorState error={error} /> : null}
      <Button variant="danger" disabled={disabled} aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      <Modal dialog={dialog} role="alertdialog" title={title} description={description}>
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
      </Modal>
    </>
  );
}
