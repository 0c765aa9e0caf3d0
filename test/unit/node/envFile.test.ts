import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile, MAX_ENV_FILE_BYTES, withinDeadline } from '../../../src/node/envFile';

describe('loadEnvFile', () => {
  let dir: string;
  const fifos: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-envfile-'));
  });

  afterEach(() => {
    // A reader stuck on a FIFO (as the old loader was) returns once a writer comes and goes.
    for (const fifo of fifos.splice(0)) closeSync(openSync(fifo, 'r+'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the KEY=value lines of a regular file', async () => {
    const file = join(dir, '.env');
    writeFileSync(file, '# comment\nA=1\nB="two words"\n');
    assert.deepEqual(await loadEnvFile(file), { A: '1', B: 'two words' });
  });

  it('refuses a FIFO at once, waiting for no writer, and leaves the I/O threads free for everything else', async () => {
    // Node has 4 threads for file I/O: six readers stuck on FIFOs would leave none for the readFile below.
    for (let i = 0; i < 6; i++) {
      const fifo = join(dir, `fifo${i}`);
      execFileSync('mkfifo', [fifo]);
      fifos.push(fifo);
    }
    const results = await Promise.allSettled(fifos.map((fifo) => loadEnvFile(fifo)));
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      assert.equal((result as PromiseRejectedResult).reason.message, 'it is a FIFO (named pipe), not a regular file');
    }
    writeFileSync(join(dir, 'other'), 'x');
    assert.equal(await readFile(join(dir, 'other'), 'utf8'), 'x');
  });

  it('refuses a device such as /dev/zero without reading from it', async () => {
    await assert.rejects(loadEnvFile('/dev/zero'), { message: 'it is a character device, not a regular file' });
  });

  it('refuses a folder', async () => {
    mkdirSync(join(dir, 'folder'));
    await assert.rejects(loadEnvFile(join(dir, 'folder')), { message: 'it is a folder, not a regular file' });
  });

  it('refuses a file over 1 MiB, naming the limit', async () => {
    assert.equal(MAX_ENV_FILE_BYTES, 1024 * 1024);
    const file = join(dir, 'huge.env');
    writeFileSync(file, `A=${'x'.repeat(MAX_ENV_FILE_BYTES)}\n`);
    await assert.rejects(loadEnvFile(file), { message: 'it is larger than 1 MiB, the most an env file may hold' });
    writeFileSync(file, `A=${'x'.repeat(MAX_ENV_FILE_BYTES - 3)}`);
    assert.equal((await loadEnvFile(file))['A']?.length, MAX_ENV_FILE_BYTES - 3, 'exactly 1 MiB is accepted');
  });

  it('gives up on a read that does not finish within its deadline', async () => {
    // No regular file here blocks on read (one on a hung network share would): a read that never settles stands in.
    const never = new Promise<string>(() => undefined);
    await assert.rejects(withinDeadline(never, 50), { message: 'reading it took longer than 0.05 s' });
    assert.equal(await withinDeadline(Promise.resolve('done'), 50), 'done');
  });
});
