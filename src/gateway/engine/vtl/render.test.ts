import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderTemplate, TemplateError, type TemplateInput } from './render.js';

function input(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    body: '',
    params: { path: {}, querystring: {}, header: {} },
    context: {},
    stageVariables: {},
    ...overrides,
  };
}

const render = (template: string, overrides: Partial<TemplateInput> = {}): string => renderTemplate(template, input(overrides)).output;

describe('$input', () => {
  const body = '{"name":"Rex","tags":["a","b"],"owner":{"id":7,"pets":[{"n":1},{"n":2}]},"price":9.5,"ok":true,"nothing":null}';

  test('$input.body is the raw payload; an empty payload reads as {}', () => {
    assert.equal(render('$input.body', { body }), body);
    assert.equal(render('$input.body', { body: 'plain text' }), 'plain text');
    assert.equal(render('[$input.body]', { body: '' }), '[{}]');
    assert.equal(render('$input.getBody()', { body: 'x' }), 'x');
    // A string has no properties: `$input.body.x` is null and prints nothing.
    assert.equal(render('[$input.body.testAccess]', { body }), '[]');
  });

  test('$input.json(x) is JSON text of the match', () => {
    assert.equal(render("$input.json('$')", { body }), body);
    assert.equal(render("$input.json('$.name')", { body }), '"Rex"');
    assert.equal(render("$input.json('$.tags')", { body }), '["a","b"]');
    assert.equal(render("$input.json('$.owner')", { body }), '{"id":7,"pets":[{"n":1},{"n":2}]}');
    assert.equal(render("$input.json('$.price')", { body }), '9.5');
    assert.equal(render("$input.json('$.nothing')", { body }), 'null');
    assert.equal(render("$input.json('$.owner.pets[*].n')", { body }), '[1,2]');
    assert.equal(render("$input.json('$')", { body: '' }), '{}');
    assert.equal(render("$input.json('$')", { body: 'raw' }), '"raw"');
  });

  test('$input.path(x) is the object: maps print {k=v}, JSON lists print as JSON, scalars as themselves', () => {
    assert.equal(render("$input.path('$.owner')", { body }), '{id=7, pets=[{"n":1},{"n":2}]}');
    assert.equal(render("$input.path('$.tags')", { body }), '["a","b"]');
    assert.equal(render("$input.path('$.name')", { body }), 'Rex');
    assert.equal(render("$input.path('$.ok')", { body }), 'true');
    assert.equal(render("[$input.path('$.missing')][$input.path('$.missing.deeper')]", { body }), '[][]');
    assert.equal(render("$input.path('$.tags').size() $input.path('$.tags')[1] $input.path('$.tags').get(0)", { body }), '2 b a');
    assert.equal(render("$input.path('$.owner').pets[1].n $input.path('$.owner.pets')[0]", { body }), '2 {n=1}');
    assert.equal(render("#foreach($p in $input.path('$.owner.pets'))$p.n#if($foreach.hasNext),#end#end", { body }), '1,2');
    assert.equal(render("$input.path('name')", { body }), 'Rex');
  });

  test("$input.path('$') of a body that is not JSON is the text itself", () => {
    assert.equal(render("$input.path('$')", { body: 'some raw data' }), 'some raw data');
    assert.equal(render("$input.path('$').length()", { body: 'abc' }), '3');
    assert.equal(render("[$input.path('$.a')]", { body: 'abc' }), '[]');
  });

  test('$input.params(x): path, then querystring, then header (case-insensitive); missing is empty', () => {
    const params = { path: { id: 'p', both: 'from-path' }, querystring: { q: '1', both: 'from-query' }, header: { 'X-Trace': 't' } };
    assert.equal(render("$input.params('id') $input.params('q') $input.params('both') $input.params('x-trace')", { params }), 'p 1 from-path t');
    assert.equal(render(`"$input.params('missing')"`, { params }), '""');
    assert.equal(render(`#if($input.params('missing') == "")empty#end`, { params }), 'empty');
  });

  test('$input.params() is every parameter by kind', () => {
    const params = { path: { id: 'p' }, querystring: { q: '1' }, header: { H: 'h' } };
    assert.equal(render('$input.params()', { params }), '{path={id=p}, querystring={q=1}, header={H=h}}');
    assert.equal(render('$input.params().querystring.q $input.params().header.H $input.params().path.get("id")', { params }), '1 h p');
    const all = '#set($all = $input.params())#foreach($type in $all.keySet())$type:#foreach($name in $all.get($type).keySet())$name=$util.escapeJavaScript($all.get($type).get($name))#end;#end';
    assert.equal(render(all, { params }), 'path:id=p;querystring:q=1;header:H=h;');
  });
});

