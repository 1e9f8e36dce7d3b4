// The schema pgshift keeps its own bookkeeping in (pgshift_meta.batches): load writes it,
// governance grants on it by name.

export const META_SCHEMA = 'pgshift_meta';
