import { describe, expect, it } from 'vitest';
import { OWASP_SCRYPT, ScryptPasswordHasher } from '../../../../functions/adapters/crypto/scrypt-password-hasher.ts';

describe('ScryptPasswordHasher', () => {
  it('defaults to the OWASP parameters and records them in the hash', async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const hash = await new ScryptPasswordHasher().hash('correct horse');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  });

  // Cheap parameters here keep the unit test fast; verification reads parameters from the hash.
  const fast = new ScryptPasswordHasher({ N: 1024, r: 8, p: 1 });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await fast.hash('s3cret-password');
    expect(await fast.verify('s3cret-password', hash)).toBe(true);
    expect(await fast.verify('s3cret-passwore', hash)).toBe(false);
    expect(await new ScryptPasswordHasher().verify('s3cret-password', hash)).toBe(true);
  });

  it('salts every hash', async () => {
    expect(await fast.hash('same')).not.toBe(await fast.hash('same'));
  });

  it('treats malformed stored hashes as a failed match', async () => {
    expect(await fast.verify('x', 'plaintext')).toBe(false);
    expect(await fast.verify('x', 'bcrypt$1$2$3$4$5')).toBe(false);
  });
});
