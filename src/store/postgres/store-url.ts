/** Where a PostgreSQL store lives, from the `--store` URL. */
export interface StoreUrl {
  /** What node-postgres is given: the URL without Stratus's own `schema` parameter. */
  connectionString: string;
  /** The schema Stratus keeps its tables in (`?schema=`; default `public`). */
  schema: string;
  /** The URL with its password hidden: what messages, logs and /_stratus/info show. */
  display: string;
  host: string;
  port: number;
  user: string;
  database: string;
}

/** Parses `postgres://user:password@host:port/database?schema=name`; throws with a plain message otherwise. */
export function parseStoreUrl(url: string): StoreUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--store must be a PostgreSQL URL (postgres://user:password@host:5432/database), got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`--store must be a PostgreSQL URL (postgres://…); got the scheme ${parsed.protocol.replace(/:$/, '')} (the embedded SQLite store needs no --store: see --data-dir)`);
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (schema.length === 0 || schema.length > 63) throw new Error(`--store: a schema name must be 1 to 63 characters, got ${JSON.stringify(schema)}`);
  parsed.searchParams.delete('schema');
  const display = new URL(parsed.href);
  if (display.password) display.password = '***';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || process.env.USER || 'postgres';
  return {
    connectionString: parsed.href,
    schema,
    display: display.href + (schema === 'public' ? '' : `${display.search ? '&' : '?'}schema=${encodeURIComponent(schema)}`),
    host: parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    user,
    database: database || user,
  };
}

/** One line that says why the first connection failed, and what to do about it. */
export function describeConnectFailure(location: StoreUrl, error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const at = `PostgreSQL at ${location.host}:${location.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach ${at}: connection refused (is the server running, on that port?) — --store ${location.display}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${at}: no such host — --store ${location.display}`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${at}: ${code} — --store ${location.display}`;
    // https://www.postgresql.org/docs/current/errcodes-appendix.html
    case '28P01':
      return `${at} refused the password of user "${location.user}" — --store ${location.display}`;
    case '28000':
      return `${at} does not let user "${location.user}" in (${(error as Error).message}) — --store ${location.display}`;
    case '3D000':
      return `${at} has no database "${location.database}": create it (createdb ${location.database}) or name another — --store ${location.display}`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      if (/timeout/i.test(message)) return `cannot reach ${at}: no answer within 10 s — --store ${location.display}`;
      return `cannot use ${at}: ${message} — --store ${location.display}`;
    }
  }
}
