import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderTemplate, TemplateError } from './render.js';

const render = (template: string, body = ''): string =>
  renderTemplate(template, { body, params: { path: {}, querystring: {}, header: {} }, context: {}, stageVariables: {} }).output;

describe('Java String methods', () => {
  const s = '#set($s = "Hello World")';
  test('length, isEmpty, charAt, substring, indexOf, lastIndexOf', () => {
    assert.equal(render(`${s}$s.length() $s.isEmpty() $s.charAt(4) $s.substring(6) $s.substring(0, 5) $s.indexOf("o") $s.indexOf("o", 5) $s.lastIndexOf("o")`), '11 false o World Hello 4 7 7');
    assert.equal(render('#set($e = "")$e.isEmpty() $e.length()'), 'true 0');
  });
  test('contains, startsWith, endsWith, equals, equalsIgnoreCase, compareTo', () => {
    assert.equal(render(`${s}$s.contains("lo W") $s.startsWith("Hell") $s.startsWith("World", 6) $s.endsWith("d") $s.equals("Hello World") $s.equalsIgnoreCase("hello world") $s.compareTo("A")`), 'true true true true true true 1');
  });
  test('toLowerCase, toUpperCase, trim, concat, toString, hashCode', () => {
    assert.equal(render('#set($t = "  Ab  ")$t.trim().toLowerCase() $t.trim().toUpperCase() $t.trim().concat("c") $t.trim().toString() $t.trim().hashCode()'), 'ab AB Abc Ab 2113');
  });
  test('replace is literal; replaceAll/replaceFirst/matches/split take Java regexes', () => {
    assert.equal(render('#set($t = "a.b.c")$t.replace(".", "-") $t.replaceAll("\\.", "/") $t.replaceFirst("[.]", "") $t.matches("[a-c.]+") $t.matches("a")'), 'a-b-c a/b/c ab.c true false');
    assert.equal(render('#set($t = "k1=v1&k2=v2")$t.replaceAll("(k\\d)=(v\\d)", "$2=$1")'), 'v1=k1&v2=k2');
    assert.equal(render('#set($csv = "a,b,,c,,")#set($parts = $csv.split(","))$parts.size()#foreach($p in $parts)[$p]#end'), '4[a][b][][c]');
    assert.equal(render('#set($t = "a1b22c")#set($parts = $t.split("\\d+", 2))$parts.size() $parts.get(1)'), '2 b22c');
  });
  test('properties of a string are its bean getters only', () => {
    assert.equal(render('#set($t = "")$t.empty [$t.length] [$t.foo]'), 'true [] []');
  });
  test('out-of-range and bad arguments fail the template', () => {
    assert.throws(() => render('#set($t = "abc")$t.charAt(3)'), TemplateError);
    assert.throws(() => render('#set($t = "abc")$t.substring(2, 1)'), TemplateError);
    assert.throws(() => render('#set($t = "abc")$t.matches("(")'), TemplateError);
  });
  test('a method a String does not have prints nothing', () => {
    assert.equal(render('#set($t = "abc")[$t.padStart(5)][$t.includes("a")]'), '[][]');
  });
});

describe('Java List methods', () => {
  const l = '#set($l = ["a", "b", "c"])';
  test('size, isEmpty, get, [i], contains, indexOf', () => {
    assert.equal(render(`${l}$l.size() $l.isEmpty() $l.get(1) $l[2] $l.contains("c") $l.contains("z") $l.indexOf("b")`), '3 false b c true false 1');
  });
  test('add, add(i, x), set, remove, addAll, clear, subList', () => {
    assert.equal(render(`${l}#set($r = $l.add("d"))$l $r`), '[a, b, c, d] true');
    assert.equal(render(`${l}$l.add(0, "z")$l`), '[z, a, b, c]');
    assert.equal(render(`${l}$l.set(0, "y") $l`), 'a [y, b, c]');
    assert.equal(render(`${l}$l.remove(0) $l.remove("c") $l`), 'a true [b]');
    assert.equal(render(`${l}#set($x = $l.addAll(["d"]))$l.subList(1, 3) $l.size()#set($x = $l.clear())$l.size()`), '[b, c] 40');
  });
  test('a JSON list prints as JSON; $list.empty; $list.length is nothing', () => {
    assert.equal(render('#set($j = $input.path("$.l"))$j $j.empty [$j.length]', '{"l":["x",{"k":null}]}'), '["x",{"k":null}] false []');
  });
  test('get out of range fails the template', () => {
    assert.throws(() => render(`${l}$l.get(3)`), TemplateError);
    assert.throws(() => render(`${l}$l[-1]`), TemplateError);
  });
});

describe('Java Map methods', () => {
  const m = '#set($m = {"a": 1, "b": "two"})';
  test('get, containsKey, containsValue, keySet, values, entrySet, size, isEmpty', () => {
    assert.equal(render(`${m}$m.get("a") $m.a $m["b"] $m.containsKey("b") $m.containsValue("two") $m.keySet() $m.values() $m.size() $m.isEmpty()`), '1 1 two true true [a, b] [1, two] 2 false');
    assert.equal(render(`${m}#foreach($e in $m.entrySet())$e.key=$e.value,$e.getKey()=$e.getValue();#end`), 'a=1,a=1;b=two,b=two;');
  });
  test('put returns the previous value (null prints nothing), remove, putAll, #set of a key', () => {
    assert.equal(render(`${m}[$m.put("c", 3)][$m.put("a", 9)] $m`), '[][1] {a=9, b=two, c=3}');
    assert.equal(render(`${m}$m.remove("a") $m`), '1 {b=two}');
    assert.equal(render(`${m}$m.putAll({"z": 0})#set($m.n = "new")#set($k = "dyn")#set($m[$k] = true)$m`), '{a=1, b=two, z=0, n=new, dyn=true}');
  });
  test('a JSON object is a Java map: {k=v} with nested lists as JSON and nested maps as maps', () => {
    assert.equal(render('$input.path("$")', '{"m":{"x":"y"},"l":[{"x":"y"}],"n":null}'), '{m={x=y}, l=[{"x":"y"}], n=null}');
  });
  test('a missing key is null', () => {
    assert.equal(render(`${m}[$m.nope][$m.get("nope")]#if($m.nope == $null)null#end`), '[][]null');
  });
});

describe('numbers and booleans', () => {
  test('toString, equals, intValue, compareTo', () => {
    assert.equal(render('#set($n = 5)$n.toString() $n.equals(5) $n.intValue() $n.compareTo(7) #set($b = true)$b.toString() $b.booleanValue()'), '5 true 5 -1 true true');
  });
  test('doubles print as Java doubles', () => {
    assert.equal(render('$input.path("$.a") $input.path("$.b") $input.path("$.c")', '{"a":1.5,"b":1e22,"c":0.0001}'), '1.5 1.0E22 1.0E-4');
  });
});
