import * as assert from 'node:assert/strict';
import { serverEnvironment } from '../../../src/node/serverEnvironment';

describe('serverEnvironment', () => {
  it("passes on PATH and HOME but not the editor's secrets; the definition adds and removes", () => {
    const parent = { PATH: '/bin', HOME: '/home/u', GITHUB_TOKEN: 'ghp_secret', AWS_SECRET_ACCESS_KEY: 'x', LANG: 'C.UTF-8', BASH_FUNC: '() { :; }' };
    const env = serverEnvironment({ API_URL: 'https://x', LANG: null }, parent);
    assert.deepEqual(env, { PATH: '/bin', HOME: '/home/u', API_URL: 'https://x' });
  });
});
