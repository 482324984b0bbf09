import * as vscode from 'vscode';
import { redact } from '../core/redact';

/** The "Tokaify" log channel. Every line is redacted; the last lines are kept so tests can prove no secret leaks. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Tokaify', { log: true });
  private readonly recent: string[] = [];

  info(message: string): void {
    this.channel.info(this.keep(message));
  }
  warn(message: string): void {
    this.channel.warn(this.keep(message));
  }
  error(message: string): void {
    this.channel.error(this.keep(message));
  }
  trace(message: string): void {
    this.channel.trace(this.keep(message));
  }
  show(): void {
    this.channel.show(true);
  }
  recentLines(): readonly string[] {
    return this.recent;
  }
  dispose(): void {
    this.channel.dispose();
  }

  private keep(message: string): string {
    const line = redact(message);
    this.recent.push(line);
    if (this.recent.length > 500) this.recent.shift();
    return line;
  }
}
