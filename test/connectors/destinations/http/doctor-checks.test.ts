// Network doctor verdicts that need no network: certificate expiry, clock skew, report shape and the terminal output.
import { describe, expect, it } from 'vitest';
import { checkClock } from '../../../../connectors/destinations/http/doctor/clock-step.js';
import { splitFix } from '../../../../connectors/destinations/http/doctor/deadline.js';
import { formatDoctorReport } from '../../../../main/diagnostics/format-doctor-report.js';
import { certificateExpiry } from '../../../../connectors/destinations/http/doctor/index.js';
import { doctorReportSchema, overallOf, type DoctorReport } from '../../../../preload/contract/doctor.js';

const day = 24 * 60 * 60 * 1000;
const now = Date.parse('2026-11-21T12:00:00Z');
const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
const cert = (subject: string, fromOffset: number, toOffset: number) => ({
  subject,
  validFrom: iso(fromOffset),
  validTo: iso(toOffset),
});

describe('certificateExpiry', () => {
  it('passes a chain valid for longer than 14 days and names the first to expire', () => {
    const result = certificateExpiry([cert('CN=api', -day, 90 * day), cert('CN=root', -day, 30 * day)], now);
    expect(result.status).toBe('pass');
    expect(result.soonest).toEqual({ subject: 'CN=root', validTo: iso(30 * day), daysLeft: 30 });
    expect(result.detail).toContain('the root of its chain');
  });

  it('warns when a certificate expires within 14 days, with the date and who must renew', () => {
    const result = certificateExpiry(
      [cert('CN=api', -day, 5 * day + 1000), cert('CN=root', -day, 900 * day)],
      now,
    );
    expect(result.status).toBe('warn');
    expect(result.detail).toBe(
      `the server's certificate (CN=api) expires in 5 days, on ${iso(5 * day + 1000)}`,
    );
    expect(result.fix).toMatch(/renewed/);
    expect(certificateExpiry([cert('CN=api', -day, 14 * day + 1000)], now).status).toBe('pass');
    expect(certificateExpiry([cert('CN=api', -day, 14 * day - 1000)], now, 7).status).toBe('pass');
  });

  it('fails an expired certificate and one not valid yet (clock hint)', () => {
    const expired = certificateExpiry([cert('CN=api', -10 * day, -day), cert('CN=ca', -day, day * 100)], now);
    expect(expired.status).toBe('fail');
    expect(expired.detail).toContain(`expired on ${iso(-day)}`);
    expect(expired.soonest?.daysLeft).toBe(-1);
    const early = certificateExpiry(
      [cert('CN=api', 0, 100 * day), cert('CN=mid', 2 * day, 50 * day), cert('CN=root', -day, 900 * day)],
      now + 1,
    );
    expect(early.status).toBe('fail');
    expect(early.detail).toContain('an intermediate certificate (CN=mid) is only valid from');
    expect(early.fix).toMatch(/clock/);
  });

  it('has nothing to say about an empty chain', () => {
    expect(certificateExpiry([], now).status).toBe('pass');
  });
});

describe('checkClock', () => {
  const answer = (skewMs: number, rttMs = 40) => ({
    date: new Date(now + skewMs).toUTCString(),
    sentAt: now - rttMs / 2,
    receivedAt: now + rttMs / 2,
    from: 'api.example.com',
  });

  it('passes within a second (the Date header has whole seconds)', () => {
    const check = checkClock(answer(900));
    expect(check).toMatchObject({ id: 'clock', status: 'pass', data: { skewMs: 0 } });
  });

  it('warns over 60 s and fails over 5 min, saying which way and how to fix it', () => {
    const warn = checkClock(answer(2 * 60_000));
    expect(warn.status).toBe('warn');
    expect(warn.detail).toBe("this computer's clock is 2 min behind api.example.com's clock");
    const fail = checkClock(answer(-10 * 60_000));
    expect(fail.status).toBe('fail');
    expect(fail.detail).toBe("this computer's clock is 10 min ahead of api.example.com's clock");
    expect(fail.fix).toMatch(/timedatectl set-ntp true/);
    expect(fail.fix).toMatch(/OAuth tokens and HMAC signatures/);
    expect(checkClock(answer(59_000)).status).toBe('pass');
  });

  it('skips without an answer or with an unreadable Date', () => {
    expect(checkClock(undefined).status).toBe('skip');
    expect(checkClock({ ...answer(0), date: 'yesterday' }).status).toBe('skip');
  });
});

describe('report helpers', () => {
  const report: DoctorReport = {
    destination: 'https://api.example.com/v1/in',
    connection: 'invoices',
    startedAt: now,
    durationMs: 12,
    checks: [
      { id: 'dns', title: 'DNS resolution', status: 'pass', detail: 'api.example.com → 192.0.2.1' },
      { id: 'tls', title: 'TLS handshake', status: 'fail', detail: 'not trusted', fix: 'add tls.caFile' },
      { id: 'clock', title: 'Clock', status: 'warn', detail: 'skewed', fix: 'sync the clock' },
      { id: 'oauth', title: 'OAuth token request', status: 'skip', detail: 'auth is none' },
    ],
    overall: 'fail',
  };

  it('overall: fail beats warn beats pass; skips do not count', () => {
    expect(overallOf(report.checks)).toBe('fail');
    expect(overallOf(report.checks.filter((c) => c.status !== 'fail'))).toBe('warn');
    expect(overallOf([{ status: 'skip' }, { status: 'pass' }])).toBe('pass');
    expect(doctorReportSchema.parse(report)).toEqual(report);
  });

  it('prints one line per check with a symbol, then the fixes of warnings and failures', () => {
    const text = formatDoctorReport(report);
    expect(text.split('\n')).toEqual([
      'invoices → https://api.example.com/v1/in',
      '  ✓ DNS resolution       api.example.com → 192.0.2.1',
      '  ✗ TLS handshake        not trusted',
      '  ! Clock                skewed',
      '  - OAuth token request  auth is none',
      '',
      '  What to do:',
      '  ✗ TLS handshake: add tls.caFile',
      '  ! Clock: sync the clock',
      '',
      '  Result: fail (12 ms)',
      '',
    ]);
  });

  it('splits "<problem>. Fix: <fix>" messages', () => {
    expect(splitFix('it broke. Fix: mend it')).toEqual({ detail: 'it broke', fix: 'mend it' });
    expect(splitFix('no fix here')).toEqual({ detail: 'no fix here' });
  });
});
