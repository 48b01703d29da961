// Packs bundle files into a zip in memory (yazl).
import { ZipFile } from 'yazl';

export async function zipFiles(
  files: readonly { name: string; content: Buffer }[],
  mtime: Date,
): Promise<Buffer> {
  const zip = new ZipFile();
  for (const file of files) zip.addBuffer(file.content, file.name, { mtime, mode: 0o100600 });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
  zip.end();
  return done;
}
