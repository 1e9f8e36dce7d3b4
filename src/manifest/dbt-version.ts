// The dbt release whose artefact schemas (manifest v12, run-results v6, sources v3) pgshift
// writes: what `metadata.dbt_version` says in each file.
export const DBT_VERSION = '1.10.0';
