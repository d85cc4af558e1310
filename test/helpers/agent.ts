import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

export type Agent = InstanceType<typeof TestAgent>;

/** The CSRF token rendered in a page's forms. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in page');
  return match[1];
}

export async function csrfOf(agent: Agent, path = '/connexion'): Promise<string> {
  const res = await agent.get(path);
  return csrfFrom(res.text);
}

/** Posts a form the way a browser does: fetch the page's token first, then submit. */
export async function submitForm(agent: Agent, path: string, fields: Record<string, unknown>, tokenPage = '/connexion') {
  const token = await csrfOf(agent, tokenPage);
  return agent.post(path).type('form').send({ _csrf: token, ...fields });
}

export function anonymous(app: Express): Agent {
  return request.agent(app);
}

/** A logged-in agent; fails loudly when the login is refused. */
export async function login(app: Express, email: string, password: string): Promise<Agent> {
  const agent = request.agent(app);
  const res = await submitForm(agent, '/connexion', { email, password });
  if (res.status !== 302) throw new Error(`login failed for ${email}: ${res.status}`);
  return agent;
}

/** Text of a page with tags removed and whitespace folded, for assertions on what a user reads. */
export function pageText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
