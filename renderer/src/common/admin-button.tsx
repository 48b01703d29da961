// A button for admin-only actions: viewers see it disabled with a hint to unlock admin (the agent enforces it anyway).
import { useId, type ButtonHTMLAttributes } from 'react';
import { useAgent } from '../shell/agent-store.js';

export function AdminButton({ disabled, children, ...rest }: ButtonHTMLAttributes<HTMLButtonElement>) {
  const { role } = useAgent();
  const hintId = useId();
  const locked = role !== 'admin';
  return (
    <>
      <button
        type="button"
        {...rest}
        disabled={locked || disabled}
        aria-describedby={locked ? hintId : undefined}
        title={locked ? 'Admin only: unlock admin in the header' : rest.title}
      >
        {children}
      </button>
      {locked && (
        <span id={hintId} className="visually-hidden">
          Admin only: unlock admin in the header first.
        </span>
      )}
    </>
  );
}

/** One visible line explaining why admin buttons on a page are disabled. */
export function AdminHint({ action }: { action: string }) {
  const { role } = useAgent();
  if (role === 'admin') return null;
  return (
    <p className="hint" data-testid="admin-hint">
      You are a viewer: {action} needs admin. Use “Unlock admin” in the header.
    </p>
  );
}
