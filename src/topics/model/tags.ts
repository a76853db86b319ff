import { snsErrors } from './errors.js';

export interface Tag {
  Key: string;
  Value: string;
}

/** At most 50 tags on a topic (TagLimitExceededException: "Can't add more than 50 tags to a topic.", API Reference). */
export const MAX_TAGS = 50;

/** A tag list a request gives may not name a key twice ("Invalid parameter: Duplicated keys are not allowed.", recorded). */
export function checkTagList(tags: readonly Tag[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (keys.has(tag.Key)) throw snsErrors.invalid('Duplicated keys are not allowed.');
    keys.add(tag.Key);
    // "aws:" is reserved for AWS's own tags (Tagging Best Practices, "Tag naming limits and requirements").
    if (tag.Key.toLowerCase().startsWith('aws:')) throw snsErrors.invalidReason('Tags', "Keys may not start with 'aws:'");
  }
}

/** Tags merged as TagResource merges them: a given key overwrites in place, new keys are appended (recorded order). */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = existing.map((t) => ({ ...t }));
  for (const tag of added) {
    const at = merged.findIndex((t) => t.Key === tag.Key);
    if (at >= 0) merged[at] = { Key: tag.Key, Value: tag.Value };
    else merged.push({ Key: tag.Key, Value: tag.Value });
  }
  if (merged.length > MAX_TAGS) throw snsErrors.tagLimitExceeded();
  return merged;
}

/**
 * CreateTopic on an existing name with tags succeeds only if each tag it gives is already there
 * with that value (recorded: the same tags, a subset, or none pass; a tag the topic lacks is
 * "Invalid parameter: Tags Reason: Topic already exists with different tags").
 */
export function tagsIncluded(existing: readonly Tag[], given: readonly Tag[]): boolean {
  return given.every((tag) => existing.some((t) => t.Key === tag.Key && t.Value === tag.Value));
}
