/**
 * XML answers read by botocore's own parsers (Python's expat underneath: strict XML 1.0, a raw
 * control character is "not well-formed (invalid token)"), the way the AWS CLI and boto3 read
 * them. One Python process reads a batch of answers, so thousands cost one start.
 */
import { spawn, spawnSync } from 'node:child_process';

export const botocoreInstalled = spawnSync('python3', ['-c', 'import botocore'], { encoding: 'utf8' }).status === 0;

export interface XmlAnswer {
  status: number;
  body: Buffer | string;
  /** `query` (default): ErrorResponse errors, any root for a success; `rest-xml`: S3's `<Error>`. */
  protocol?: 'query' | 'rest-xml';
}

export interface XmlVerdict {
  /** Whether botocore read it. */
  ok: boolean;
  /** The parse error when not. */
  error?: string;
  /** The root element's name (namespace stripped). */
  root?: string;
  /** For an error answer: the code and message botocore read. */
  code?: string;
  message?: string;
}

const SCRIPT = String.raw`
import sys, json, base64
from botocore.parsers import QueryParser, RestXMLParser
for line in sys.stdin:
    item = json.loads(line)
    body = base64.b64decode(item['body'])
    out = {}
    try:
        parser = RestXMLParser() if item['protocol'] == 'rest-xml' else QueryParser()
        root = parser._parse_xml_string_to_dom(body)
        out['root'] = root.tag.split('}')[-1]
        if item['status'] >= 300:
            parsed = parser.parse({'body': body, 'headers': {}, 'status_code': item['status']}, None)
            out['code'] = parsed['Error'].get('Code')
            out['message'] = parsed['Error'].get('Message')
        out['ok'] = True
    except Exception as e:
        out = {'ok': False, 'error': str(e).splitlines()[0]}
    print(json.dumps(out), flush=True)
`;

/** Reads each answer with botocore; one verdict per answer, in order. */
export function readXmlWithBotocore(answers: XmlAnswer[]): Promise<XmlVerdict[]> {
  if (answers.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.split('\n').filter((l) => l.length > 0);
      if (code !== 0 || lines.length !== answers.length) reject(new Error(`botocore reader failed (${code}): ${stderr.slice(0, 2000)}`));
      else resolve(lines.map((l) => JSON.parse(l) as XmlVerdict));
    });
    for (const answer of answers) {
      const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
      child.stdin.write(`${JSON.stringify({ status: answer.status, protocol: answer.protocol ?? 'query', body: body.toString('base64') })}\n`);
    }
    child.stdin.end();
  });
}
