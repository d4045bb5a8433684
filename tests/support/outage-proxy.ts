/**
 * A TCP proxy on a loopback port of its own, in front of a local server (the fake Slack Web API), that can stop
 * listening and come back on the same port: a client pointed at it meets "connection refused" for a while, as when
 * a service is down, without being restarted or reconfigured. Connections open when it goes down are cut.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

export class OutageProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Starts forwarding to `targetUrl`'s host and port (an `http://127.0.0.1:<port>/…` URL). */
  static async start(targetUrl: string): Promise<OutageProxy> {
    const url = new URL(targetUrl);
    const proxy = new OutageProxy({ host: url.hostname, port: Number(url.port) });
    await proxy.#listen(0);
    return proxy;
  }

  /** `targetUrl` with the proxy's port instead of the target's. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.port = String(this.#port);
    return url.toString();
  }

  get refusing(): boolean {
    return this.#server === undefined;
  }

  /** Stops listening (new connections are refused) and cuts every open connection. */
  async refuse(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }

  /** Listens again, on the same port. */
  async restore(): Promise<void> {
    if (!this.#server) await this.#listen(this.#port);
  }

  async close(): Promise<void> {
    await this.refuse();
  }

  async #listen(port: number): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.#target.port, this.#target.host);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => {
          this.#sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }
}
