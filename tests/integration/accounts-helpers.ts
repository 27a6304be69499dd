// A signed-in browser for the accounts tests: keeps the sign-in cookie and the CSRF token and
// sends both, as the dashboard does; and a server with a first admin, made through the setup link.
import type { Me } from '../../common/accounts.ts';
import type { TestServer } from './helpers.ts';

export interface Reply {
  status: number;
  body: any;
}

export class Browser {
  cookie = '';
  csrf = '';

  constructor(readonly url: string) {}

  async request(method: string, route: string, body?: unknown, opts: { csrf?: string | null } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    if (res.ok && parsed && typeof parsed === 'object' && 'csrf' in parsed) this.csrf = String((parsed as Me).csrf ?? '');
    return { status: res.status, body: parsed };
  }

  login(email: string, password: string): Promise<Reply> {
    return this.request('POST', '/api/auth/login', { email, password });
  }

  accept(invite: string, name: string, email: string, password = `${name} has a long password`): Promise<Reply> {
    return this.request('POST', '/api/auth/accept', { invite, name, email, password });
  }
}

export const inviteToken = (link: string): string => link.split('#invite=')[1]!;

/** The first admin (through the setup link) and mentors invited by them, each signed in. */
export async function team(server: TestServer, mentors: string[]): Promise<{ admin: Browser; mentors: Browser[] }> {
  const admin = new Browser(server.url);
  const setup = await server.app.accounts.setupLink();
  if (!setup) throw new Error('the server has accounts already');
  const made = await admin.accept(setup, 'Admin', 'admin@example.org');
  if (made.status !== 201) throw new Error(`setup: ${made.status} ${JSON.stringify(made.body)}`);
  const browsers: Browser[] = [];
  for (const name of mentors) {
    const invite = await admin.request('POST', '/api/invites', { role: 'mentor' });
    if (invite.status !== 201) throw new Error(`invite: ${invite.status} ${JSON.stringify(invite.body)}`);
    const b = new Browser(server.url);
    const r = await b.accept(inviteToken(invite.body.link), name, `${name.toLowerCase()}@example.org`);
    if (r.status !== 201) throw new Error(`accept: ${r.status} ${JSON.stringify(r.body)}`);
    browsers.push(b);
  }
  return { admin, mentors: browsers };
}
