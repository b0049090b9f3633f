import {
  AddressClass,
  classifyAddress,
  isAllowedHost,
  outboundLookup,
  OutboundAddressRefused,
  resolveOutbound,
  resolveUnder,
} from './outbound-address';

describe('classifyAddress', () => {
  const table: Array<[string, AddressClass]> = [
    ['93.184.215.14', 'public'],
    ['8.8.8.8', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['ff02::1', 'reserved'],
    // IPv4 inside IPv6 is judged by the IPv4 address it carries.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['2002:c0a8:101::1', 'private'],
    ['::127.0.0.1', 'reserved'],
  ];
  it.each(table)('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('refuses what is not an IP address', () => {
    expect(() => classifyAddress('example.com')).toThrow('example.com is not an IP address');
  });
});

describe('resolveOutbound', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1 is a loopback address'],
    ['169.254.169.254', '169.254.169.254 is a metadata address'],
    ['[::1]', '::1 is a loopback address'],
    ['[fd00:ec2::254]', 'fd00:ec2::254 is a metadata address'],
    ['localhost', /^localhost resolves to (127\.0\.0\.1|::1), a loopback address$/],
  ])('refuses %s', async (host, reason) => {
    const refused = resolveOutbound(host, false);
    await expect(refused).rejects.toBeInstanceOf(OutboundAddressRefused);
    await expect(refused).rejects.toThrow(reason);
  });

  it('allows every address when private targets are allowed', async () => {
    expect(await resolveOutbound('127.0.0.1', true)).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(await resolveOutbound('[::1]', true)).toEqual([{ address: '::1', family: 6 }]);
  });

  it('passes public literals through without a lookup', async () => {
    expect(await resolveOutbound('93.184.215.14', false)).toEqual([{ address: '93.184.215.14', family: 4 }]);
  });
});

describe('outboundLookup', () => {
  const call = (lookup: ReturnType<typeof outboundLookup>, host: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      lookup(host, options, (err, address, family) => resolve({ err, address, family })),
    );

  it('fails the connection to a name that resolves to a refused address', async () => {
    const { err } = await call(outboundLookup(false), 'localhost', { all: true });
    expect(err).toBeInstanceOf(OutboundAddressRefused);
  });

  it('hands the checked addresses to the socket, one or all as asked', async () => {
    const single = await call(outboundLookup(true), 'localhost', { family: 4 });
    expect(single).toEqual({ err: null, address: '127.0.0.1', family: 4 });
    const all = await call(outboundLookup(true), 'localhost', { all: true });
    expect(all.err).toBeNull();
    expect(all.address).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]),
    );
  });
});

describe('isAllowedHost and resolveUnder (CONNECTOR_ALLOWED_HOSTS)', () => {
  it.each([
    ['bot-api.internal', 443, ['bot-api.internal'], true],
    ['Bot-API.internal', 8081, ['bot-api.internal:8081'], true],
    ['bot-api.internal', 8082, ['bot-api.internal:8081'], false],
    ['other.internal', 443, ['bot-api.internal'], false],
    ['127.0.0.1', 9000, ['127.0.0.1:9000'], true],
    ['[::1]', 9000, ['[::1]:9000'], true],
    ['::1', 9001, ['[::1]:9000'], false],
    ['::1', 25, ['::1'], true],
  ])('%s:%i with %j is %s', (host, port, allowed, expected) => {
    expect(isAllowedHost(host, port, allowed)).toBe(expected);
  });

  it('skips the address check only for a named host and port', async () => {
    const policy = { allowPrivate: false, allowedHosts: ['127.0.0.1:9000'] };
    expect(await resolveUnder('127.0.0.1', 9000, policy)).toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(resolveUnder('127.0.0.1', 9001, policy)).rejects.toBeInstanceOf(OutboundAddressRefused);
  });
});
