// Shows a failed agent call: what is wrong and, when known, how to fix it.
import { errorText } from './error-text.js';

export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  const { message, hint, code } = errorText(error);
  return (
    <div className="message error" role="alert">
      {title && <strong>{title}: </strong>}
      {message}
      {hint && <div>{hint}</div>}
      {code === 'forbidden' && !hint && <div>Unlock admin in the header to do this.</div>}
    </div>
  );
}
