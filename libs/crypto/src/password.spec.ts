import { hashSecret, verifySecret } from './password';

/** Written by bcryptjs 3 (the library used before), cost 10: stored hashes must keep verifying. */
const BCRYPTJS_HASH = '$2b$10$OYYCKDuji5GUbcZkoo3rTObsFTGuOmuf.1.QeMu4DoKeMSE.7J0qq';

describe('password hashing', () => {
  it('verifies hashes that bcryptjs wrote ($2b$ and $2a$)', async () => {
    expect(await verifySecret('correct horse battery staple', BCRYPTJS_HASH)).toBe(true);
    expect(await verifySecret('correct horse battery staple', BCRYPTJS_HASH.replace('$2b$', '$2a$'))).toBe(true);
    expect(await verifySecret('wrong horse battery staple', BCRYPTJS_HASH)).toBe(false);
  });

  it('writes standard bcrypt hashes', async () => {
    expect(await hashSecret('correct horse')).toMatch(/^\$2b\$10\$[./A-Za-z0-9]{53}$/);
  });

  it('keeps the event loop free while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Promise.all([hashSecret('a'), hashSecret('b'), verifySecret('c', BCRYPTJS_HASH)]);
    clearInterval(timer);
    // bcryptjs ran on the loop in slices; native bcrypt leaves it to timers the whole time (tens of ms at cost 10).
    expect(ticks).toBeGreaterThan(3);
  });
});
