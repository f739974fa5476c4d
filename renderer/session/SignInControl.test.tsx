import { describe, expect, it } from 'vitest';
import { renderStatic } from '../test-support/render';
import { personKeys, SignInView, type CreatedKey, type SigningKey } from './SignInControl';
import type { SessionState } from './SessionContext';

const key = (userId: string, role: SigningKey['role'], trusted = true): SigningKey => ({
  keyId: userId.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a'),
  userId,
  displayName: `${userId[0]?.toUpperCase()}${userId.slice(1)} Krasniqi`,
  role,
  createdAt: '2026-12-01T08:00:00.000Z',
  trusted,
});
const signedOut: SessionState = { known: true, user: null };
const noop = () => undefined;
const view = (props: Partial<Parameters<typeof SignInView>[0]> = {}) =>
  renderStatic(<SignInView state={signedOut} keys={[]} busy={false} error={null} created={null} onSignIn={noop} onSignOut={noop} onCreateKey={noop} {...props} />);

describe('the header sign-in', () => {
  it('shows who is signed in, with their role, and a way to sign out', () => {
    const doc = view({ state: { known: true, user: { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', keyId: 'a'.repeat(64), signedInAt: '2026-12-04T08:00:00.000Z' } } });
    expect(doc.byTestId('session-user')[0]?.text).toBe('Arta Krasniqi (clerk)');
    expect(doc.byTestId('session-control')[0]?.attributes['data-role']).toBe('clerk');
    expect(doc.byTestId('sign-out')).toHaveLength(1);
    expect(doc.byTestId('sign-in-form')).toHaveLength(0);
  });

  it('offers the people\'s keys of this workstation, saying which the trust store does not know yet', () => {
    const keys = personKeys([key('workstation-7', 'workstation'), key('milan', 'supervisor'), key('arta', 'clerk', false)]);
    expect(keys.map((listed) => listed.userId)).toEqual(['arta', 'milan']);
    const doc = view({ keys });
    expect(doc.byTestId('sign-in-key')[0]?.html.match(/<option[^>]*>[^<]*/g)?.map((option) => option.replace(/<[^>]*>/, ''))).toEqual([
      'Arta Krasniqi (arta), clerk, not yet in the trust store',
      'Milan Krasniqi (milan), supervisor',
    ]);
    expect(doc.byTestId('sign-in-passphrase')[0]?.attributes['type']).toBe('password');
    expect(doc.byTestId('create-key')[0]?.attributes['open']).toBeUndefined();
  });

  it('opens the create-my-key form when nobody has a key yet', () => {
    const doc = view({ keys: [] });
    expect(doc.byTestId('no-keys')[0]?.text).toMatch(/No one has a key/);
    expect(doc.byTestId('create-key')[0]?.attributes).toHaveProperty('open');
  });

  it('says plainly that a passphrase was not accepted', () => {
    const doc = view({ keys: [key('arta', 'clerk')], error: { code: 'unauthorized', message: 'Wrong passphrase for this key.' } });
    expect(doc.byTestId('session-error')[0]?.text).toBe('Not accepted — Wrong passphrase for this key.');
  });

  it('after creating a key, tells the clerk an administrator must trust it, with the command and the public key', () => {
    const created: CreatedKey = { key: key('arta', 'clerk', false), publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n' };
    const doc = view({ keys: [created.key], created });
    const note = doc.byTestId('created-key')[0];
    expect(note?.text).toContain('An administrator must add this key to the trust store before you can sign in with it');
    // The list now holds the new key, yet the panel stays open so what was just shown is not hidden.
    expect(doc.byTestId('create-key')[0]?.attributes).toHaveProperty('open');
    expect(note?.text).toContain('arkiva trust add --role clerk --user "arta" --name "Arta Krasniqi" key.pem');
    expect(note?.html).toContain('BEGIN PUBLIC KEY');
  });

  it('shows why the services refused a key that no administrator has trusted yet', () => {
    const message = 'The key of arta cannot be used for sign-in: it is not in the trust store as a clerk.';
    const doc = view({ keys: [key('arta', 'clerk', false)], error: { code: 'unauthorized', message } });
    expect(doc.byTestId('session-error')[0]?.text).toBe(`Not accepted — ${message}`);
  });

  it('waits quietly until the services say who is signed in', () => {
    expect(view({ state: { known: false } }).byTestId('session-control')[0]?.text).toBe('…');
  });
});
