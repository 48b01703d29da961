// Doctor step: does the published OpenAPI document still match the SHA-256 pinned in the connection's contract?
import { createHash } from 'node:crypto';
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';

export interface PinnedDocument {
  url: string;
  sha256: string;
}

const title = 'Contract document';

/** Fetches the document and compares its hash with the pin; a failure names the new hash to pin. */
export async function checkContractPin(pin: PinnedDocument, timeoutMs: number): Promise<DoctorCheck> {
  let bytes: Buffer;
  try {
    const response = await fetch(pin.url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`the server answered HTTP ${response.status}`);
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return {
      id: 'contract-pin',
      title,
      status: 'fail',
      detail: `${pin.url} cannot be fetched: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      fix: 'check the URL in contract.openapi and that this machine reaches it; the connection does not start without it',
    };
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual === pin.sha256)
    return {
      id: 'contract-pin',
      title,
      status: 'pass',
      detail: `${pin.url} matches the pinned SHA-256 ${pin.sha256.slice(0, 12)}…`,
      data: { sha256: actual, bytes: bytes.length },
    };
  return {
    id: 'contract-pin',
    title,
    status: 'fail',
    detail: `${pin.url} was changed by its publisher: its SHA-256 is ${actual}, the config pins ${pin.sha256}`,
    fix: `read what changed in the API, adjust the mapping if needed, then set contract.sha256 to ${actual} (the connection does not start until then)`,
    data: { sha256: actual, pinned: pin.sha256, bytes: bytes.length },
  };
}
