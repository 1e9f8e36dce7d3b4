// Writes target/catalog.json and target/index.html: what `pgshift docs generate` leaves behind.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';
import type { Catalog } from './catalog.js';
import { renderSite } from './render-site.js';
import { siteModel } from './site-model.js';

export async function writeDocsSite(manifest: Manifest, catalog: Catalog, targetDir: string): Promise<{ catalogPath: string; sitePath: string }> {
  await mkdir(targetDir, { recursive: true });
  const catalogPath = path.join(targetDir, 'catalog.json');
  const sitePath = path.join(targetDir, 'index.html');
  await writeFile(catalogPath, `${JSON.stringify(catalog, null, 2)}\n`);
  await writeFile(sitePath, renderSite(siteModel(manifest, catalog)));
  return { catalogPath, sitePath };
}
