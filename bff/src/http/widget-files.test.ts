import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock';
import { createLogger } from '../core/log';
import { createWidgetFiles, RETENTION_DAYS } from './widget-files';

const DAY = 86_400_000;

describe('widget files across deploys', () => {
  let root: string;
  let dist: string;
  let archive: string;
  const clock = new FakeClock(Date.parse('2026-12-01T00:00:00Z'));
  const log = createLogger({ level: 'error' });

  /** a build: what `vite build` leaves in widget/dist (it empties the folder first) */
  function build(files: Record<string, string>) {
    fs.rmSync(dist, { recursive: true, force: true });
    fs.mkdirSync(dist, { recursive: true });
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dist, f), text);
  }
  /** a BFF start on that build */
  async function start() {
    const files = createWidgetFiles({ distDir: dist, archiveDir: archive, clock, log });
    await files.archive();
    return files;
  }
  const text = (b: Buffer | undefined) => b?.toString('utf8');

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'payqr-widget-files-'));
    dist = path.join(root, 'dist');
    archive = path.join(root, 'data', 'widget-chunks');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a page from before a deploy still gets the chunks its old entry imports', async () => {
    build({ 'pay-qr.js': 'v1 entry', 'qr-attempt-controller-AAAAAAAA.js': 'v1 chunk', 'qr-attempt-controller-AAAAAAAA.js.map': '{}' });
    await start();
    build({ 'pay-qr.js': 'v2 entry', 'qr-attempt-controller-BBBBBBBB.js': 'v2 chunk' });
    const files = await start();

    expect(text(await files.read('pay-qr.js'))).toBe('v2 entry');
    expect(text(await files.read('qr-attempt-controller-BBBBBBBB.js'))).toBe('v2 chunk');
    expect(text(await files.read('qr-attempt-controller-AAAAAAAA.js'))).toBe('v1 chunk');
    expect(text(await files.read('qr-attempt-controller-AAAAAAAA.js.map'))).toBe('{}');
  });

  it('entries and unknown names come only from the current build; nothing outside the folders', async () => {
    build({ 'pay-qr.js': 'v1 entry', 'pay-scan.js': 'scan v1' });
    await start();
    fs.writeFileSync(path.join(archive, 'pay-scan.js'), 'stray');
    build({ 'pay-qr.js': 'v2 entry' });
    const files = await start();
    expect(await files.read('pay-scan.js')).toBeUndefined();
    expect(await files.read('nope-CCCCCCCC.js')).toBeUndefined();
    expect(await files.read('../data/widget-chunks/x-AAAAAAAA.js')).toBeUndefined();
    expect(await files.read('secrets.json')).toBeUndefined();
  });

  it(`drops archived chunks no build has shipped for ${RETENTION_DAYS} days, keeps the ones still shipped`, async () => {
    build({ 'pay-qr.js': '1', 'old-AAAAAAAA.js': 'old', 'kept-KKKKKKKK.js': 'kept' });
    await start();
    clock.advance((RETENTION_DAYS - 1) * DAY);
    build({ 'pay-qr.js': '2', 'kept-KKKKKKKK.js': 'kept' });
    expect(text(await (await start()).read('old-AAAAAAAA.js'))).toBe('old'); // 29 days: still there

    clock.advance(2 * DAY);
    const files = await start();
    expect(await files.read('old-AAAAAAAA.js')).toBeUndefined();
    expect(fs.existsSync(path.join(archive, 'old-AAAAAAAA.js'))).toBe(false);
    expect(fs.existsSync(path.join(archive, 'kept-KKKKKKKK.js'))).toBe(true);
  });

  it('an archive it cannot write does not stop the BFF from serving the current build', async () => {
    build({ 'pay-qr.js': 'entry', 'c-AAAAAAAA.js': 'chunk' });
    fs.mkdirSync(path.dirname(archive), { recursive: true });
    fs.writeFileSync(archive, 'a file where the folder should be');
    const files = await start();
    expect(text(await files.read('c-AAAAAAAA.js'))).toBe('chunk');
    expect(text(await files.read('pay-qr.js'))).toBe('entry');
  });
});
