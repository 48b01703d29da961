// The `console` section of the config: the local web console of headless installs (loopback only by default).
import { z } from 'zod';

export const defaultConsolePort = 4517;

export const consoleSettingsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Serve the web console (the same UI as the desktop app) while `integration-agent run` runs'),
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('Address to listen on; anything but loopback also needs allowRemote: true'),
    port: z
      .int()
      .min(0)
      .max(65535)
      .default(defaultConsolePort)
      .describe('TCP port; 0 picks a free one (`integration-agent console-url` prints it)'),
    allowRemote: z
      .boolean()
      .default(false)
      .describe(
        'Allow listening on a non-loopback address (needs tls: the token must not cross the network in clear)',
      ),
    tls: z
      .union([
        z.strictObject({
          certFile: z.string().min(1).describe('PEM certificate (chain) the console presents'),
          keyFile: z.string().min(1).describe('PEM private key of that certificate'),
        }),
        z.strictObject({
          selfSigned: z
            .literal(true)
            .describe(
              'Generate a self-signed certificate (kept 0600 in <dataDir>/console-tls, reused across restarts); ' +
                'its SHA-256 fingerprint is printed at start and by `integration-agent console-url`',
            ),
        }),
      ])
      .optional()
      .describe(
        'Serve the console over HTTPS: certificate files, or { selfSigned: true }; required with allowRemote',
      ),
    allowedHosts: z
      .array(z.string().min(1))
      .default([])
      .describe('Extra Host names the console answers to when allowRemote is set (DNS rebinding guard)'),
    adminIdleMinutes: z
      .number()
      .positive()
      .max(1440)
      .optional()
      .describe(
        'An unlocked admin role falls back to viewer after this many minutes without an admin action (default 15)',
      ),
    openMetricsOnLoopback: z
      .boolean()
      .default(false)
      .describe('Let a Prometheus on this machine scrape /metrics without the token (loopback clients only)'),
  })
  .superRefine((settings, ctx) => {
    if (settings.allowRemote && !settings.tls)
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message:
          'is required with allowRemote: the console token and session would cross the network in clear',
        params: {
          fix:
            'set console.tls: { selfSigned: true } (a generated certificate, compare its fingerprint), or ' +
            'console.tls.certFile and console.tls.keyFile (e.g. openssl req -x509 -newkey rsa:2048 -nodes ' +
            '-days 825 -subj "/CN=<host name>" -keyout console.key -out console.crt), or keep the console on ' +
            '127.0.0.1 behind an SSH tunnel',
        },
      });
  })
  .describe('Local web console: the status UI over HTTP, protected by a token');

export type ConsoleSettings = z.output<typeof consoleSettingsSchema>;
export type ConsoleTlsSetting = NonNullable<ConsoleSettings['tls']>;

/** The section with every default filled in (the section is optional in the file). */
export function resolveConsoleSettings(
  section: z.input<typeof consoleSettingsSchema> | undefined,
): ConsoleSettings {
  return consoleSettingsSchema.parse(section ?? {});
}
