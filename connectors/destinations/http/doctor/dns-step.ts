// Resolves the host the agent connects to (the proxy's when one is used) and says what the answer means.
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';
import { elapsed, withDeadline } from './deadline.js';

export interface ResolvedHost {
  host: string;
  addresses: { address: string; family: number }[];
}

const notFound = new Set(['ENOTFOUND', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);

/** DNS check for `host`; `viaProxy` names the proxy when the host is the proxy's. */
export async function checkDns(
  host: string,
  timeoutMs: number,
  viaProxy: string | undefined,
): Promise<{ check: DoctorCheck; resolved?: ResolvedHost }> {
  const title = viaProxy === undefined ? 'DNS resolution' : 'DNS resolution (proxy host)';
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    const resolved = { host: bare, addresses: [{ address: bare, family: isIP(bare) }] };
    return {
      check: { id: 'dns', title, status: 'pass', detail: `${bare} is an IP address (no lookup needed)` },
      resolved,
    };
  }
  const started = performance.now();
  try {
    const addresses = await withDeadline(dns.lookup(bare, { all: true }), timeoutMs, `DNS lookup of ${bare}`);
    const ms = elapsed(started);
    const list = addresses.map((a) => a.address);
    const note = viaProxy === undefined ? '' : ' (the proxy resolves the destination host itself)';
    return {
      check: {
        id: 'dns',
        title,
        status: 'pass',
        detail: `${bare} → ${list.join(', ')} in ${ms} ms${note}`,
        data: { host: bare, addresses: list, ms },
      },
      resolved: { host: bare, addresses },
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
    const ms = elapsed(started);
    const what = viaProxy === undefined ? 'destination.url' : `the proxy setting (${viaProxy})`;
    const fix = notFound.has(code)
      ? `check the host name in ${what} for typos` +
        (viaProxy === undefined
          ? '; if this network reaches the internet only through a proxy, set destination.proxy (or HTTPS_PROXY)'
          : '')
      : `check this computer's DNS servers (resolv.conf / network settings); the lookup failed with ${code}`;
    return {
      check: {
        id: 'dns',
        title,
        status: 'fail',
        detail: notFound.has(code)
          ? `the host name ${bare} was not found (${code}, ${ms} ms)`
          : `looking up ${bare} failed: ${code} (${ms} ms)`,
        fix,
        data: { host: bare, code, ms },
      },
    };
  }
}
