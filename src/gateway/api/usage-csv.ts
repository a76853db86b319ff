/**
 * ImportApiKeys' CSV (API Gateway Developer Guide, "API Gateway API key file format"): a header
 * row naming the columns in any order and any case — `Name` and `Key` required, `Description`,
 * `Enabled`, `UsagePlanIds` optional, others ignored; a value may be quoted with double or single
 * quotes (a list of usage plan ids is, being comma-separated). Missing values default to an empty
 * string, or true for `Enabled`.
 */
export interface ImportedKey {
  name: string;
  key: string;
  description: string;
  enabled: boolean;
  usagePlanIds: string[];
  /** 1-based line number, for warnings. */
  line: number;
}

export type CsvResult = { ok: true; keys: ImportedKey[] } | { ok: false; message: string };

export function parseApiKeysCsv(text: string): CsvResult {
  const lines = text.split(/\r?\n/).map((line, i) => ({ cells: splitRow(line), line: i + 1, blank: line.trim() === '' }));
  const rows = lines.filter((l) => !l.blank);
  if (rows.length === 0) return { ok: false, message: 'Invalid API Key file: the file is empty' };
  const header = rows[0].cells.map((c) => c.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const nameAt = column('name');
  const keyAt = column('key');
  if (nameAt < 0 || keyAt < 0) return { ok: false, message: 'Invalid API Key file: the header must name the Name and Key columns' };
  const descriptionAt = column('description');
  const enabledAt = column('enabled');
  const plansAt = column('usageplanids');
  const keys: ImportedKey[] = [];
  for (const row of rows.slice(1)) {
    const cell = (at: number) => (at < 0 ? '' : (row.cells[at] ?? '').trim());
    const enabledText = cell(enabledAt).toLowerCase();
    keys.push({
      name: cell(nameAt),
      key: cell(keyAt),
      description: cell(descriptionAt),
      enabled: enabledText === '' ? true : enabledText === 'true',
      usagePlanIds: cell(plansAt)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      line: row.line,
    });
  }
  return { ok: true, keys };
}

/** One CSV row's cells; a cell may be quoted with `"` or `'` (a doubled quote inside is one). */
export function splitRow(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    while (line[i] === ' ') i += 1;
    const quote = line[i] === '"' || line[i] === "'" ? line[i] : undefined;
    if (quote) {
      i += 1;
      while (i < line.length) {
        if (line[i] === quote) {
          if (line[i + 1] === quote) {
            cell += quote;
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        cell += line[i];
        i += 1;
      }
      while (i < line.length && line[i] !== ',') i += 1;
    } else {
      while (i < line.length && line[i] !== ',') {
        cell += line[i];
        i += 1;
      }
    }
    cells.push(cell);
    if (i >= line.length) return cells;
    i += 1;
  }
}
