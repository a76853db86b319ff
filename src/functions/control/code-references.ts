import type { Catalogue } from './catalogue.js';
import { storedDigest, type CodeRef } from './code-store.js';
import type { LayerCatalogue, LayerRef } from './layers.js';

/**
 * Which stored .zips (code-rows.ts) something still refers to: a function version's code or the
 * layers it uses (a deleted layer version's content stays while a function uses it), a layer
 * version's content, or a change being written (CodeStore.hold). The catalogues in memory are the
 * whole truth: one node serves a store at a time.
 */

/** A function version or a layer version. */
type CodeUser = { code: CodeRef; layerRefs?: LayerRef[] };

/** The digests of stored .zips a function version or layer version refers to. */
export function codeDigests(config: CodeUser): string[] {
  const out: string[] = [];
  const own = storedDigest(config.code);
  if (own !== undefined) out.push(own);
  for (const ref of config.layerRefs ?? []) {
    const digest = storedDigest(ref);
    if (digest !== undefined) out.push(digest);
  }
  return out;
}

/**
 * The digests `removed` configurations refer to that nothing will refer to once the change is
 * committed: not the configurations the change writes (`added`), nor any other in the catalogues,
 * nor a change being written. Run inside the change's write unit, before it is applied to memory,
 * so `removed` (the very objects in the catalogues) are set aside by identity.
 */
export function unreferencedCode(
  catalogue: Catalogue,
  layers: LayerCatalogue,
  change: { removed: readonly CodeUser[]; added?: readonly CodeUser[] },
): string[] {
  const kept = new Set((change.added ?? []).flatMap(codeDigests));
  const candidates = new Set(change.removed.flatMap(codeDigests).filter((d) => !kept.has(d) && !catalogue.code.held(d)));
  if (candidates.size === 0) return [];
  const removed = new Set<CodeUser>(change.removed);
  const stillUsedBy = (config: CodeUser): void => {
    if (!removed.has(config)) for (const d of codeDigests(config)) candidates.delete(d);
  };
  for (const fn of catalogue.functions.values()) {
    stillUsedBy(fn.latest);
    for (const config of fn.versions.values()) stillUsedBy(config);
  }
  for (const layer of layers.layers.values()) for (const config of layer.versions.values()) stillUsedBy(config);
  return [...candidates];
}
