// Judges the validity dates of a certificate chain: expired or not yet valid fails, expiring within 14 days warns.

/** One certificate of a chain as the doctor reports it (dates as ISO 8601 strings, fingerprint "AB:CD:…"). */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  sha256: string;
  /** Subject and issuer are the same: a root (or a self-signed certificate). */
  selfSigned?: boolean;
}

export interface CertificateExpiry {
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  fix?: string;
  /** The certificate that expires first, with whole days left (negative once expired). */
  soonest?: { subject: string; validTo: string; daysLeft: number };
}

const dayMs = 24 * 60 * 60 * 1000;

/** Default warning horizon: a certificate that expires within this many days warns. */
export const expiryWarningDays = 14;

type Dated = Pick<CertificateSummary, 'subject' | 'validFrom' | 'validTo'>;

function role(index: number, length: number): string {
  if (index === 0) return "the server's certificate";
  return index === length - 1 ? 'the root of its chain' : 'an intermediate certificate';
}

/** Expiry verdict over every certificate of `chain` (leaf first); `now` in ms since epoch. */
export function certificateExpiry(
  chain: readonly Dated[],
  now: number = Date.now(),
  warnWithinDays: number = expiryWarningDays,
): CertificateExpiry {
  if (chain.length === 0) return { status: 'pass', detail: 'no certificate to check' };
  const dated = chain.map((cert, index) => ({
    cert,
    index,
    from: Date.parse(cert.validFrom),
    to: Date.parse(cert.validTo),
  }));
  const first = [...dated].sort((a, b) => a.to - b.to)[0] ?? dated[0];
  if (first === undefined) return { status: 'pass', detail: 'no certificate to check' };
  const daysLeft = Math.floor((first.to - now) / dayMs);
  const soonest = { subject: first.cert.subject, validTo: first.cert.validTo, daysLeft };
  const notYet = dated.find((d) => d.from > now);
  if (notYet !== undefined)
    return {
      status: 'fail',
      detail: `${role(notYet.index, chain.length)} (${notYet.cert.subject}) is only valid from ${notYet.cert.validFrom}`,
      fix: "correct this computer's clock (enable time synchronisation); if the clock is right, the API provider installed a certificate too early",
      soonest,
    };
  const expired = dated.find((d) => d.to < now);
  if (expired !== undefined)
    return {
      status: 'fail',
      detail: `${role(expired.index, chain.length)} (${expired.cert.subject}) expired on ${expired.cert.validTo}`,
      fix: "the API provider must renew it; if that date is still in the future, correct this computer's clock",
      soonest,
    };
  const subject = `${role(first.index, chain.length)} (${first.cert.subject})`;
  if (first.to - now < warnWithinDays * dayMs)
    return {
      status: 'warn',
      detail: `${subject} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}, on ${first.cert.validTo}`,
      fix: 'tell the API provider (or, for your own proxy CA, your network administrator) that the certificate must be renewed before then',
      soonest,
    };
  return {
    status: 'pass',
    detail: `every certificate is valid; the first to expire is ${subject}, in ${daysLeft} days (${first.cert.validTo})`,
    soonest,
  };
}
