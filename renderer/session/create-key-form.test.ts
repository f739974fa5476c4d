import { describe, expect, it } from 'vitest';
import { createKeyProblem, trustCommand } from './create-key-form';

const good = { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', passphrase: 'long enough', repeated: 'long enough' } as const;

describe('the create-my-key form', () => {
  it('asks for a user, a name and a passphrase of 8+ characters typed twice alike', () => {
    expect(createKeyProblem(good)).toBeNull();
    expect(createKeyProblem({ ...good, userId: '  ' })).toBe('session.create.needUser');
    expect(createKeyProblem({ ...good, displayName: '' })).toBe('session.create.needName');
    expect(createKeyProblem({ ...good, passphrase: 'short', repeated: 'short' })).toBe('session.create.shortPassphrase');
    expect(createKeyProblem({ ...good, repeated: 'long enougH' })).toBe('session.create.mismatch');
  });

  it('gives the administrator the exact `arkiva trust add` command, names quoted for the shell', () => {
    expect(trustCommand({ userId: 'milan', displayName: 'Milan "Mića" Petrović', role: 'supervisor' })).toBe(
      'arkiva trust add --role supervisor --user "milan" --name "Milan \\"Mića\\" Petrović" key.pem',
    );
  });
});
