// The delivery benchmark's ingest server: a child process (its own CPU), started fresh for each measured run.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerCommand, ServerSummary } from './delivery-server-process.js';

type ServerMessage = { type: 'ready'; url: string } | { type: 'summary'; summary: ServerSummary };

export class BenchServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<BenchServer> {
    const child = fork(fileURLToPath(new URL('./delivery-server-process.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the ingest server process exited with code ${code}`)));
      child.on('message', (message: ServerMessage) => {
        if (message.type === 'ready') resolve(message.url);
      });
    });
    child.removeAllListeners('exit');
    return new BenchServer(child, url);
  }

  summary(): Promise<ServerSummary> {
    return new Promise((resolve) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== 'summary') return;
        this.child.off('message', onMessage);
        resolve(message.summary);
      };
      this.child.on('message', onMessage);
      this.send({ type: 'summary' });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send({ type: 'close' });
    await exited;
  }

  /** For exit handlers: ends the child at once. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private send(command: ServerCommand): void {
    this.child.send(command);
  }
}
