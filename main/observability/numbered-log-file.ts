// Size-rotated log files agent.1.log, agent.2.log, … (the highest number is the newest) written by one SonicBoom.
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import sonicBoom, { type SonicBoom as LogStream } from 'sonic-boom';

// sonic-boom is CommonJS: Node's ESM loader gives its module.exports as the default export only.
const { SonicBoom } = sonicBoom;

export interface NumberedLogOptions {
  /** The log's name without its number, e.g. <dataDir>/logs/agent.log: files are agent.1.log, agent.2.log… */
  file: string;
  /** A file is closed and the next number opened once this many bytes were written to it. */
  maxFileBytes: number;
  /** Files kept besides the active one; files left by earlier runs count too (the oldest go first). */
  maxFiles: number;
  /** Mode of new files. */
  mode: number;
  /** What SonicBoom may hold in memory while the file cannot be written; beyond it, lines are dropped ('drop'). */
  maxLength: number;
}

/** The numbered names of `file` (agent.log → agent.7.log): the path of a number, the number of a name. */
function numbering(file: string) {
  const extension = extname(file);
  const prefix = `${basename(file, extension)}.`;
  return {
    pathOf: (number: number) => join(dirname(file), `${prefix}${number}${extension}`),
    numberIn: (name: string): number => {
      if (!name.startsWith(prefix) || !name.endsWith(extension)) return Number.NaN;
      const digits = name.slice(prefix.length, name.length - extension.length);
      return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
    },
  };
}

/** The numbered files of `file` in its folder, oldest (lowest number) first. */
function numberedFiles(file: string): { name: string; number: number }[] {
  const { numberIn } = numbering(file);
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []; // SonicBoom creates the folder
    throw error;
  }
  return names
    .map((name) => ({ name, number: numberIn(name) }))
    .filter((f) => Number.isInteger(f.number))
    .sort((a, b) => a.number - b.number);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Opens the newest numbered file (appending: a restart goes on where the last run stopped) and resolves once it is
 * open; rejects with the reason if it cannot be opened. Write failures later (disk full) are the stream's 'error'
 * events: SonicBoom keeps the lines (up to maxLength) and writes them when it can.
 *
 * The agent's own rather than pino-roll: pino-roll loads all of date-fns (300 modules, about 12 MB resident) for
 * time-based rotation the agent does not use.
 */
export async function openNumberedLog(options: NumberedLogOptions): Promise<LogStream> {
  const { pathOf } = numbering(options.file);
  let number = numberedFiles(options.file).at(-1)?.number ?? 1;
  let written = sizeOf(pathOf(number));
  const stream = new SonicBoom({
    dest: pathOf(number),
    mkdir: true,
    mode: options.mode,
    maxLength: options.maxLength,
    append: true,
  });
  const removeOldest = () => {
    const files = numberedFiles(options.file);
    for (const old of files.slice(0, Math.max(0, files.length - (options.maxFiles + 1)))) {
      try {
        unlinkSync(join(dirname(options.file), old.name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') stream.emit('error', error);
      }
    }
  };
  stream.on('write', (bytes: number) => {
    written += bytes;
    if (written < options.maxFileBytes) return;
    written = 0;
    number += 1;
    stream.once('ready', removeOldest);
    stream.reopen(pathOf(number)); // after the write in progress, SonicBoom closes this file and opens the next
  });
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    stream.once('error', failed);
    stream.once('ready', () => {
      stream.off('error', failed);
      removeOldest();
      resolve(stream);
    });
  });
}
