// The gateway's REST API through the console's /api proxy, with the signed-in user's tokens. The
// session lives in sessionStorage: it ends with the tab, and another site's page cannot read it.
export interface User {
  id: string;
  username: string;
  displayName: string;
  role: string;
  departments: string[];
  tenantId: string;
}
export interface Session {
  accessToken: string;
  refreshToken: string;
  user: User;
}

export interface Ticket {
  id: string;
  conversationId: string;
  customerId: string;
  department: string;
  priority: string;
  status: string;
  reason: string;
  summary: string;
  assigneeId: string;
  dueAt: string;
  createdAt: string;
  updatedAt: string;
  locale: string;
  intent: string;
  notes?: Array<{ id: string; author: string; text: string; createdAt: string }>;
}
export interface TranscriptMessage {
  role: string;
  text: string;
  turnId: string;
  createdAt: string;
  agentId?: string;
}
export interface Transcript {
  conversationId: string;
  customerId: string;
  channel: string;
  locale: string;
  status: string;
  agentId?: string;
  messages: TranscriptMessage[];
  verifiedUserId?: string;
  contactDetails: 'masked' | 'clear';
}
export interface CustomerAccount {
  userId: string;
  contactDetails: 'masked' | 'clear';
  account: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const KEY = 'switchboard.session';
let session: Session | undefined = load();
const listeners = new Set<(s: Session | undefined) => void>();

function load(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

function save(next: Session | undefined): void {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(next);
}

export const currentSession = () => session;
export function onSession(listener: (s: Session | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function send(method: string, path: string, body?: unknown, token?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  // A form (file upload) sets its own multipart content type.
  if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  return fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  const json = (text ? JSON.parse(text) : undefined) as { error?: { code?: string; message?: string } } | undefined;
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'ERROR', json?.error?.message ?? `HTTP ${res.status}`);
  return json as T;
}

export async function signIn(tenantId: string, username: string, password: string): Promise<Session> {
  const answer = await parse<{ accessToken: string; refreshToken: string; user: Omit<User, 'tenantId'> }>(
    await send('POST', '/v1/auth/login', { tenantId, username, password }),
  );
  const next = { accessToken: answer.accessToken, refreshToken: answer.refreshToken, user: { ...answer.user, tenantId } };
  save(next);
  return next;
}

export async function signOut(): Promise<void> {
  const token = session?.accessToken;
  const desk = session?.user.role !== 'admin';
  // Gone from the desk before the screen says so: routing stops offering this user new tickets at
  // once, not after the presence TTL. A gateway that does not answer in 3 s does not hold it up.
  if (token && desk)
    await Promise.race([
      send('PUT', '/v1/agent/presence', { status: 'away' }, token).catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 3000)),
    ]);
  save(undefined);
  if (!token) return;
  await send('POST', '/v1/auth/logout', undefined, token).catch(() => undefined);
}

let refreshing: Promise<boolean> | undefined;
/** A new token pair; shared by concurrent callers, since a refresh token works only once. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const current = session;
    if (!current) return false;
    const res = await send('POST', '/v1/auth/refresh', { refreshToken: current.refreshToken });
    if (!res.ok) {
      save(undefined);
      return false;
    }
    const answer = (await res.json()) as { accessToken: string; refreshToken: string };
    save({ ...current, accessToken: answer.accessToken, refreshToken: answer.refreshToken });
    return true;
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

/** A call as the signed-in user; an expired access token is refreshed once and the call repeated. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body, session?.accessToken);
  if (res.status === 401 && (await refresh())) res = await send(method, path, body, session?.accessToken);
  if (res.status === 401) save(undefined);
  return parse<T>(res);
}
export interface Suggestions {
  forMessage: string;
  passages: Array<{ title: string; text: string; score: number; relevant: boolean; documentId: string; knowledgeBaseId: string }>;
  draft: string;
}
export interface KnowledgeBase {
  id: string;
  name: string;
  documents: number;
  chunks: number;
}
export interface DocumentStatus {
  documentId: string;
  title: string;
  /** "ingesting" while a new version is indexed (the live one, if any, still answers searches). */
  status: 'ready' | 'ingesting' | 'failed';
  error: string;
  /** The live version (0 until the first ingest succeeds) and its number of chunks. */
  version: number;
  chunks: number;
  accessLevel: number;
}
export interface IngestResult {
  documentId: string;
  chunks: number;
  version: number;
  unchanged: boolean;
}
export interface Chunk {
  position: number;
  title: string;
  text: string;
  indexedText: string;
  faqId: string;
  faqApproved: boolean;
}
export interface ChunkPage {
  chunks: Chunk[];
  total: number;
  version: number;
}
export interface StandardAnswer {
  faqId: string;
  question: string;
  answer: string;
  confidence: number;
  knowledgeBaseId: string;
  documentId: string;
}
export interface Passage {
  title: string;
  text: string;
  score: number;
  documentId: string;
}
