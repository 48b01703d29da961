// "Test connection" for a folder source: does each watched folder exist, is it a folder, may the agent read it?
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { DoctorCheck } from '../../../preload/contract/doctor.js';
import type { FolderSourceConfig } from './config.js';

async function folderCheck(path: string): Promise<DoctorCheck> {
  const title = `Folder ${path}`;
  try {
    const info = await stat(path);
    if (!info.isDirectory())
      return {
        id: 'source',
        title,
        status: 'fail',
        detail: 'exists but is not a folder',
        fix: 'point the source at a folder',
      };
    await access(path, constants.R_OK | constants.X_OK);
    return { id: 'source', title, status: 'pass', detail: 'exists and the agent may read it' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return {
        id: 'source',
        title,
        status: 'fail',
        detail: 'does not exist',
        fix: 'create the folder or correct the path',
      };
    return {
      id: 'source',
      title,
      status: 'fail',
      detail: `cannot be read (${code ?? 'error'})`,
      fix: 'give the account that runs the agent read access to the folder',
    };
  }
}

/** One check per watched folder (`path`, then each of `paths`), in that order. */
export function checkFolderSource(config: FolderSourceConfig): Promise<DoctorCheck[]> {
  return Promise.all([config.path, ...config.paths].map(folderCheck));
}