describe('$util', () => {
  test('escapeJavaScript escapes quotes, backslash, slash, controls and non-ASCII', () => {
    assert.equal(render(`$util.escapeJavaScript($input.body)`, { body: `it's "q" a\\b / é\n\t` }), `it\\'s \\"q\\" a\\\\b \\/ \\u00E9\\n\\t`);
    assert.equal(render(`$util.escapeJavaScript($input.body).replaceAll("\\\\'", "'")`, { body: "it's" }), "it's");
  });

  test('parseJson gives an object; bad JSON fails the template', () => {
    assert.equal(render(`#set($o = $util.parseJson($input.body))$o.a.b $o.list.size()`, { body: '{"a":{"b":"c"},"list":[1,2]}' }), 'c 2');
    assert.throws(() => render('$util.parseJson("{bad")'), (error: unknown) => error instanceof TemplateError && error.phase === 'render' && error.statusCode === 500);
  });

  test('urlEncode/urlDecode are Java URLEncoder/URLDecoder (space is +)', () => {
    assert.equal(render('$util.urlEncode($input.body)', { body: '{"some": "value"} ~!*()\'.-_' }), '%7B%22some%22%3A+%22value%22%7D+%7E%21*%28%29%27.-_');
    assert.equal(render('$util.urlDecode("a+b%20c%C3%A9")'), 'a b cé');
    assert.throws(() => render('$util.urlDecode("%zz")'), TemplateError);
  });

  test('base64Encode/base64Decode over UTF-8; bad base64 fails the template', () => {
    assert.equal(render('$util.base64Encode("hé!")'), 'aMOpIQ==');
    assert.equal(render('$util.base64Decode("aMOpIQ==") $util.base64Decode("aMOpIQ")'), 'hé! hé!');
    assert.throws(() => render('$util.base64Decode("***")'), TemplateError);
  });

  test('a null argument gives nothing; functions REST does not have (toJson) print nothing', () => {
    assert.equal(render('[$util.urlEncode($nothing)][$util.toJson($input.body)][$util.escapeJavaScript($x.y)]'), '[][][]');
  });
});

