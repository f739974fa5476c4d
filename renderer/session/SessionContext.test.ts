import { describe, expect, it } from 'vitest';
import type { Session } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { fakeApi } from '../test-support/fake-api';
import { followSession } from './SessionContext';

const arta: Session = { user: { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', keyId: 'a'.repeat(64), signedInAt: '2026-12-04T08:00:00.000Z' } };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('followSession', () => {
  it('asks who is signed in, follows sign-ins and sign-outs from any window, and asks again after a reconnect', async () => {
    let answer: Session = { user: null };
    const fake = fakeApi({ 'session.get': async () => answer });
    const seen: Session[] = [];
    const stop = followSession(fake.api, { onSession: (session) => seen.push(session), onError: (error) => expect.fail(String(error)) });
    await tick();
    fake.emit('session.changed', arta);
    fake.emit('session.changed', { user: null });
    answer = arta;
    fake.reconnect();
    await tick();
    expect(seen).toEqual([{ user: null }, arta, { user: null }, arta]);

    stop();
    fake.emit('session.changed', { user: null });
    expect(seen).toHaveLength(4);
    expect(fake.listenerCount('session.changed')).toBe(0);
  });

  it('reports when the services cannot say', async () => {
    const fake = fakeApi({ 'session.get': async () => Promise.reject(new ApiError('unavailable', 'services restarting')) });
    const failures: unknown[] = [];
    followSession(fake.api, { onSession: () => expect.fail('no session expected'), onError: (error) => failures.push(error) });
    await tick();
    expect(failures).toEqual([expect.objectContaining({ code: 'unavailable' })]);
  });
});
