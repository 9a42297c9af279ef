/**
 * Sandbox mode generates every key on first start and keeps it in the data directory, so a
 * restart (and the CLI) see the same keys. The file is created 0600 and never logged.
 */
import fs from 'node:fs';
import path from 'node:path';

export class SecretStore {
  private values: Record<string, string>;
  private dirty = false;
  constructor(private readonly file: string) {
    this.values = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : {};
  }

  get(name: string, generate: () => string): string {
    const existing = this.values[name];
    if (existing !== undefined) return existing;
    const value = generate();
    this.values[name] = value;
    this.dirty = true;
    return value;
  }

  /** Write new values atomically (temp file + rename) so two starting processes don't tear it. */
  flush(): void {
    if (!this.dirty) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // Another process may have written meanwhile: keep its values, add ours.
    const onDisk = fs.existsSync(this.file) ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>) : {};
    this.values = { ...this.values, ...onDisk };
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.values, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}
