import { type ReactNode, type RefObject, useId } from 'react';

/**
 * The browser's own modal <dialog>: focus moves in and is kept there, Escape closes it, the page behind
 * is inert — and, unlike dialog libraries that inject <style> tags for scroll locking, it runs under the
 * dashboard's strict style-src CSP. Open it with `dialog.current.showModal()`.
 */
export function Modal({
  dialog,
  title,
  description,
  role = 'dialog',
  children,
}: {
  dialog: RefObject<HTMLDialogElement | null>;
  title: string;
  description?: ReactNode;
  role?: 'dialog' | 'alertdialog';
  children: ReactNode;
}) {
  const id = useId();
  return (
    <dialog
      ref={dialog}
      role={role}
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      className="m-auto w-[min(32rem,90vw)] rounded-lg bg-white p-5 text-left shadow-lg backdrop:bg-slate-900/40"
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {description && (
        <div id={`${id}-description`} className="mt-2 text-sm text-slate-700">
          {description}
        </div>
      )}
      {children}
    </dialog>
  );
}
