import { allowedAddress, checkEndpointUrl, hostToResolve } from './webhook-url';

const production = { production: true };
const development = { production: false };

const problemOf = (typed: string, policy = production): string | undefined => {
  const checked = checkEndpointUrl(typed, policy);
  return 'problem' in checked ? checked.problem : undefined;
};

describe('the address of a webhook endpoint', () => {
  it.each([
    ['https://hooks.example.org/intake', 'https://hooks.example.org/intake'],
    [
      '  https://Hooks.Example.ORG/In?source=clinic  ',
      'https://hooks.example.org/In?source=clinic',
    ],
    ['https://hooks.example.org:443/x', 'https://hooks.example.org/x'],
    ['https://example.org', 'https://example.org/'],
    ['https://93.184.216.34/hook', 'https://93.184.216.34/hook'],
    ['https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
  ])('takes %j in production, kept as %j', (typed, url) => {
    expect(checkEndpointUrl(typed, production)).toEqual({ url });
  });

  it.each([
    ['', /Give the address/],
    ['hooks.example.org/x', /not a web address/],
    ['http://hooks.example.org/x', /https:\/\/ address: deliveries are only sent encrypted/],
    ['ftp://hooks.example.org/x', /https:\/\//],
    ['http://localhost:4000/x', /https:\/\//],
    ['https://user:pass@hooks.example.org/x', /user name and password/],
    ['https://token@hooks.example.org/x', /user name and password/],
    ['https://:@hooks.example.org/x', /user name and password/],
    ['https://hooks.example.org/x#frag', /part from #/],
    ['https://hooks.example.org/x#', /part from #/],
    ['https://hooks.example.org/a b', /without spaces/],
    ['https://hooks.example.org\\@evil.example/', /backslashes/],
    ['https://hooks.example.org/\u0000', /control characters/],
    ['https://2130706433/x', /host name as it is registered/],
    ['https://0x7f.1/x', /host name as it is registered/],
    ['https://ex%61mple.org/x', /host name as it is registered/],
    ['https://bücher.example/x', /host name as it is registered/],
    ['https://hooks.example.org./x', /host name as it is registered/],
    ['https:///hooks.example.org', /host name as it is registered/],
    ['https://hooks.example.org:8443/x', /Leave the port out/],
    ['https://localhost/x', /private network/],
    ['https://intranet/x', /private network/],
    ['https://db.localhost/x', /private network/],
    ['https://127.0.0.1/x', /private network/],
    ['https://10.0.0.5/x', /private network/],
    ['https://169.254.169.254/latest/meta-data', /private network/],
    ['https://[::1]/x', /private network/],
    ['https://[fd00::1]/x', /private network/],
    [`https://hooks.example.org/${'a'.repeat(2048)}`, /at most 2048 characters/],
  ])('refuses %j in production, saying why', (typed, problem) => {
    expect(problemOf(typed)).toMatch(problem);
  });

  it('also takes http:// to this computer, on any port, outside production (a local receiver)', () => {
    for (const typed of [
      'http://127.0.0.1:4567/hook',
      'http://localhost:4567/hook',
      'http://[::1]:4567/hook',
      'https://10.0.0.5:8443/hook',
      'https://intranet/hook',
    ]) {
      expect(checkEndpointUrl(typed, development)).toEqual({ url: new URL(typed).href });
    }
    expect(problemOf('http://hooks.example.org/x', development)).toMatch(
      /http:\/\/ only to this computer/,
    );
    expect(problemOf('http://10.0.0.5/x', development)).toMatch(/https:\/\//);
    expect(problemOf('http://u:p@127.0.0.1:4567/x', development)).toMatch(/user name/);
  });
});

describe('where a delivery may connect', () => {
  const at = (url: string) => new URL(url);

  it('in production, only to public addresses, whatever the name', () => {
    const url = at('https://hooks.example.org/x');
    expect(allowedAddress(url, '93.184.216.34', production)).toBe(true);
    expect(allowedAddress(url, '2606:4700:4700::1111', production)).toBe(true);
    for (const address of ['127.0.0.1', '10.0.0.8', '169.254.169.254', '::1', 'fd00::2']) {
      expect(allowedAddress(url, address, production)).toBe(false);
    }
  });

  it('elsewhere, over http only to this computer (a name that resolves elsewhere is refused)', () => {
    expect(allowedAddress(at('http://localhost:1/x'), '127.0.0.1', development)).toBe(true);
    expect(allowedAddress(at('http://localhost:1/x'), '::1', development)).toBe(true);
    expect(allowedAddress(at('http://localhost:1/x'), '10.0.0.9', development)).toBe(false);
    expect(allowedAddress(at('https://intranet/x'), '10.0.0.9', development)).toBe(true);
  });

  it('resolves IPv6 hosts without their brackets', () => {
    expect(hostToResolve(at('https://[2606:4700::1]/x'))).toBe('2606:4700::1');
    expect(hostToResolve(at('https://hooks.example.org/x'))).toBe('hooks.example.org');
  });
});
