// Decides whether something between the agent and the API re-signs TLS: where the chain is anchored, pins, expected issuers.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { normalizeFingerprint } from '../security-config.js';
import type { DoctorCheck } from '../../../../preload/contract/doctor.js';
import type { PeerChain } from './tls-step.js';

export interface TrustSettings {
  /** PEM certificates of destination.tls.caFile (empty without one). */
  extraCa: readonly string[];
  caFile?: string;
  /** destination.tls.pinnedSha256 */
  pins: readonly string[];
  /** Fingerprints the chain is expected to contain (doctor option). */
  expectedIssuerSha256: readonly string[];
}

let publicRoots: X509Certificate[] | undefined;

/** Node's built-in (public) root certificates, parsed once. */
function builtInRoots(): X509Certificate[] {
  publicRoots ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  return publicRoots;
}

/** The store certificate the chain's top certificate is, or is signed by. */
function anchorIn(top: X509Certificate, store: readonly X509Certificate[]): X509Certificate | undefined {
  return store.find(
    (ca) => ca.fingerprint256 === top.fingerprint256 || (top.checkIssued(ca) && top.verify(ca.publicKey)),
  );
}

/** A file name from a CA's common name, for the suggested caFile path. */
function suggestedCaPath(issuer: string): string {
  const cn = /CN=([^,]+)/.exec(issuer)?.[1] ?? 'proxy-ca';
  const slug =
    cn
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'proxy-ca';
  const folder =
    process.platform === 'win32' ? 'C:\\ProgramData\\IntegrationAgent\\' : '/etc/integration-agent/';
  return `${folder}${slug}.pem`;
}

function inspectedFix(issuer: string, issuerSha256: string | undefined): string {
  const path = suggestedCaPath(issuer);
  const compare =
    issuerSha256 === undefined ? '' : ` (compare its SHA-256 fingerprint ${issuerSha256} with IT)`;
  return (
    `if "${issuer}" is your company's TLS-inspecting proxy, get its CA certificate from IT${compare}, save it as PEM ` +
    `to ${path} and add it with destination.tls: { caFile: ${path} }; if you do not know that issuer, do not trust it: ` +
    `tell your network administrator, the connection may be tampered with. If the API itself uses a private CA, add that CA the same way`
  );
}

const title = 'TLS interception';

/** The interception verdict for a chain seen during the handshake. */
export function checkInterception(chain: PeerChain, trust: TrustSettings): DoctorCheck {
  const top = chain.certificates[chain.certificates.length - 1];
  const topSummary = chain.summaries[chain.summaries.length - 1];
  if (top === undefined || topSummary === undefined)
    return { id: 'interception', title, status: 'skip', detail: 'the server sent no certificate' };
  const fingerprints = new Set(chain.summaries.map((s) => s.sha256));
  const issuer = topSummary.selfSigned ? topSummary.subject : topSummary.issuer;
  const issuerSha256 = topSummary.selfSigned ? topSummary.sha256 : undefined;
  const publicAnchor = anchorIn(top, builtInRoots());
  const extra = trust.extraCa.map((pem) => new X509Certificate(pem));
  const configuredAnchor = anchorIn(top, extra);
  for (const anchor of [publicAnchor, configuredAnchor]) if (anchor) fingerprints.add(anchor.fingerprint256);
  const data = { issuer, anchor: publicAnchor ? 'public' : configuredAnchor ? 'caFile' : 'none' };

  const pins = trust.pins.map(normalizeFingerprint);
  if (pins.length > 0 && !pins.some((pin) => fingerprints.has(pin)))
    return {
      id: 'interception',
      title,
      status: 'fail',
      detail: `the chain (issuer ${issuer}) contains none of the fingerprints in destination.tls.pinnedSha256: something is intercepting TLS, or the API provider changed its certificates`,
      fix:
        `ask the API provider whether it renewed its certificate; if it did, put the new fingerprint in destination.tls.pinnedSha256. ` +
        inspectedFix(issuer, issuerSha256),
      data,
    };
  const expected = trust.expectedIssuerSha256.map(normalizeFingerprint);
  if (expected.length > 0 && !expected.some((sha) => fingerprints.has(sha)))
    return {
      id: 'interception',
      title,
      status: 'fail',
      detail: `your network is intercepting TLS (issuer ${issuer}): the chain does not lead to the expected issuer`,
      fix: inspectedFix(issuer, issuerSha256),
      data,
    };
  if (publicAnchor !== undefined)
    return {
      id: 'interception',
      title,
      status: 'pass',
      detail: `none seen: the chain leads to the public root ${issuerNameOf(publicAnchor)}`,
      data,
    };
  if (configuredAnchor !== undefined)
    return {
      id: 'interception',
      title,
      status: 'pass',
      detail: `the chain leads to ${issuerNameOf(configuredAnchor)} from destination.tls.caFile${trust.caFile ? ` (${trust.caFile})` : ''}, a CA you chose to trust (your TLS-inspecting proxy or the API's private CA)`,
      data,
    };
  return {
    id: 'interception',
    title,
    status: 'fail',
    detail: `your network is intercepting TLS (issuer ${issuer}): the chain leads neither to a public root CA nor to a CA in destination.tls.caFile`,
    fix: inspectedFix(issuer, issuerSha256),
    data,
  };
}

/** "CN=…, O=…" from an X509Certificate subject ("O=…\nCN=…"). */
function issuerNameOf(cert: X509Certificate): string {
  const parts = cert.subject.split('\n').map((line) => line.trim());
  const order = ['CN', 'OU', 'O', 'L', 'ST', 'C'];
  const sorted = order.flatMap((key) => parts.filter((p) => p.startsWith(`${key}=`)));
  return sorted.length > 0 ? sorted.join(', ') : cert.subject;
}
