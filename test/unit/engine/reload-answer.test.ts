// The reload answer file: `config reload` takes only the signalled agent's answer to its own signal, never an older one.
import { statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  readReloadAnswer,
  reloadAnswerFile,
  writeReloadAnswer,
  type ReloadAnswer,
} from '../../../main/engine/reload-answer.js';
import { useTempDir } from '../../support/temp-dir.js';

const tempDir = useTempDir({ prefix: 'reload-answer-' });

describe('reload answer file', () => {
  it('is read back by the agent pid and signal time it answers, and is private to this account', async () => {
    const dataDir = tempDir();
    const answer: ReloadAnswer = {
      pid: 4242,
      signalledAt: 1_000,
      outcome: { kind: 'applied', changed: ['b'] },
    };
    await writeReloadAnswer(dataDir, answer);
    expect(await readReloadAnswer(dataDir, 4242, 1_000)).toEqual(answer);
    if (process.platform !== 'win32') expect(statSync(reloadAnswerFile(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('ignores an answer to an earlier signal, an answer from another agent, a missing file and a damaged one', async () => {
    const dataDir = tempDir();
    expect(await readReloadAnswer(dataDir, 4242, 1_000)).toBeUndefined();
    writeFileSync(reloadAnswerFile(dataDir), '{"pid": 42');
    expect(await readReloadAnswer(dataDir, 4242, 1_000)).toBeUndefined();
    await writeReloadAnswer(dataDir, { pid: 4242, signalledAt: 999, outcome: { kind: 'unchanged' } });
    expect(await readReloadAnswer(dataDir, 4242, 1_000)).toBeUndefined();
    expect(await readReloadAnswer(dataDir, 77, 999)).toBeUndefined();
  });
});
