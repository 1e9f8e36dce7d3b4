// Docs blocks and doc(): a description written once in a .md file, reused in schema.yml, and
// rendered into the manifest's descriptions; every mistake is one line naming the file.

import { describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../src/compile/index.js';
import { CompileError } from '../../src/errors.js';
import { bareProject, compile, nodeNamed } from './compile-fixture.js';

const ORDERS_SCHEMA = `version: 2
models:
  - name: orders
    description: "{{ doc('orders') }}"
    columns:
      - name: status
        description: '{{ doc("order_status") }} Set by the shop.'
`;

const DOCS = `# Orders

{% docs orders %}
One row per **order** placed in the shop.
{% enddocs %}

{% docs order_status %}
One of placed, shipped, returned.
{% enddocs %}
`;

async function project(docs: Record<string, string>, schema = ORDERS_SCHEMA): Promise<ProjectFiles> {
  const files = await bareProject({ 'models/orders.sql': 'select 1 as order_id, 2 as status' }, { schemaFiles: { 'models/schema.yml': schema } });
  return { ...files, docs: Object.entries(docs).map(([path, text]) => ({ path, text })) };
}

function failure(files: ProjectFiles): Error {
  try {
    compile(files);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected compilation to fail');
}

describe('doc() in descriptions', () => {
  it("puts the docs block's text into the model's and the column's description", async () => {
    const manifest = compile(await project({ 'models/docs.md': DOCS }));
    const orders = nodeNamed(manifest, 'orders');
    expect(orders.description).toBe('One row per **order** placed in the shop.');
    if (orders.resource_type !== 'model') throw new Error('orders is a model');
    expect(orders.columns.status!.description).toBe('One of placed, shipped, returned. Set by the shop.');
  });

  it('renders doc() in source and source column descriptions too', async () => {
    const schema = `version: 2
sources:
  - name: shop
    description: "{{ doc('orders') }}"
    tables:
      - name: orders
        description: "{{ doc('orders') }}"
        columns:
          - name: status
            description: "{{ doc('order_status') }}"
`;
    const manifest = compile(await project({ 'models/docs.md': DOCS }, schema));
    const source = manifest.sources['source.shop.orders']!;
    expect(source.description).toBe('One row per **order** placed in the shop.');
    expect(source.columns.status!.description).toBe('One of placed, shipped, returned.');
  });

  it('accepts the two-argument form naming this project', async () => {
    const schema = ORDERS_SCHEMA.replace(`doc('orders')`, `doc('shop', 'orders')`);
    expect(nodeNamed(compile(await project({ 'models/docs.md': DOCS }, schema)), 'orders').description).toBe('One row per **order** placed in the shop.');
  });

  it('names the YAML file, the key and the unknown doc, suggesting the closest block', async () => {
    const error = failure(await project({ 'models/docs.md': DOCS }, ORDERS_SCHEMA.replace(`doc('orders')`, `doc('ordres')`)));
    expect(error).toBeInstanceOf(CompileError);
    expect(error.message).toBe(
      "models/schema.yml: models.orders.description: doc('ordres') names no docs block; define {% docs ordres %}…{% enddocs %} in a .md file under the model paths; did you mean 'orders'?",
    );
  });

  it('names the column of an unknown doc in a column description', async () => {
    const error = failure(await project({}, ORDERS_SCHEMA.replace(`doc('orders')`, 'Orders.')));
    expect(error.message).toMatch(/^models\/schema\.yml: models\.orders\.columns\.status\.description: doc\('order_status'\) names no docs block; define/);
  });
});

describe('docs blocks', () => {
  it('rejects a block defined twice, naming both places', async () => {
    const error = failure(await project({ 'models/a.md': DOCS, 'models/b.md': '\n{% docs orders %}again{% enddocs %}' }));
    expect(error.message).toBe("models/b.md:2: docs block 'orders' is defined twice (first at models/a.md:3); rename one");
  });

  it('rejects a block that is never closed', async () => {
    const error = failure(await project({ 'models/docs.md': '{% docs orders %}\nOne row per order.\n' }));
    expect(error.message).toBe("models/docs.md:1: docs block 'orders' is never closed; end it with {% enddocs %}");
  });

  it('rejects a block without a name', async () => {
    const error = failure(await project({ 'models/docs.md': '\n\n{% docs %}text{% enddocs %}' }));
    expect(error.message).toBe('models/docs.md:3: a docs block needs a name: {% docs my_name %}');
  });
});
