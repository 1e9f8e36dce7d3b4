// The documentation site's public surface: the catalog, the page and the local server.

export type { Catalog, CatalogTable } from './catalog.js';
export { emptyCatalog, readCatalog } from './read-catalog.js';
export { writeDocsSite } from './write-docs-site.js';
export { serveDocs, type DocsServer } from './serve-docs.js';
