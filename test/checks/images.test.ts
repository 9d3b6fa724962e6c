/**
 * The checks of an images(...) source, each at the place in the spec it is about (line and
 * column pinned): the folder, its class subfolders, every file's decoding, channels and size, and
 * the model's input shape against [height, width, channels].
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { imageFacts } from '../../src/checks/image-facts.js';
import { fileStartSpan } from '../../src/diagnostics/diagnostic.js';
import { analyze } from '../../src/frontend.js';
import { sourceSchemas } from '../../src/ir/schema/index.js';
import { IMAGE_MAX_SIDE } from '../../src/runtime/data/images-source.js';
import { greyPng, writeTree } from '../runtime/data/image-folder-fixture.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-image-checks-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

writeTree(path.join(temp, 'good'), { 'cat/1.png': greyPng(10), 'cat/2.png': greyPng(20), 'dog/1.png': greyPng(200), 'dog/2.png': greyPng(210) });
writeTree(path.join(temp, 'flat'), { '1.png': greyPng(10) });
writeTree(path.join(temp, 'empty-class'), { 'cat/1.png': greyPng(10), 'dog/' : '' });
writeTree(path.join(temp, 'broken'), { 'cat/1.png': greyPng(10), 'dog/bad.jpg': 'text, not a JPEG', 'dog/2.png': greyPng(1).subarray(0, 30) });

/** A spec on `source`, its input shape `shape`; line 2 holds the input, line 6 the source. */
function spec(source: string, shape = '[4, 4, 1]'): string {
  return `model {
  input(shape: ${shape})
  flatten()
  dense(2, activation: softmax)
}
data { source: ${source} }
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.01)
train { epochs: 1, batch: 2, metrics: [accuracy] }
`;
}

function errors(source: string, shape?: string) {
  const file = path.join(temp, 'spec.mlspec');
  return analyze(spec(source, shape), file)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => ({ code: d.code, at: `${d.span.start.line}:${d.span.start.column}`, message: d.message, fixes: d.fixes?.map((f) => f.title) }));
}

describe('images(...) checks', () => {
  test('a good folder whose size and channels match the input: no errors', () => {
    expect(errors('images("good", size: [4, 4], channels: 1)')).toEqual([]);
    expect(errors('images("good", size: 4, channels: 3)', '[4, 4, 3]')).toEqual([]);
  });

  test('a missing folder, E0550 at the path', () => {
    expect(errors('images("nope", size: [4, 4], channels: 1)')).toEqual([
      { code: 'E0550', at: '6:23', message: `Cannot read the image folder 'nope' (it does not exist); the path is relative to the spec's folder (looked for ${path.join(temp, 'nope')}).`, fixes: undefined },
    ]);
  });

  test('no class subfolders (E0551) and a class without images (E0552), at the path', () => {
    expect(errors('images("flat", size: [4, 4], channels: 1)').map((e) => [e.code, e.at])).toEqual([['E0551', '6:23']]);
    const [empty] = errors('images("empty-class", size: [4, 4], channels: 1)');
    expect([empty!.code, empty!.at]).toEqual(['E0552', '6:23']);
    expect(empty!.message).toBe("The class folder 'empty-class/dog' holds no PNG or JPEG images (.png, .jpg, .jpeg); add images of class 'dog', or remove the folder.");
  });

  test('a file that does not decode is named, with the others counted (E0553)', () => {
    const [broken, ...rest] = errors('images("broken", size: [4, 4], channels: 1)');
    expect(rest).toEqual([]);
    expect([broken!.code, broken!.at]).toEqual(['E0553', '6:23']);
    expect(broken!.message).toMatch(/^Cannot decode the image 'broken\/dog\/2\.png' \(it is not a valid PNG file: .*\) \(and 1 other file\); replace it with a valid PNG or JPEG file, or remove it\.$/);
  });

  test('channels other than 1 and 3 (E0554, at channels) and sizes out of range (E0401, at size)', () => {
    expect(errors('images("good", size: [4, 4], channels: 2)', '[4, 4, 2]').map((e) => [e.code, e.at, e.message])).toEqual([
      ['E0554', '6:55', 'images(channels: 2) is not supported: channels must be 1 (grey) or 3 (RGB, alpha ignored); write channels: 1 or channels: 3.'],
    ]);
    expect(errors('images("good", size: [0, 4], channels: 1)').map((e) => [e.code, e.at])).toEqual([['E0401', '6:37']]);
    expect(errors('images("good", size: [4, 2000], channels: 1)').map((e) => [e.code, e.at])).toEqual([['E0401', '6:37']]);
  });

  test('an input shape that is not [height, width, channels] is E0604 at the shape, with the fix', () => {
    expect(errors('images("good", size: [4, 4], channels: 3)')).toEqual([
      {
        code: 'E0604',
        at: '2:16',
        message: "Input 'input_1' has shape [4, 4, 1] but each sample of the image folder 'good' has shape [4, 4, 3] (48 features); write input(shape: [4, 4, 3]).",
        fixes: ['Write input(shape: [4, 4, 3])'],
      },
    ]);
  });

  test('more classes than outputs is found from the class folders', () => {
    writeTree(path.join(temp, 'three'), { 'a/1.png': greyPng(1), 'b/1.png': greyPng(2), 'c/1.png': greyPng(3) });
    expect(errors('images("three", size: [4, 4], channels: 1)').map((e) => [e.code, e.at, e.message])).toEqual([['E0601', '4:9', "The output 'dense_1' has 2 units but the data has 3 classes (a, b, c); sparse_categorical_cross_entropy needs one unit per class."]]);
  });
});