describe('$context, $stageVariables and overrides', () => {
  test('context variables and stage variables read as given', () => {
    const out = render('$context.requestId $context.identity.sourceIp $context.authorizer.claims.sub $stageVariables.env [$stageVariables.none]', {
      context: { requestId: 'r-1', identity: { sourceIp: '1.2.3.4' }, authorizer: { claims: { sub: 'u' } } },
      stageVariables: { env: 'prod' },
    });
    assert.equal(out, 'r-1 1.2.3.4 u prod []');
  });

  test('requestOverride header/querystring/path and responseOverride status/header come back in overrides', () => {
    const template = [
      '#set($context.requestOverride.header.X-Custom = "h1")',
      '#set($context.requestOverride.querystring.q = "v")',
      '#set($name = "id")#set($context.requestOverride.path[$name] = 42)',
      '$context.requestOverride.querystring.put("p", "put")',
      '#set($context.responseOverride.status = 444)',
      '#set($context.responseOverride.header.Foo = "bar")',
      'done',
    ].join('\n');
    const result = renderTemplate(template, input());
    assert.equal(result.output.trim(), 'done');
    assert.deepEqual(result.overrides, {
      status: 444,
      header: { 'X-Custom': 'h1' },
      querystring: { q: 'v', p: 'put' },
      path: { id: '42' },
      responseHeader: { Foo: 'bar' },
    });
  });

  test('what the request template wrote into $context is read by the response template', () => {
    const request = renderTemplate('#set($context.requestOverride.path.body = "hi")#set($context.responseOverride.custom = "kept"){"statusCode": 200}', input());
    const response = renderTemplate('$context.requestOverride.path.body $context.responseOverride.custom', input({ context: request.context }));
    assert.equal(response.output, 'hi kept');
  });

  test('responseOverride set by the request template reaches the response (recorded: status 444, header foo, custom key)', () => {
    // test_integration_mock_with_response_override_in_request_template: AWS answered 444 with
    // {"custom": "is also passed around", "fooHeader": "bar", "statusOverride": "444"}.
    const request = renderTemplate(
      '\n#set($context.responseOverride.status = 444)\n#set($context.responseOverride.header.foo = "bar")\n#set($context.responseOverride.custom = "is also passed around")\n{\n  "statusCode": 200\n}\n',
      input(),
    );
    assert.equal(request.overrides.status, 444);
    assert.deepEqual(request.overrides.responseHeader, { foo: 'bar' });
    const response = renderTemplate(
      '{"statusOverride": "$context.responseOverride.status", "fooHeader": "$context.responseOverride.header.foo", "custom": "$context.responseOverride.custom"}',
      input({ context: request.context }),
    );
    assert.deepEqual(JSON.parse(response.output), { custom: 'is also passed around', fooHeader: 'bar', statusOverride: '444' });
    assert.equal(response.overrides.status, 444);
  });

  test("a template's writes never reach the caller's context object", () => {
    const context = { stage: 'dev', requestOverride: { header: {} } };
    renderTemplate('#set($context.stage = "x")#set($context.requestOverride.header.a = "b")', input({ context }));
    assert.deepEqual(context, { stage: 'dev', requestOverride: { header: {} } });
  });

  test('a status override that is not a three-digit status is ignored', () => {
    assert.equal(renderTemplate('#set($context.responseOverride.status = "abc")', input()).overrides.status, undefined);
    assert.equal(renderTemplate('#set($context.responseOverride.status = "201")', input()).overrides.status, 201);
  });
});

