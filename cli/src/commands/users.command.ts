// `switchboard users add|list|disable`: manage who signs in to the agents' desk and the admin API,
// through the gateway's REST API with an admin API key (scope kb:admin) — how an operator makes a
// tenant's first admin. The password is read from standard input, never from the command line,
// where it would end up in the shell history and the process list.
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { localGateway } from '../config/service-configs';
import { DEV_KEY_FILE } from './stack.command';

interface Connection {
  url: string;
  key?: string;
}

async function call(connection: Connection, method: string, path: string, json?: unknown): Promise<unknown> {
  const key = connection.key ?? (existsSync(DEV_KEY_FILE) ? readFileSync(DEV_KEY_FILE, 'utf8').trim() : '');
  if (key === '') throw new Error(`no admin API key: pass --key, or start the dev stack, which writes one to ${DEV_KEY_FILE}`);
  const res = await fetch(new URL(path, connection.url), {
    method,
    headers: { 'x-api-key': key, ...(json !== undefined && { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new Error(`${res.status}: ${body.error?.message ?? 'request failed'}`);
  return body;
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (at least 12 characters; input is read until end of line): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    if (process.stdin.isTTY && chunk.toString().includes('\n')) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

const connectionOptions = (command: Command) =>
  command
    .option('-u, --url <url>', "the gateway's REST address", localGateway.restUrl)
    .option('-k, --key <apiKey>', `an admin API key of the tenant (default: the dev stack's demo key from ${DEV_KEY_FILE})`);

export function usersCommand(): Command {
  const users = new Command('users').description("manage the tenant's agents and admins (who may sign in)");

  connectionOptions(
    users
      .command('add')
      .description('add a user; the password is read from standard input, e.g. `printf %s "$PW" | switchboard users add sam --role agent`')
      .argument('<username>', 'lowercase letters, digits, . _ @ -; the agent id shown on tickets')
      .requiredOption('-r, --role <role>', 'agent, senior_agent, supervisor or admin')
      .option('-d, --departments <ids>', 'comma-separated departments whose tickets they work (required for a supervisor)', '')
      .option('--display-name <name>', 'how colleagues see them', ''),
  ).action(async (username: string, o: Connection & { role: string; departments: string; displayName: string }) => {
    const password = await readPassword();
    const departments = o.departments
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    const user = (await call(o, 'POST', '/v1/users', { username, password, role: o.role, departments, displayName: o.displayName })) as {
      id: string;
    };
    console.log(`added ${username} (${o.role}) with id ${user.id}; they sign in with POST /v1/auth/login`);
  });

  connectionOptions(users.command('list').description('list the users of the tenant')).action(async (o: Connection) => {
    const { users: list } = (await call(o, 'GET', '/v1/users')) as {
      users: Array<{ id: string; username: string; role: string; departments: string[]; disabled: boolean }>;
    };
    for (const u of list)
      console.log(
        `${u.username.padEnd(24)} ${u.role.padEnd(13)} ${(u.departments.join(',') || '(all departments)').padEnd(30)} ${u.disabled ? 'disabled' : 'active'}  ${u.id}`,
      );
    if (list.length === 0) console.log('no users yet: add one with `switchboard users add <username> --role admin`');
  });

  connectionOptions(
    users
      .command('disable')
      .description('disable a user: their sessions end at once')
      .argument('<id>', 'the user id (see `switchboard users list`)'),
  ).action(async (id: string, o: Connection) => {
    await call(o, 'PATCH', `/v1/users/${encodeURIComponent(id)}`, { disabled: true });
    console.log(`disabled ${id}`);
  });

  return users;
}
