// `integration-agent doctor` end to end: the real CLI process against real TLS servers, JSON output and exit codes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { doctorCommand } from '../../main/commands/doctor-command.js';
import { registerDoctorCommand } from '../../main/commands/doctor-declaration.js';
import { doctorReportSchema } from '../../preload/contract/doctor.js';
import { createTestPki, type TestPki } from '../support/test-ca.js';
import { startTlsServer, type TlsServer } from '../support/tls-server.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliOutput = z.object({
  overall: z.enum(['pass', 'warn', 'fail']),
  reports: z.array(doctorReportSchema),
});

let pki: TestPki;
let good: TlsServer;
let intercepted: TlsServer;
let dir: string;
let configFile: string;

beforeAll(async () => {
  pki = createTestPki();
  good = await startTlsServer({ cert: pki.server.certPem, key: pki.server.keyPem });
  intercepted = await startTlsServer({ cert: pki.otherServer.certPem, key: pki.otherServer.keyPem });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-cli-'));
  const destination = (url: string) => ({
    type: 'http',
    url: `${url}/v1/records`,
    tls: { caFile: pki.rootCa.certFile },
    proxy: { mode: 'none' },
  });
  const config = {
    configVersion: 1,
    connections: [
      { id: 'good', source: { type: 'folder', path: dir }, destination: destination(good.url) },
      { id: 'intercepted', source: { type: 'folder', path: dir }, destination: destination(intercepted.url) },
    ],
  };
  configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(config));
});
afterAll(async () => {
  await Promise.all([good?.close(), intercepted?.close()]);
  pki?.remove();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI from the sources with stdout and stderr apart (JSON must be alone on stdout). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, HTTPS_PROXY: '', https_proxy: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const withConfig = () => ['--config', configFile, '--data-dir', path.join(dir, 'data')];

describe('integration-agent doctor', () => {
  it('checks one connection by id: JSON on stdout, exit 0 when nothing fails', async () => {
    const { code, stdout } = await cli(['doctor', 'good', ...withConfig(), '--json', '--timeout', '3000']);
    const parsed = cliOutput.parse(JSON.parse(stdout));
    expect(parsed.reports).toHaveLength(1);
    const [report] = parsed.reports;
    expect(report).toMatchObject({ connection: 'good', destination: `${good.url}/v1/records` });
    expect(report?.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'dns:pass',
      'tcp:pass',
      'proxy:skip',
      'tls:pass',
      'interception:pass',
      'certificate:warn', // test certificates live 2 days
      'clock:pass',
      'oauth:skip',
      'dry-run:pass',
    ]);
    expect(parsed.overall).toBe('warn');
    expect(code).toBe(0);
  });

  it('checks every HTTP destination without an argument and exits 1 when one fails', async () => {
    const { code, stdout } = await cli(['doctor', ...withConfig(), '--json']);
    const parsed = cliOutput.parse(JSON.parse(stdout));
    expect(parsed.reports.map((r) => [r.connection, r.overall])).toEqual([
      ['good', 'warn'],
      ['intercepted', 'fail'],
    ]);
    expect(parsed.overall).toBe('fail');
    expect(code).toBe(1);
  });

  it('prints one line per check with a symbol, then the fixes', async () => {
    const { code, stdout } = await cli(['doctor', 'intercepted', ...withConfig()]);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`intercepted → ${intercepted.url}/v1/records`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}✓ DNS resolution +127\.0\.0\.1 is an IP address/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}✗ TLS interception +your network is intercepting TLS \(issuer CN=Unrelated Inspection CA/,
      ),
    );
    expect(lines).toContain('  What to do:');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}✗ TLS interception: if "CN=Unrelated Inspection CA, O=Integration Agent Tests" is your company's/,
      ),
    );
    expect(lines).toContain(
      '  Result: fail' + (lines.find((l) => l.startsWith('  Result: fail'))?.slice(14) ?? ''),
    );
    expect(code).toBe(1);
  });

  it('names the known connections for an unknown id, and documents the exit codes', async () => {
    await expect(
      doctorCommand('nope', { config: configFile, dataDir: path.join(dir, 'data') }),
    ).rejects.toMatchObject({
      message: 'there is no connection "nope" in the config (connections: good, intercepted)',
      exitCode: 1,
    });
    const program = new Command().exitOverride();
    registerDoctorCommand(program);
    const help = program.commands.find((c) => c.name() === 'doctor');
    let text = '';
    help?.configureOutput({ writeOut: (s) => (text += s) });
    expect(() => program.parse(['node', 'cli', 'doctor', '--help'])).toThrow();
    expect(text).toContain(
      'Exit codes: 0 no check failed (warnings allowed), 1 a check failed (or the command could not run), 2 invalid config.',
    );
  });
});
