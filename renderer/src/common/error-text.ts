// Turns anything thrown by an agent call into what went wrong and how to fix it.

export interface ErrorText {
  code?: string;
  message: string;
  hint?: string;
}

const field = (value: object, name: string): string | undefined => {
  const v = (value as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

export function errorText(error: unknown): ErrorText {
  if (typeof error === 'object' && error !== null) {
    const message = field(error, 'message') ?? 'The agent answered with an error it did not explain.';
    return { code: field(error, 'code'), message, hint: field(error, 'hint') };
  }
  return { message: String(error) };
}