describe('Velocity as API Gateway runs it', () => {
  test('a missing reference prints nothing, with or without the quiet form', () => {
    assert.equal(render('[$nope][$!nope][${nope}][$nope.deeper.still()]'), '[][][][]');
  });

  test('#set of null leaves the variable as it was (Velocity 1.x)', () => {
    assert.equal(render('#set($a = "kept")#set($a = $input.path("$.missing"))$a', { body: '{}' }), 'kept');
  });

  test('== compares Java-style: numbers by value, different kinds by their text, null equals null and ""', () => {
    assert.equal(render('#if(1 == 1.0)a#end#if("1" == 1)b#end#if($x == $y)c#end#if($x == "")d#end#if($x == "a")e#end'), 'abcd');
    assert.equal(render('#set($l = [])#if($l == "")no#else yes#end'), ' yes');
  });

  test('truthiness: only null and false are false (an empty string is true)', () => {
    assert.equal(render('#if("")a#end#if(0)b#end#if($missing)c#end#if(false)d#end#if(!$missing)e#end#if($missing || true)f#end#if("" && false)g#end'), 'abef');
  });

  test('arithmetic: integers divide as integers, + joins strings, null on nonsense', () => {
    assert.equal(render('#set($a = 7 / 2)$a #set($b = 7.0 / 2)$b #set($c = 7 % 3)$c #set($d = "n" + 1)$d #set($e = 2 * 3 - 1)$e'), '3 3.5 1 n1 5');
  });

  test('comparisons on numbers and strings', () => {
    assert.equal(render('#if(2 > 1)a#end#if(1 >= 1)b#end#if("a" < "b")c#end#if("a" > 1)d#end'), 'abc');
  });

  test('#foreach: $foreach.hasNext, $foreach.count, $foreach.index, $velocityCount, #break, maps iterate values', () => {
    assert.equal(render('#foreach($i in [1..3])$i:$foreach.count:$foreach.index:$velocityCount#if($foreach.hasNext),#end#end'), '1:1:0:1,2:2:1:2,3:3:2:3');
    assert.equal(render('#foreach($i in [1, 2, 3])$i#if($i == 2)#break#end#end'), '12');
    assert.equal(render('#set($m = {"a": 1, "b": 2})#foreach($v in $m)$v#end'), '12');
  });

  test('#foreach: $foreach.first/.last, nested loops keep their own variables, a list grown inside the loop is not re-read', () => {
    assert.equal(render('#foreach($i in [1, 2, 3])#if($foreach.first)<#end$i#if($foreach.last)>#end#end'), '<123>');
    assert.equal(render('#foreach($a in [1, 2])#foreach($b in ["x", "y"])$a$b$foreach.count #end|$foreach.count #end'), '1x1 1y2 |1 2x1 2y2 |2 ');
    assert.equal(render('#set($l = [1, 2])#foreach($i in $l)#set($ok = $l.add($i))#end$l.size()'), '4');
    assert.equal(render('#set($s = "abc")#foreach($i in $nothing)x#end#foreach($c in $s)y#end'), '');
  });

  test('the method request passthrough template AWS offers renders valid JSON', () => {
    const passthrough = [
      '##  See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html',
      '#set($allParams = $input.params())',
      '{',
      '"body-json" : $input.json(\'$\'),',
      '"params" : {',
      '#foreach($type in $allParams.keySet())',
      '    #set($params = $allParams.get($type))',
      '"$type" : {',
      '    #foreach($paramName in $params.keySet())',
      '    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"',
      '        #if($foreach.hasNext),#end',
      '    #end',
      '}',
      '    #if($foreach.hasNext),#end',
      '#end',
      '},',
      '"stage-variables" : {',
      '#foreach($key in $stageVariables.keySet())',
      '"$key" : "$util.escapeJavaScript($stageVariables.get($key))"',
      '    #if($foreach.hasNext),#end',
      '#end',
      '},',
      '"context" : {',
      '    "http-method" : "$context.httpMethod",',
      '    "source-ip" : "$context.identity.sourceIp",',
      '    "request-id" : "$context.requestId",',
      '    "user-arn" : "$context.identity.userArn"',
      '    }',
      '}',
    ].join('\n');
    const out = render(passthrough, {
      body: '{"pet":{"name":"Rex","tags":["a"]}}',
      params: { path: { id: '7' }, querystring: { q: 'a b', r: 'x' }, header: { 'User-Agent': 'curl/8 "quoted"' } },
      context: { httpMethod: 'POST', identity: { sourceIp: '10.0.0.1' }, requestId: 'req-1' },
      stageVariables: { env: 'prod' },
    });
    assert.deepEqual(JSON.parse(out), {
      'body-json': { pet: { name: 'Rex', tags: ['a'] } },
      params: { path: { id: '7' }, querystring: { q: 'a b', r: 'x' }, header: { 'User-Agent': 'curl/8 "quoted"' } },
      'stage-variables': { env: 'prod' },
      context: { 'http-method': 'POST', 'source-ip': '10.0.0.1', 'request-id': 'req-1', 'user-arn': '' },
    });
  });

  test('interpolated JSONPath and escaped references', () => {
    assert.equal(render('#foreach($i in [0, 1])$input.path("$.r[${i}].d")#end', { body: '{"r":[{"d":"a"},{"d":"b"}]}' }), 'ab');
    assert.equal(render('\\$input.body ## a comment\n#* block *#x'), '$input.body x');
  });

  test('text that only looks like Velocity prints as written', () => {
    assert.equal(render('{"tag": "#sale", "color": "#fff", "cost": "$5", "a": "$"} x #unknown(1) y'), '{"tag": "#sale", "color": "#fff", "cost": "$5", "a": "$"} x #unknown(1) y');
    assert.equal(render('#set($a = "a#sale(1)b")$a'), 'a#sale(1)b');
  });

  test('#macro and #if/#elseif/#else', () => {
    assert.equal(render('#macro(hi $n)hello $n#end#hi("you")'), 'hello you');
    assert.equal(render('#set($v = 2)#if($v == 1)one#elseif($v == 2)two#else other#end'), 'two');
  });

  test('numbers print as Java prints them; booleans as true/false', () => {
    assert.equal(render('$input.path("$.a") $input.path("$.b") $input.path("$.c") $input.path("$.d")', { body: '{"a":1,"b":2.5,"c":true,"d":12345678901}' }), '1 2.5 true 12345678901');
  });

  test('literal lists print as Java lists, literal maps as Java maps', () => {
    assert.equal(render('#set($l = [1, "a", true])#set($m = {"k": "v", "n": [1, 2]})$l $m'), '[1, a, true] {k=v, n=[1, 2]}');
  });
});

