// Builds a file destination from its config: the file-name template with its default, and the file mode as a number.
import { fileModeOf, fileNameTemplate, type FileDestinationConfig } from './config.js';
import { FileDestination } from './destination.js';

export function createFileDestination(config: FileDestinationConfig): FileDestination {
  return new FileDestination({
    folder: config.folder,
    fileName: fileNameTemplate(config),
    batch: config.batch,
    createFolder: config.createFolder,
    mode: fileModeOf(config.mode),
  });
}
