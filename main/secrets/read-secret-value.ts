// Reads a secret value from stdin: hidden (raw mode, no echo) when typed at a terminal, all of it when piped.
import { SecretStoreError } from './errors.js';

const cancelled = () => new SecretStoreError('cancelled; nothing was stored', 'run the command again');

/** A terminal escape sequence (arrow key, function key) arrives as one chunk and is not part of a typed secret. */
const withoutEscapeSequence = (chunk: string) => {
  const escape = chunk.indexOf('\x1b');
  return escape === -1 ? chunk : chunk.slice(0, escape);
};

/** Prompts on `output` and reads one line from the terminal `input` without echoing it. */
export function readHiddenLine(
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  input.setRawMode(true); // before the prompt: whatever is typed once it shows is never echoed
  input.setEncoding('utf8');
  input.resume();
  output.write(prompt);
  let chars: string[] = [];
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(chars.join(''));
    };
    const onData = (chunk: string) => {
      for (const char of withoutEscapeSequence(chunk)) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\x03') return finish(cancelled());
        if (char === '\x04') return chars.length === 0 ? finish(cancelled()) : finish();
        if (char === '\x7f' || char === '\b') chars.pop();
        else if (char === '\x15') chars = [];
        else if (char >= ' ' || char === '\t') chars.push(char);
      }
    };
    input.on('data', onData);
  });
}

/** All of a piped stdin, without ONE trailing line break (the one `echo` adds). */
export async function readPipedValue(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * Exactly one line of a piped stdin (a passphrase): its line break removed; more non-empty lines are refused rather
 * than folded into the value, so `printf 'a\nb'` never sets "a\nb".
 */
export async function readPipedLine(input: NodeJS.ReadableStream): Promise<string> {
  const text = await readPipedValue(input);
  const [first = '', ...rest] = text.split(/\r?\n/);
  if (rest.some((line) => line.trim() !== ''))
    throw new SecretStoreError(
      'stdin holds more than one line; nothing was stored',
      'pipe only the passphrase, on one line (e.g. printf %s "$PASSPHRASE" | …)',
    );
  return first;
}