describe('images(...) with shuffle: false', () => {
  test('warns that the split would take whole classes (the folder is read class by class)', () => {
    const file = path.join(temp, 'ordered.mlspec');
    const source = spec(`images(${JSON.stringify(path.resolve('examples/data/digit_images'))}, size: [4, 4], channels: 1)`)
      .replace('dense(2,', 'dense(10,')
      .replace('data { source:', 'data { shuffle: false, split { test: 0.2 }, source:');
    const warnings = analyze(source, file).diagnostics.filter((d) => d.code === 'W0501');
    expect(warnings.map((d) => d.message)).toEqual([
      `The images of the image folder '${path.resolve('examples/data/digit_images')}' are read class by class, and shuffle: false also keeps file order for the split (the first rows train, the last ones validate and test), so the splits see different labels; remove shuffle: false (shuffling is the default), or add stratify: true to the split.`,
    ]);
  });
});

describe('imageFacts on a large folder', () => {
  const source = (folder: string) => ({ kind: 'images' as const, path: folder, size: [4, 4], channels: 1, stream: null, span: fileStartSpan, spans: {} });

  test('decodes files in full up to the byte budget, then only checks that they start like PNG or JPEG', () => {
    const good = greyPng(10);
    writeTree(path.join(temp, 'budget-a'), { 'a/1.png': good, 'a/2.png': good, 'b/3.png': greyPng(1).subarray(0, 30) });
    // The truncated PNG lies beyond a budget of two files: only its signature is read, which is PNG's.
    expect(imageFacts(source('budget-a'), temp, 'x.mlspec', 2 * good.length).problem).toBeNull();
    writeTree(path.join(temp, 'budget-b'), { 'a/1.png': good, 'a/2.png': good, 'b/3.png': greyPng(1).subarray(0, 30) });
    expect(imageFacts(source('budget-b'), temp, 'x.mlspec', 10 * good.length).problem?.code).toBe('E0553');
    writeTree(path.join(temp, 'budget-c'), { 'a/1.png': good, 'a/2.png': good, 'b/3.png': 'plain text' });
    expect(imageFacts(source('budget-c'), temp, 'x.mlspec', 0).problem?.message).toContain("'budget-c/b/3.png' (it is neither a PNG nor a JPEG file)");
  });
});

test('the schema\'s range of size is the runtime\'s IMAGE_MAX_SIDE', () => {
  const size = sourceSchemas.images.options.find((o) => o.name === 'size')!;
  expect(size.domain).toEqual({ min: 1, max: IMAGE_MAX_SIDE });
});
