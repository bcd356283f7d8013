import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Resolve, webhookProblemOf, WebhookSender } from './webhook-sender';

/** A receiver on this machine that answers as `answer` says, and keeps what it was sent. */
async function receiver(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; port: number; seen: { host?: string; body: string }[] }> {
  const seen: { host?: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ host: req.headers.host, body });
      answer(req, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, seen };
}

const request = (url: string) => ({
  url,
  headers: { 'content-type': 'application/json', 'webhook-id': 'evt' },
  body: '{"type":"webhook.test"}',
});
const development = { production: false };

describe('sending one webhook try', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });
  const start = async (answer: (req: IncomingMessage, res: ServerResponse) => void) => {
    const started = await receiver(answer);
    servers.push(started.server);
    return started;
  };

  it('succeeds on 2xx, and sends the body as it was signed', async () => {
    const { port, seen } = await start((_req, res) => res.writeHead(204).end());
    const outcome = await new WebhookSender(development).send(
      request(`http://127.0.0.1:${port}/hook`),
    );
    expect(outcome).toEqual({ problem: null, httpStatus: 204 });
    expect(seen).toEqual([{ host: `127.0.0.1:${port}`, body: '{"type":"webhook.test"}' }]);
  });

  it('fails on any other status, a redirect too (never followed), without reading the body', async () => {
    let answered = 0;
    const { port } = await start((_req, res) => {
      answered += 1;
      if (answered === 1) res.writeHead(500).end('a long explanation');
      else res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    });
    const sender = new WebhookSender(development);
    const url = `http://127.0.0.1:${port}/hook`;
    expect(await sender.send(request(url))).toEqual({ problem: 'status', httpStatus: 500 });
    expect(await sender.send(request(url))).toEqual({ problem: 'status', httpStatus: 302 });
    expect(answered).toBe(2);
  });

  it('gives up at its time limit', async () => {
    const { port } = await start(() => undefined);
    const outcome = await new WebhookSender(development, undefined, 200).send(
      request(`http://127.0.0.1:${port}/hook`),
    );
    expect(outcome).toEqual({ problem: 'timeout', httpStatus: null });
  });

  it('says when nothing listens', async () => {
    const { server, port } = await start(() => undefined);
    server.close();
    await once(server, 'close');
    const outcome = await new WebhookSender(development).send(request(`http://127.0.0.1:${port}/`));
    expect(outcome).toEqual({ problem: 'connection', httpStatus: null });
  });

  it('connects to the address it checked, whatever the name would resolve to next', async () => {
    const { port, seen } = await start((_req, res) => res.writeHead(200).end());
    const answers = ['127.0.0.1', '10.0.0.1'];
    const resolve: Resolve = () => Promise.resolve([{ address: answers.shift()!, family: 4 }]);
    const outcome = await new WebhookSender(development, resolve).send(
      request(`http://localhost:${port}/hook`),
    );
    expect(outcome).toEqual({ problem: null, httpStatus: 200 });
    expect(seen.map((s) => s.host)).toEqual([`localhost:${port}`]);
  });

  it('in production, refuses a name that leads to this machine or a private network', async () => {
    for (const addresses of [['127.0.0.1'], ['93.184.216.34', '10.0.0.1'], ['169.254.169.254']]) {
      const resolve: Resolve = () =>
        Promise.resolve(addresses.map((address) => ({ address, family: 4 })));
      const outcome = await new WebhookSender({ production: true }, resolve).send(
        request('https://hooks.example.org/hook'),
      );
      expect(outcome).toEqual({ problem: 'address', httpStatus: null });
    }
  });

  it('checks an address as a try would, without sending anything', async () => {
    const resolve: Resolve = (hostname) =>
      Promise.resolve([
        { address: hostname === 'public.example' ? '93.184.216.34' : '10.0.0.1', family: 4 },
      ]);
    const sender = new WebhookSender({ production: true }, resolve);
    expect(await sender.checkDestination('https://public.example/hook')).toBeNull();
    expect(await sender.checkDestination('https://private.example/hook')).toBe('address');
  });

  it('says when the name is not found', async () => {
    const resolve: Resolve = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const outcome = await new WebhookSender(development, resolve).send(
      request('https://nowhere.invalid/hook'),
    );
    expect(outcome).toEqual({ problem: 'dns', httpStatus: null });
  });
});

describe('the class of a failed try', () => {
  it.each([
    [{ name: 'TimeoutError' }, 'timeout'],
    [{ name: 'AbortError', code: 'ABORT_ERR' }, 'timeout'],
    [{ code: 'ETIMEDOUT' }, 'timeout'],
    [{ code: 'EAI_AGAIN' }, 'dns'],
    [{ code: 'ECONNRESET' }, 'connection'],
    [{ code: 'EHOSTUNREACH' }, 'connection'],
    [{ code: 'CERT_HAS_EXPIRED' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'tls'],
    [{ code: 'EPROTO' }, 'tls'],
    [{ code: 'HPE_INVALID_CONSTANT' }, 'error'],
    [new Error('something else'), 'error'],
    [undefined, 'error'],
  ])('reads %j as %s', (error, problem) => {
    expect(webhookProblemOf(error)).toBe(problem);
  });
});
