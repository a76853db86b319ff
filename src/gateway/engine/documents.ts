import { SerialByKey } from '../../core/serial-by-key.js';
import type { Store, WriteTx } from '../../store/store.js';
import { sql } from '../repository/statements.js';

/**
 * The kinds of document API Gateway keeps. `restapi`: a REST API with everything under it
 * (resources with methods and integrations, models, request validators, authorizers, gateway
 * responses, stages, documentation); `deployment`: one deployment's snapshot of its REST API, id
 * `<restApiId>/<deploymentId>`; `v2api`: an HTTP or WebSocket API with its routes, integrations,
 * authorizers, stages and models; `v2deployment`: id `<apiId>/<deploymentId>`; the others one
 * resource each.
 */
export type DocumentKind =
  | 'restapi'
  | 'deployment'
  | 'apikey'
  | 'usageplan'
  | 'domainname'
  | 'clientcertificate'
  | 'vpclink'
  | 'account'
  | 'v2api'
  | 'v2deployment'
  | 'v2domainname'
  | 'v2vpclink';

export interface Scope {
  accountId: string;
  region: string;
}

export interface StoredDocument<T = unknown> extends Scope {
  kind: DocumentKind;
  id: string;
  body: T;
}

type Listener = (change: StoredDocument & { deleted: boolean }) => void;

/** Changes written together, in one store unit: `put` and `delete` are applied in order. */
export interface DocumentBatch {
  put<T>(kind: DocumentKind, scope: Scope, id: string, body: T): void;
  delete(kind: DocumentKind, scope: Scope, id: string): void;
}

const keyOf = (kind: DocumentKind, accountId: string, region: string, id: string): string => `${kind}\u0000${accountId}\u0000${region}\u0000${id}`;

/**
 * The control plane in memory: every document, loaded from the store at start, changed only
 * through `put`, `delete`, `change` and `batch`, which store first and update memory once the
 * write has committed (DESIGN.md rule 3). A document in memory is never mutated: a change
 * replaces it, so the data plane can hold one while the control plane writes the next.
 */
export class Documents {
  private readonly byKey = new Map<string, StoredDocument>();
  /** Ids are unique across accounts and regions for APIs (an invoke URL names only the id). */
  private readonly byKindAndId = new Map<string, StoredDocument>();
  private readonly listeners: Listener[] = [];
  private readonly serial = new SerialByKey();

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    const rows = await this.store.all<{ account_id: string; region: string; kind: DocumentKind; id: string; body: string }>(sql.selectDocuments);
    for (const row of rows) this.remember({ accountId: row.account_id, region: row.region, kind: row.kind, id: row.id, body: JSON.parse(row.body) });
  }

  /** Called after every committed change (the data plane drops what it compiled from the old one). */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  get<T>(kind: DocumentKind, scope: Scope, id: string): T | undefined {
    return this.byKey.get(keyOf(kind, scope.accountId, scope.region, id))?.body as T | undefined;
  }

  /** A document by kind and id in whichever account and region holds it (invoke URLs, connection ids). */
  find<T>(kind: DocumentKind, id: string): StoredDocument<T> | undefined {
    return this.byKindAndId.get(`${kind}\u0000${id}`) as StoredDocument<T> | undefined;
  }

  /** Every document of a kind in an account and region, in no particular order. */
  list<T>(kind: DocumentKind, scope: Scope): T[] {
    const out: T[] = [];
    for (const doc of this.byKey.values()) if (doc.kind === kind && doc.accountId === scope.accountId && doc.region === scope.region) out.push(doc.body as T);
    return out;
  }

  /** Every document of a kind, everywhere. */
  all<T>(kind: DocumentKind): StoredDocument<T>[] {
    const out: StoredDocument<T>[] = [];
    for (const doc of this.byKey.values()) if (doc.kind === kind) out.push(doc as StoredDocument<T>);
    return out;
  }

  put<T>(kind: DocumentKind, scope: Scope, id: string, body: T): Promise<void> {
    return this.batch((b) => b.put(kind, scope, id, body));
  }

  delete(kind: DocumentKind, scope: Scope, id: string): Promise<void> {
    return this.batch((b) => b.delete(kind, scope, id));
  }

  /**
   * Reads, changes and stores one document, one change at a time per document: `fn` gets a deep
   * copy (undefined when there is none) and returns the new body, or undefined to store nothing.
   * It may also add other changes to the same write through `batch`. What `fn` returns besides is
   * handed back.
   */
  change<T, R = void>(
    kind: DocumentKind,
    scope: Scope,
    id: string,
    fn: (current: T | undefined, batch: DocumentBatch) => Promise<{ body?: T; result: R }> | { body?: T; result: R },
  ): Promise<R> {
    return this.serial.run(keyOf(kind, scope.accountId, scope.region, id), async () => {
      const current = this.get<T>(kind, scope, id);
      const ops: Op[] = [];
      const batch = collector(ops);
      const { body, result } = await fn(current === undefined ? undefined : structuredClone(current), batch);
      if (body !== undefined) ops.unshift({ kind, scope, id, body });
      if (ops.length > 0) await this.apply(ops);
      return result;
    });
  }

  /** Several changes in one store unit. */
  async batch(fn: (batch: DocumentBatch) => void): Promise<void> {
    const ops: Op[] = [];
    fn(collector(ops));
    if (ops.length > 0) await this.apply(ops);
  }

  private async apply(ops: Op[]): Promise<void> {
    const texts = ops.map((op) => (op.body === undefined ? undefined : JSON.stringify(op.body)));
    await this.store.write((tx: WriteTx) => {
      ops.forEach((op, i) => {
        if (texts[i] === undefined) tx.write(sql.deleteDocument, [op.scope.accountId, op.scope.region, op.kind, op.id]);
        else tx.write(sql.upsertDocument, [op.scope.accountId, op.scope.region, op.kind, op.id, texts[i]!]);
      });
    });
    for (let i = 0; i < ops.length; i += 1) {
      const op = ops[i];
      const doc: StoredDocument = { accountId: op.scope.accountId, region: op.scope.region, kind: op.kind, id: op.id, body: texts[i] === undefined ? undefined : JSON.parse(texts[i]!) };
      if (texts[i] === undefined) this.forget(doc);
      else this.remember(doc);
      for (const listener of this.listeners) listener({ ...doc, deleted: texts[i] === undefined });
    }
  }

  private remember(doc: StoredDocument): void {
    this.byKey.set(keyOf(doc.kind, doc.accountId, doc.region, doc.id), doc);
    this.byKindAndId.set(`${doc.kind}\u0000${doc.id}`, doc);
  }

  private forget(doc: StoredDocument): void {
    this.byKey.delete(keyOf(doc.kind, doc.accountId, doc.region, doc.id));
    const indexed = this.byKindAndId.get(`${doc.kind}\u0000${doc.id}`);
    if (indexed && indexed.accountId === doc.accountId && indexed.region === doc.region) this.byKindAndId.delete(`${doc.kind}\u0000${doc.id}`);
  }
}

interface Op {
  kind: DocumentKind;
  scope: Scope;
  id: string;
  body: unknown;
}

function collector(ops: Op[]): DocumentBatch {
  return {
    put: (kind, scope, id, body) => void ops.push({ kind, scope: { accountId: scope.accountId, region: scope.region }, id, body }),
    delete: (kind, scope, id) => void ops.push({ kind, scope: { accountId: scope.accountId, region: scope.region }, id, body: undefined }),
  };
}