describe('errors', () => {
  test('a syntax error is a TemplateError of phase parse, answered 500', () => {
    assert.throws(
      () => render('#if($x'),
      (error: unknown) => error instanceof TemplateError && error.phase === 'parse' && error.statusCode === 500 && error.responseType === 'API_CONFIGURATION_ERROR',
    );
    // The failure is cached with the template: it fails the same way again.
    assert.throws(() => render('#if($x'), TemplateError);
  });

  test('an invalid JSONPath or an index out of range fails at render time', () => {
    assert.throws(() => render("$input.path('$.[')", { body: '{}' }), (error: unknown) => error instanceof TemplateError && error.phase === 'render');
    assert.throws(() => render("$input.path('$.a').get(5)", { body: '{"a":[1]}' }), TemplateError);
    assert.throws(() => render('$input.body.substring(10)', { body: 'abc' }), TemplateError);
  });

  test('prototype names are not reachable', () => {
    assert.equal(render('[$constructor][$input.constructor][$context.__proto__][$toString]'), '[][][][]');
    const result = renderTemplate('#set($context.__proto__.polluted = 1)#set($x.__proto__ = 1)', input());
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(result.output, '');
  });
});

describe('templates that would hold the server', () => {
  test('huge ranges, runaway loops, self-calling macros and exploding strings are TemplateErrors, not hangs or crashes', () => {
    const fails = (template: string): void => assert.throws(() => render(template), (error: unknown) => error instanceof TemplateError && error.phase === 'render', template);
    fails('#foreach($i in [1..100000000])x#end');
    fails('#foreach($i in [1..2000])#foreach($j in [1..2000])#end#end');
    fails('#macro(loop $n)#loop($n)#end#loop(1)');
    fails('#set($s = "0123456789abcdef")#foreach($i in [1..40])#set($s = "$s$s")#end');
    assert.equal(render('#set($n = 3)#foreach($i in [$n..1])$i#end #foreach($i in [1..$nothing])x#end'), '321 ');
  });
});

describe('rendering speed', () => {
  test('a template is parsed once: 2,000 renders of a 40-line template take well under a second (bound generous for a loaded machine)', () => {
    const template = Array.from({ length: 40 }, (_, i) => `"f${i}": "$input.path('$.a')-$context.requestId-$util.escapeJavaScript($input.params('q'))",`).join('\n');
    const request = input({ body: '{"a":"x"}', context: { requestId: 'r' }, params: { path: {}, querystring: { q: "it's" }, header: {} } });
    const started = performance.now();
    for (let i = 0; i < 2000; i++) renderTemplate(template, request);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 10000, `2000 renders took ${elapsed} ms`);
  });
});
