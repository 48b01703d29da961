// The web console's access token: 32 random bytes (base64url) in a 0600 file in the data dir, created once, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsoleError } from './console-error.js';

export const consoleTokenFile = (dataDir: string) => join(dataDir, 'console-token');

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const modesApply = process.platform !== 'win32';

async function readPrivateToken(file: string): Promise<string> {
  const info = await stat(file);
  if (!info.isFile()) throw new ConsoleError(`${file} is not a regular file`, `remove it: rm -r ${file}`);
  const mode = info.mode & 0o777;
  if (modesApply && (mode & 0o077) !== 0) {
    throw new ConsoleError(
      `the console token file ${file} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); it is refused`,
      `run: chmod 600 ${file}`,
    );
  }
  const token = (await readFile(file, 'utf8')).trim();
  if (!tokenPattern.test(token)) {
    throw new ConsoleError(
      `the console token file ${file} is damaged`,
      `remove it (rm ${file}) and restart the agent; a new token is created`,
    );
  }
  return token;
}

/** Reads the token; throws a ConsoleError when it does not exist yet or is unsafe. */
export async function readConsoleToken(dataDir: string): Promise<string> {
  const file = consoleTokenFile(dataDir);
  try {
    return await readPrivateToken(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConsoleError(
        `there is no console token in ${dataDir} yet`,
        'start the agent once with `integration-agent run` (with the console enabled), or pass the right --data-dir',
      );
    }
    throw error;
  }
}

/** Returns the data dir's token, creating it (mode 0600 from the first byte) on first use. */
export async function loadOrCreateConsoleToken(dataDir: string): Promise<string> {
  const file = consoleTokenFile(dataDir);
  const token = randomBytes(32).toString('base64url');
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readPrivateToken(file);
  }
}

/** Constant-time comparison: both sides are hashed first so lengths leak nothing either. */
export function tokensEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
