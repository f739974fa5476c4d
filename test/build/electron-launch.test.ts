import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronLaunch, sandboxArgs } from '../../build/electron-launch';

const base = { mainScript: '/app/dist/electron/main.mjs', env: { PATH: '/usr/bin' }, cwd: '/home/clerk' };

describe('starting Electron from npm start', () => {
  it('keeps the sandbox for an ordinary user', () => {
    const launch = electronLaunch({ ...base, argv: [], uid: 1000 });
    expect(launch.args).toEqual([base.mainScript]);
    expect(launch.notices).toEqual([]);
  });

  it('turns the sandbox off as root, and says why', () => {
    const launch = electronLaunch({ ...base, argv: [], uid: 0 });
    expect(launch.args).toEqual([base.mainScript, '--no-sandbox']);
    expect(launch.notices.join('\n')).toMatch(/root.*--no-sandbox/);
  });

  it('passes --archive to the main process as ARKIVA_ARCHIVE_DIR, resolved against the working folder', () => {
    expect(electronLaunch({ ...base, argv: ['--archive', 'cases/archive'], uid: 1000 }).env).toEqual({
      PATH: '/usr/bin',
      ARKIVA_ARCHIVE_DIR: path.resolve('/home/clerk', 'cases/archive'),
    });
    expect(electronLaunch({ ...base, argv: ['--archive=/srv/archive'], uid: 1000 }).env.ARKIVA_ARCHIVE_DIR).toBe(path.resolve('/srv/archive'));
  });

  it('leaves the environment alone without --archive', () => {
    expect(electronLaunch({ ...base, argv: [], uid: 1000 }).env).toEqual(base.env);
  });

  it('says that --port is for the local host only', () => {
    expect(electronLaunch({ ...base, argv: ['--port', '8080'], uid: 1000 }).notices).toEqual([expect.stringMatching(/local host only/)]);
  });

  it('refuses an option it does not know', () => {
    expect(() => electronLaunch({ ...base, argv: ['--archve', 'x'], uid: 1000 })).toThrow(/archve/);
  });

  it('asks for --no-sandbox only as root', () => {
    expect(sandboxArgs(0)).toEqual(['--no-sandbox']);
    expect(sandboxArgs(1000)).toEqual([]);
    expect(sandboxArgs(undefined)).toEqual([]);
  });
});
